// Delivery as real pages load it, in Chromium: thousands of events one per microtask or task, a
// worker killed behind the SDK's back, a buffer cap under a failing env.ingest.
import { describe, expect, it } from 'vitest';
import { sleep, useDeliveryEnv } from './deliveryPages';

const { env, tagPage, open, track, stats, bufferOf, received } = useDeliveryEnv();
const envelopeDrops = () => env.ingest.posts().reduce((sum, p) => sum + (p.status == 200 ? ((p.json?.dropped as { count?: number })?.count ?? 0) : 0), 0);

describe('delivery under real traffic', () => {
  it('5,000 events one per microtask and 2,000 one per task all arrive, and flush() settles', { timeout: 120_000 }, async () => {
    const page = await open(tagPage('/trickle.html', 'data-max-buffer-events="10000" data-max-events-per-minute="1000000" data-max-requests-per-minute="10000"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    await page.evaluate(async () => {
      const client = (window as any).Telltale.client;
      await new Promise<void>((done) => {
        let i = 0;
        const next = () => {
          client.track('e', { i: i++ });
          if (i < 5000) queueMicrotask(next);
          else done();
        };
        next();
      });
      const channel = new MessageChannel();
      for (let i = 5000; i < 7000; i++) {
        await new Promise((task) => {
          channel.port1.onmessage = task;
          channel.port2.postMessage(0);
        });
        client.track('e', { i });
      }
      await client.flush();
    });
    const { byI } = received();
    expect(byI.size, JSON.stringify(await stats(page))).toBe(7000);
    expect((await stats(page)).buffered).toBe(0);
    await page.close();
  });

  it("a worker killed behind the SDK's back: delivery goes on in memory, every event arrives, flush() settles", { timeout: 60_000 }, async () => {
    // keeps every worker the page starts, so that the test can kill it
    await env.browser.context.addInitScript(() => {
      const Native = window.Worker;
      (window as any).workers = [];
      window.Worker = class extends Native {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          (window as any).workers.push(this);
        }
      };
    });
    env.ingest.reply = () => ({ status: 503 });
    const page = await open(tagPage('/killed.html', 'data-flush-interval-ms="100"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    await track(page, 0, 100);
    await env.ingest.waitFor(() => env.ingest.posts().length >= 2);
    await page.evaluate(() => (window as any).workers.forEach((w: Worker) => w.terminate()));
    env.ingest.reply = () => ({ status: 200 });
    await track(page, 100, 200);
    await env.ingest.waitFor(() => received().byI.size == 200, 30_000);
    await page.evaluate(() => (window as any).Telltale.client.flush());
    const after = await stats(page);
    expect(after.buffer).toBe('memory');
    // the call that got no answer is counted
    expect(after.internalErrors).toBeGreaterThan(0);
    expect(after.buffered).toBe(0);
    expect(after.sent).toBeGreaterThanOrEqual(200);
    await page.close();
  });

  it('maxBufferEvents 100, 300 events behind 503s: exactly 100 arrive, the newest among them, every drop reported once', { timeout: 60_000 }, async () => {
    env.ingest.reply = () => ({ status: 503 });
    const page = await open(tagPage('/cap.html', 'data-max-buffer-events="100" data-flush-interval-ms="100"'));
    expect(await bufferOf(page)).toBe('indexeddb');
    await track(page, 0, 300);
    await page.waitForFunction(() => (window as any).Telltale.client.stats().dropped.count >= 200);
    await sleep(500);
    env.ingest.reply = () => ({ status: 200 });
    await env.ingest.waitFor(() => received().byI.size >= 100, 30_000);
    await page.evaluate(() => (window as any).Telltale.client.flush());
    await sleep(1000);
    const { byI, duplicates } = received();
    const dropped = (await stats(page)).dropped.count;
    expect(byI.size).toBe(100);
    expect(duplicates).toBe(0);
    for (let i = 250; i < 300; i++) expect(byI.has(i)).toBe(true);
    expect(dropped).toBe(200);
    expect(envelopeDrops()).toBe(dropped);
    await page.close();
  });
});
