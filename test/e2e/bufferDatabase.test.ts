// The IndexedDB buffer's connection in real Chromium: a tab of a newer release opening a newer
// schema (`blocking`), the browser closing the connection (`terminated`), and an older tab that
// never lets this schema in (`blocked`). In each, the page keeps delivering, and stats() says so.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DATABASE_VERSION } from '../../src/buffer/bufferDatabase';
import { DATABASE_NAME } from '../../src/buffer/databaseName';
import { useDeliveryEnv } from './deliveryPages';

const { env, tagPage, open, track, stats, bufferOf, received } = useDeliveryEnv();

/** A page of the site without telltale, where a test plays another release's tab. */
const plainPage = async (path: string): Promise<Page> => {
  const page = await env.browser.context.newPage();
  await page.goto(env.site.page(path, '<!doctype html><title>another tab</title>'));
  return page;
};

/** Every `i` from 0 to `count` - 1 arrived with a 2xx. */
const allArrived = (count: number) => env.ingest.waitFor(() => received().byI.size == count, 20_000);

/** The page's `flush()`, once no Retry-After holds it back. */
const flushWhenAllowed = async (page: Page) => {
  await page.waitForFunction(() => (window as any).Telltale.client.stats().rateLimitedUntil < Date.now(), undefined, { timeout: 10_000 });
  await page.evaluate(() => (window as any).Telltale.client.flush());
};

describe('the buffer database', () => {
  it('lets a newer schema in at once, and the older tabs carry on from memory without losing an event', async () => {
    let healthy = false;
    env.ingest.reply = () => (healthy ? { status: 200 } : { status: 503, headers: { 'Retry-After': '1' } });
    const url = tagPage('/old-release.html', 'data-flush-interval-ms="100"');
    // two tabs of the old release: the first sends for both (it holds the sender's Web Lock)
    const sender = await open(url);
    const follower = await open(url);
    expect(await bufferOf(sender)).toBe('indexeddb');
    await track(sender, 0, 5);
    await track(follower, 5, 10);
    await env.ingest.waitFor(() => env.ingest.posts().some((post) => post.status == 503));

    // a newer release in another tab opens the database with the next version, as its upgrade would
    const newer = await plainPage('/new-release.html');
    const opened = await newer.evaluate(
      ([name, version]) =>
        new Promise<string>((done) => {
          const request = indexedDB.open(name, version);
          request.onsuccess = () => done(`opened v${request.result.version}`);
          request.onerror = () => done(`failed: ${request.error}`);
          request.onblocked = () => setTimeout(() => done('still blocked after 2 s'), 2000);
        }),
      [DATABASE_NAME, DATABASE_VERSION + 1] as const,
    );
    expect(opened).toBe(`opened v${DATABASE_VERSION + 1}`);

    // the old tabs know at once their buffer is memory now, and why
    for (const old of [sender, follower]) {
      await expect.poll(async () => (await stats(old)).buffer).toBe('memory');
      expect((await stats(old)).bufferLost).toBe('newer-version');
    }
    // and they leave the sender's lock to the tabs of the shared database (the newer release's)
    const locks = await newer.evaluate(() => navigator.locks.query());
    expect([...(locks.held ?? []), ...(locks.pending ?? [])].map((lock) => lock.name)).not.toContain('telltale-sender');

    await track(sender, 10, 15);
    await track(follower, 15, 20);
    healthy = true;
    await Promise.all([flushWhenAllowed(sender), flushWhenAllowed(follower)]);
    await allArrived(20);
    for (const old of [sender, follower]) expect(await stats(old)).toMatchObject({ buffered: 0, internalErrors: 0 });
    expect((await stats(sender)).sent + (await stats(follower)).sent).toBe(20);
    await Promise.all([sender.close(), follower.close(), newer.close()]);
  });

  it('reopens a connection the browser closed once, and falls back to memory the second time', async () => {
    const page = await open(tagPage('/terminated.html', 'data-flush-interval-ms="100"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    const cdp = await env.browser.context.newCDPSession(page);
    /** Deletes the origin's IndexedDB under the page: Chromium closes every connection to it. */
    const clearIndexedDb = () => cdp.send('Storage.clearDataForOrigin', { origin: env.site.url, storageTypes: 'indexeddb' });

    await track(page, 0, 3);
    await allArrived(3);
    await clearIndexedDb();
    // the next call reopens the database, and delivery goes on from it
    await track(page, 3, 6);
    await allArrived(6);
    expect(await stats(page)).toMatchObject({ buffer: 'indexeddb', bufferReopened: 1 });

    await clearIndexedDb();
    await expect.poll(async () => (await stats(page)).buffer).toBe('memory');
    expect((await stats(page)).bufferLost).toBe('closed');
    await track(page, 6, 9);
    await flushWhenAllowed(page);
    await allArrived(9);
    const after = await stats(page);
    expect(after).toMatchObject({ sent: 9, buffered: 0, bufferReopened: 1, internalErrors: 0 });
    await page.close();
  });

  it('while an older tab keeps the database open and never lets this schema in, the page delivers from memory', { timeout: 40_000 }, async () => {
    // a pre-release tab holding version 2 open, deaf to version changes
    const older = await plainPage('/pre-release.html');
    await older.evaluate(
      (name) =>
        new Promise<void>((done) => {
          const request = indexedDB.open(name, 2);
          request.onupgradeneeded = () => request.result.createObjectStore('q', { autoIncrement: true });
          request.onsuccess = () => done();
        }),
      DATABASE_NAME,
    );
    const page = await open(tagPage('/blocked.html', 'data-flush-interval-ms="100"'));
    await track(page, 0, 5);
    await allArrived(5);
    // the ingest has them: the page counts them sent once their answer reaches it
    await expect.poll(async () => (await stats(page)).sent).toBe(5);
    expect(await stats(page)).toMatchObject({ buffer: 'memory', internalErrors: 0 });
    expect((await stats(page)).bufferLost).toBeUndefined();
    await Promise.all([page.close(), older.close()]);
  });
});
