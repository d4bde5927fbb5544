// Privacy after the page leaves or consent is withdrawn, in Chromium: no cookie of the ingest's site
// on any request (page exit included), and a withdrawal that deletes what telltale buffered.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sleep, useDeliveryEnv } from './deliveryPages';
import { hide } from './harness';

const { env, tagPage, open, track, bufferOf, received } = useDeliveryEnv();

/** Rows of telltale's IndexedDB tables, read by the page. */
const storedRows = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('telltale');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const names = [...db.objectStoreNames].filter((name) => name != 'meta');
          if (!names.length) return resolve(0);
          const tx = db.transaction(names);
          let rows = 0;
          for (const name of names) tx.objectStore(name).count().onsuccess = (e) => (rows += (e.target as IDBRequest<number>).result);
          tx.oncomplete = () => {
            db.close();
            resolve(rows);
          };
        };
      }),
  );

describe('page exit', () => {
  it("no request the SDK makes carries the ingest site's cookie, exit requests included", { timeout: 60_000 }, async () => {
    // the ingest's host (the page's site too: a same-site cookie goes with any credentialed request)
    await env.browser.context.addCookies([{ name: 'ingest_session', value: 'secret', domain: '127.0.0.1', path: '/' }]);
    const page = await open(tagPage('/cookies.html', 'data-flush-interval-ms="60000"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    // the cookie is there to be sent: a credentialed request of the page carries it
    await page.evaluate((url) => fetch(url, { method: 'POST', body: 'probe', credentials: 'include' }).catch(() => {}), env.ingest.endpoint);
    expect(env.ingest.requests.find((r) => r.body == 'probe')?.headers.cookie).toContain('ingest_session=secret');
    await track(page, 0, 10);
    await page.evaluate(() => (window as any).Telltale.client.flush());
    // hidden: a keepalive request; then unloaded: what is left goes as the page dies
    await track(page, 10, 20);
    await page.evaluate(hide);
    await track(page, 20, 30);
    await page.goto('about:blank');
    await env.ingest.waitFor(() => received().byI.size == 30);
    const sdk = env.ingest.requests.filter((r) => r.body != 'probe');
    expect(sdk.length).toBeGreaterThanOrEqual(3);
    for (const request of sdk) expect(request.headers.cookie).toBeUndefined();
    await page.close();
  });
});

describe('consent withdrawn', () => {
  it('with events buffered deletes them from IndexedDB, stops the other tab, and a later denied page sends nothing', { timeout: 90_000 }, async () => {
    env.ingest.reply = () => ({ status: 503 });
    const url = tagPage('/consent.html', 'data-flush-interval-ms="100"');
    const [a, b] = [await open(url), await open(url)];
    expect(await bufferOf(a)).toBe('indexeddb');
    expect(await bufferOf(b)).toBe('indexeddb');
    await track(a, 0, 40);
    await track(b, 40, 60);
    await expect.poll(() => storedRows(a)).toBeGreaterThan(0);
    await a.evaluate(() => (window as any).Telltale.client.setConsent('denied'));
    await expect.poll(() => storedRows(a)).toBe(0);
    // the other tab stopped: what it tracks now is neither stored nor sent
    await track(b, 60, 70);
    env.ingest.reply = () => ({ status: 200 });
    await sleep(2000);
    expect(await storedRows(b)).toBe(0);
    expect(received().byI.size).toBe(0);
    await Promise.all([a.close(), b.close()]);

    // buffered again by a page whose requests never reach the ingest, even at exit
    env.ingest.reply = () => ({ status: 503 });
    const c = await open(url);
    await c.route(`${env.ingest.url}/**`, (route) => route.abort());
    await track(c, 100, 130);
    await expect.poll(() => storedRows(c)).toBeGreaterThan(0);
    await c.close();
    // a later page that denies right after init sends nothing of it
    env.ingest.reply = () => ({ status: 200 });
    const seen = env.ingest.posts().length;
    const dOpenedAt = Date.now();
    const d = await open(tagPage('/consent-later.html', 'data-flush-interval-ms="100"', undefined, [['setConsent', 'denied']]));
    await sleep(3000);
    // a request page c had in flight when it closed may still land (the route cannot hold a keepalive
    // request past its page): only what was sent from d's opening on is d's
    const sentByD = env.ingest
      .posts()
      .slice(seen)
      .filter((post) => JSON.parse(post.body).sentAt >= dOpenedAt);
    expect(sentByD).toEqual([]);
    expect(await storedRows(d)).toBe(0);
    await d.close();
  });
});
