// Durable delivery in real Chromium: the IndexedDB buffer in its worker, against an ingest
// server that fails in every way a real one does.
import { describe, expect, it } from 'vitest';
import { sleep, useDeliveryEnv } from './deliveryPages';

const { env, tagPage, open, track, stats, bufferOf, received } = useDeliveryEnv();

describe('durable delivery', () => {
  it('500 events across two reloads, a 5 s offline spell, two tabs and a faulty ingest all arrive', { timeout: 150_000 }, async () => {
    // 503s, a 429 with Retry-After, destroyed sockets and slow answers, in a fixed pattern
    let n = 0;
    env.ingest.reply = () => {
      const k = ++n % 8;
      return k == 1
        ? { status: 503 }
        : k == 3
          ? { status: 0, destroy: true }
          : k == 5
            ? { status: 200, delayMs: 1500 }
            : n == 6
              ? { status: 429, headers: { 'Retry-After': '2' } }
              : { status: 200 };
    };
    const url = tagPage('/durable.html', 'data-batch-size="25" data-flush-interval-ms="300"');
    const a = await open(url);
    expect(await bufferOf(a)).toBe('indexeddb');
    await track(a, 0, 100);
    await sleep(500);
    await a.reload();
    await a.waitForFunction(() => (window as any).Telltale?.client);
    await track(a, 100, 200);
    await sleep(300);
    await a.reload();
    await a.waitForFunction(() => (window as any).Telltale?.client);
    await track(a, 200, 250);

    // offline for 5 s: nothing is lost, sending resumes when the network is back
    await env.browser.context.setOffline(true);
    await track(a, 250, 350);
    await sleep(5000);
    await env.browser.context.setOffline(false);

    // a second tab writes to the same store; the first tab (the sender) closes: the second takes over
    const b = await open(url);
    await track(b, 350, 450);
    await track(a, 450, 500);
    await sleep(200);
    await a.close();

    const { byI } = await env.ingest.waitFor(() => {
      const r = received();
      return r.byI.size == 500 && r;
    }, 90_000);
    const { duplicates } = received();
    console.log(`500 events delivered in ${env.ingest.posts().length} requests, ${duplicates} duplicate copies`);
    // a duplicate is the same event: same id
    for (const ids of byI.values()) expect(ids.size).toBe(1);
    await b.close();
  });

  it('sends nothing inside a Retry-After window, not even from a reloaded page', async () => {
    let limitedAt = 0;
    env.ingest.reply = (r) => {
      if (limitedAt) return { status: 200 };
      limitedAt = r.at;
      return { status: 429, headers: { 'Retry-After': '3' } };
    };
    const page = await open(tagPage('/limited.html', 'data-flush-interval-ms="100"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    await track(page, 0, 1);
    await page.waitForFunction(() => (window as any).Telltale.client.stats().rateLimitedUntil > Date.now() + 1000);
    await page.reload();
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await track(page, 1, 2);
    await page.evaluate(() => (window as any).Telltale.client.flush());
    await env.ingest.waitFor(() => received().byI.size == 2, 15_000);
    const posts = env.ingest.posts();
    expect(posts[0].status).toBe(429);
    // the reload's exit and the new page waited: nothing was sent before the 3 s had passed
    for (const p of posts.slice(1)) expect(p.at).toBeGreaterThanOrEqual(limitedAt + 2900);
    await page.close();
  });

  it('never sends a batch answered 400 again, and reports it as dropped', async () => {
    env.ingest.reply = (r) => ({ status: r.json?.events.some((e) => e.name == 'bad') ? 400 : 200 });
    const url = tagPage('/rejected.html', 'data-flush-interval-ms="100"');
    const page = await open(url);
    await page.evaluate(() => (window as any).Telltale.client.track('bad'));
    await page.waitForFunction(() => (window as any).Telltale.client.stats().rejected == 1);
    await page.reload();
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await track(page, 0, 3);
    await env.ingest.waitFor(() => received().byI.size == 3);
    await sleep(500);
    const bad = env.ingest.posts().filter((p) => p.json?.events.some((e) => e.name == 'bad'));
    expect(bad).toHaveLength(1);
    expect(env.ingest.posts().find((p) => p.json?.events.some((e) => e.name == 'e'))!.json!.dropped).toEqual({ rejected: 1 });
    await page.close();
  });

  it('over its cap drops the oldest events and tells the backend how many', async () => {
    const page = await open(tagPage('/caps.html', 'data-max-buffer-events="20" data-batch-size="50" data-flush-interval-ms="100"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    await env.browser.context.setOffline(true);
    await track(page, 0, 50);
    await page.waitForFunction(() => (window as any).Telltale.client.stats().dropped.count == 30);
    await env.browser.context.setOffline(false);
    await env.ingest.waitFor(() => received().byI.size == 20);
    expect([...received().byI.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, k) => 30 + k));
    const reported = env.ingest.posts().reduce((s, p) => s + ((p.json?.dropped as { count?: number })?.count ?? 0), 0);
    expect(reported).toBe(30);
    await page.close();
  });

  it('an exit beacon that never arrived is sent again by a later page, with the same ids', async () => {
    env.ingest.reply = () => ({ status: 0, destroy: true });
    const url = tagPage('/exit.html', 'data-flush-interval-ms="60000"');
    const page = await open(url);
    expect(await bufferOf(page)).toBe('indexeddb');
    await track(page, 0, 3);
    await page.goto('about:blank');
    const lost = await env.ingest.waitFor(() => env.ingest.posts()[0]);
    expect(lost.json!.events).toHaveLength(3);
    env.ingest.reply = () => ({ status: 200 });
    const later = await open(tagPage('/exit-later.html', 'data-flush-interval-ms="100"'));
    const again = await env.ingest.waitFor(() => env.ingest.posts().find((p) => p.status == 200));
    expect(again.json!.batch).toBe(lost.json!.batch);
    expect(again.json!.events.map((e) => e.id)).toEqual(lost.json!.events.map((e) => e.id));
    await later.close();
  });
});

describe('without Web Locks', () => {
  it('every tab sends, and every event arrives', async () => {
    await env.browser.context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true }),
    );
    const url = tagPage('/no-locks.html', 'data-flush-interval-ms="100"');
    const [a, b] = [await open(url), await open(url)];
    expect(await bufferOf(a)).toBe('indexeddb');
    await track(a, 0, 5);
    await env.ingest.waitFor(() => received().byI.size == 5);
    // a stays open but thinks it is offline, so it sends nothing more: b's events arrive only if b
    // sends too (with Web Locks, a would hold the lock and b would send nothing while a is open)
    await a.evaluate(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false, configurable: true }));
    await track(b, 5, 10);
    await env.ingest.waitFor(() => received().byI.size == 10);
    expect((await stats(a)).sent).toBe(5);
    // b sent its own five; it may have sent a's again too (without Web Locks two tabs can claim
    // the same batch: duplicates with the same ids, docs/wire.md)
    await expect.poll(async () => (await stats(b)).sent).toBeGreaterThanOrEqual(5);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('when the worker or IndexedDB is missing', () => {
  it("with CSP worker-src 'none', falls back to memory and still delivers", async () => {
    const page = await open(tagPage('/csp.html', 'data-flush-interval-ms="100"', { 'Content-Security-Policy': "worker-src 'none'" }));
    await track(page, 0, 5);
    await env.ingest.waitFor(() => received().byI.size == 5);
    expect(await bufferOf(page)).toBe('memory');
    await page.close();
  });

  it('when indexedDB.open throws, falls back to memory and still delivers', async () => {
    // the worker script a strict site would host, with IndexedDB broken before the SDK loads
    env.site.page('/broken-idb-worker.js', `IDBFactory.prototype.open = () => { throw new DOMException('blocked', 'InvalidStateError') };
      importScripts('/dist/telltale.min.js');`, { 'content-type': 'text/javascript' });
    await env.browser.context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('blocked', 'InvalidStateError');
      };
    });
    const page = await open(tagPage('/no-idb.html', 'data-flush-interval-ms="100" data-worker-url="/broken-idb-worker.js"'));
    await track(page, 0, 5);
    await env.ingest.waitFor(() => received().byI.size == 5);
    expect(await bufferOf(page)).toBe('memory');
    expect((await stats(page)).internalErrors).toBe(0);
    await page.close();
  });

  it("with CSP worker-src 'self' (no blob: workers), workerUrl keeps IndexedDB", async () => {
    const page = await open(
      tagPage('/csp-self.html', 'data-flush-interval-ms="100" data-worker-url="/dist/telltale.min.js"', {
        'Content-Security-Policy': "worker-src 'self'",
      }),
    );
    expect(await bufferOf(page)).toBe('indexeddb');
    await track(page, 0, 5);
    await env.ingest.waitFor(() => received().byI.size == 5);
    await page.close();
  });
});
