import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const w = useWorld();

const tag = (attrs: string) => `<script async src="/dist/telltale.min.js" ${attrs}></script>`;

describe('script tag, endpoint on another origin', () => {
  it('delivers a queued pre-load event and a post-load event when the user leaves, with no preflight', async () => {
    const url = w.site.page(
      '/shop/cart.html',
      `<!doctype html><title>cart</title>
       <script>window.telltaleq = window.telltaleq || []; telltaleq.push(['track', 'pre-load', { plan: 'pro' }]);</script>
       ${tag(`data-endpoint="${w.ingest.endpoint}" data-app="shop" data-release="1.4.2" data-env="e2e" data-flush-interval-ms="60000"`)}
       <button id="b">buy</button>`,
    );
    const page = await w.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url + '?email=jane@example.com&token=abc#frag');
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.evaluate(() => (window as any).telltaleq.push(['track', 'post-load', { step: 2 }]));
    // nothing has been sent yet: the flush interval is a minute
    expect(w.ingest.posts()).toHaveLength(0);
    await page.goto('about:blank');

    const names = await w.ingest.waitFor(() => {
      const n = w.ingest.events().map((e) => e.name);
      return n.includes('pre-load') && n.includes('post-load') && n;
    });
    expect(names.indexOf('pre-load')).toBeLessThan(names.indexOf('post-load'));
    expect(w.ingest.requests.filter((r) => r.method == 'OPTIONS')).toHaveLength(0);
    expect(errors).toEqual([]);

    const post = w.ingest.posts().find((r) => r.json?.events.some((e) => e.name == 'pre-load'))!;
    expect(post.headers['content-type'] ?? '').toMatch(/^(text\/plain|$)/);
    const env = post.json!;
    expect(env).toMatchObject({ v: 1, sdk: 'telltale/0.1.0', app: { name: 'shop', release: '1.4.2', env: 'e2e' } });
    expect(Object.keys(env)).toEqual(['v', 'batch', 'sentAt', 'sdk', 'app', 'session', 'events']);
    expect(env.batch).toMatch(/^[0-9a-f]{16}$/);
    expect(env.session).toMatch(/^[0-9a-f]{32}$/);
    // the collectors' events (vitals, ...) may travel in the same batch
    for (const e of env.events.filter((e) => e.type == 'custom')) {
      expect(e).toMatchObject({ type: 'custom', page: '/shop/cart.html' });
      expect(e.id).toMatch(/^[0-9a-f]{16}$/);
      expect(Math.abs((e.t as number) - Date.now())).toBeLessThan(60_000);
    }
    expect(env.events.find((e) => e.name == 'pre-load')!.data).toEqual({ plan: 'pro' });
    // the page URL's query and fragment never leave the page
    expect(post.body).not.toContain('jane');
    expect(post.body).not.toContain('frag');
    await page.close();
  });

  it('sends full batches while the page stays open, by fetch, without preflight', async () => {
    const before = w.ingest.posts().length;
    const url = w.site.page('/batch.html', tag(`data-endpoint="${w.ingest.endpoint}" data-app="shop" data-batch-size="10"`));
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.evaluate(() => {
      for (let i = 0; i < 25; i++) (window as any).Telltale.client.track('n', { i });
    });
    // (the first test's exit beacon is unconfirmed: this later page of the origin sends it again)
    // (vitals of this page may ride in the same batches)
    const mine = () => w.ingest.posts().slice(before).filter((p) => p.json?.events.some((e) => e.name == 'n'));
    // two full batches leave before anything asks for a flush
    await w.ingest.waitFor(() => mine().filter((b) => b.json!.events.length == 10).length >= 2);
    for (const b of mine()) expect(b.json!.events.length).toBeLessThanOrEqual(10);
    const stats = await page.evaluate(async () => {
      await (window as any).Telltale.client.flush();
      return (window as any).Telltale.client.stats();
    });
    expect(stats).toMatchObject({ buffered: 0, buffer: 'indexeddb' });
    // 25, plus vitals and the first test's exit events when this page is the one that re-sends them
    expect(stats.sent).toBeGreaterThanOrEqual(25);
    const got = w.ingest.events().filter((e) => e.name == 'n').map((e) => (e.data as { i: number }).i);
    expect(new Set(got).size).toBe(25);
    expect(w.ingest.requests.filter((r) => r.method == 'OPTIONS')).toHaveLength(0);
    await page.close();
  });

  it('a bad attribute prints one clear console error, disables the SDK and throws nothing into the page', async () => {
    const url = w.site.page('/bad.html', tag(`data-endpoint="${w.ingest.endpoint}" data-app="shop" data-sample-rate="2"`));
    const page = await w.browser.context.newPage();
    const errors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // the SDK's own messages (the browser's about a missing favicon are not its)
    page.on('console', (m) => {
      if (m.type() == 'error' && m.text().startsWith('telltale')) consoleErrors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale);
    expect(await page.evaluate(() => (window as any).Telltale.client)).toBeUndefined();
    expect(consoleErrors).toEqual(['telltale: data-sample-rate must be a number from 0 to 1, got 2']);
    expect(errors).toEqual([]);
    // the queue still accepts calls (push answers as an array's does), none throws, and nothing is sent
    const pushed = await page.evaluate(() => (window as any).telltaleq.push(['track', 'after-bad-attribute'], ['flush']));
    expect(pushed).toBeTypeOf('number');
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]);
    expect(consoleErrors).toHaveLength(1);
    expect(w.ingest.events().filter((e) => e.name == 'after-bad-attribute')).toEqual([]);
    await page.close();
  });

  it('without data-endpoint, a queued init starts the client and earlier calls run after it', async () => {
    const url = w.site.page(
      '/queued-init.html',
      `<script>window.telltaleq = [['track', 'before-init'], ['init', { endpoint: '${w.ingest.endpoint}', app: 'q' }]];</script>
       ${tag('')}`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.evaluate(() => (window as any).Telltale.client.flush());
    await w.ingest.waitFor(() => w.ingest.events().some((e) => e.name == 'before-init'));
    await page.close();
  });
});
