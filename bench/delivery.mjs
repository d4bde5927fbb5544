// Delivery figures (1x CPU): bytes on the wire per event of each type before and after gzip, requests per
// 1,000 events, and events per second through the buffer. Each measurement gets a fresh origin (a new site
// server), so a durable store never carries events from one measurement into the next.
import { gzipSync } from 'node:zlib';
import { html, variants } from './pages.mjs';
import { summary } from './stats.mjs';

const NA = 'n/a (not built yet)';
const TYPES = ['vital', 'interaction', 'route', 'error', 'inference', 'inference_summary', 'alert', 'custom'];
const SMALL = { vital: '≤ 120 B', interaction: '≤ 120 B' };
const bytes = (s) => Buffer.byteLength(s);
const gz = (s) => gzipSync(s, { level: 9 }).length;

// In the page: `n` track() calls, `per` in each task, timed from the first call until `done` holds.
const pump = async ({ n, per, until, timeoutMs }) => {
  const yieldTask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
  const tt = self.tt;
  const t0 = performance.now();
  for (let i = 0; i < n; i += per) {
    for (let j = i; j < Math.min(n, i + per); j++) tt.track('add_to_cart', { plan: 'pro', n: j });
    await yieldTask();
  }
  const end = t0 + timeoutMs;
  for (;;) {
    const s = tt.stats();
    if ((until == 'buffered' ? s.buffered : s.sent) >= n) return { ms: performance.now() - t0, buffer: s.buffer };
    if (performance.now() > end) return { ms: NaN, buffer: s.buffer, stats: s };
    if (until == 'sent') await tt.flush();
    await new Promise((r) => setTimeout(r, 1));
  }
};

export const deliveryRows = async ({ context, startSite, ingest, root, reps, log }) => {
  const rows = [];
  const raw = {};
  const row = (figure, unit, values, extra) => rows.push({ section: 'delivery', figure, unit, ...summary(values), ...extra });
  const na = (figure, unit, target) => rows.push({ section: 'delivery', figure, unit, target, note: NA });

  /** A page of its own origin running telltale with `options`; `headers` for its response. */
  const withPage = async (options, fn, headers = {}) => {
    const site = await startSite();
    const page = await context.newPage();
    try {
      const v = variants(root, '', ingest.endpoint, options).telltale;
      // loaded by URL as sites do: an inlined IIFE has no script URL to start its worker from
      await page.goto(site.page('/shop/cart.html', html(v, ingest.endpoint, '/dist/telltale.min.js'), headers));
      return await fn(page);
    } finally {
      await page.close();
      await site.close();
    }
  };
  const quiet = async (ms = 800, max = 10_000) => {
    const end = Date.now() + max;
    let n = -1;
    while (n != ingest.requests.length && Date.now() < end) (n = ingest.requests.length), await new Promise((r) => setTimeout(r, ms));
  };

  // 1. One session doing a bit of everything; every event type that arrives is weighed.
  log('delivery: wire bytes per event type');
  ingest.requests.length = 0;
  await withPage({}, async (page) => {
    await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) self.tt.track('add_to_cart', { plan: 'pro', n: i });
      for (let i = 0; i < 10; i++) history.pushState({}, '', `/shop/item/${i}`);
      for (let i = 0; i < 5; i++) setTimeout(() => { throw new Error(`bench error ${i}`); });
      if (typeof self.tt.wrapInference == 'function')
        try {
          const f = self.tt.wrapInference((x) => x * 2, { model: 'bench', version: '1', backend: 'js' });
          for (let i = 0; i < 50; i++) f(i);
        } catch (e) {
          console.error(e);
        }
    });
    const box = await page.locator('#buy').boundingBox();
    for (let i = 0; i < 20; i++) await page.mouse.click(box.x + 10 + i, box.y + 10), await page.waitForTimeout(60);
    // event timing entries reach observers after the next frames: a moment, then hide and leave
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.goto('about:blank');
  });
  await quiet();
  const posts = ingest.posts().filter((p) => p.json);
  const head = posts[0] && { ...posts[0].json, events: [] };
  raw.wire = { posts: posts.map((p) => p.body) };
  for (const type of TYPES) {
    const evs = posts.flatMap((p) => p.json.events).filter((e) => e.type == type);
    if (!evs.length) {
      if (type == 'alert') continue; // raised only when a model misbehaves
      na(`wire bytes per ${type} event, raw`, 'B', SMALL[type]);
      continue;
    }
    const sizes = evs.map((e) => bytes(JSON.stringify(e)) + 1); // + the comma between events
    // gzip is not per event: the growth of a gzipped envelope holding these events, per event
    const zipped = (gz(JSON.stringify({ ...head, events: evs })) - gz(JSON.stringify(head))) / evs.length;
    row(`wire bytes per ${type} event, raw`, 'B', sizes, { target: SMALL[type], note: `${evs.length} events` });
    row(`wire bytes per ${type} event, gzip`, 'B', [zipped], { note: `growth of a gzip -9 envelope of ${evs.length}` });
  }
  if (head) row('envelope without events, raw / gzip', 'B', [bytes(JSON.stringify(head))], { note: `gzip ${gz(JSON.stringify(head))} B` });

  // 2. Requests per 1,000 events, default options, 10 events per task.
  log(`delivery: requests per 1,000 events (${reps} runs)`);
  const req = [];
  const per = [];
  for (let r = 0; r < reps; r++) {
    const seen = ingest.requests.length;
    const got = await withPage({}, (page) => page.evaluate(pump, { n: 1000, per: 10, until: 'sent', timeoutMs: 20_000 }));
    const ps = ingest.requests.slice(seen).filter((q) => q.method == 'POST');
    req.push(ps.length);
    per.push(ps.reduce((a, q) => a + bytes(q.body), 0) / 1000);
    raw.requests = [...(raw.requests || []), got];
  }
  row('requests per 1,000 events', 'requests', req, { note: `${summary(per)?.median.toFixed(0)} B per event on the wire, envelopes included` });

  // 3. Events per second into the buffer (the endpoint answers 503 + Retry-After, so nothing is sent and
  // stats().buffered counts them all), and through it to a 200 endpoint (append, claim, POST, ack).
  const throughput = async (headers) => {
    const out = { appends: [], delivered: [], buffer: undefined };
    for (let r = 0; r < reps; r++) {
      ingest.reply = () => ({ status: 503, headers: { 'retry-after': '3600' } });
      const a = await withPage({}, (page) => page.evaluate(pump, { n: 4000, per: 100, until: 'buffered', timeoutMs: 20_000 }), headers);
      ingest.reply = () => ({ status: 200 });
      const d = await withPage({}, (page) => page.evaluate(pump, { n: 4000, per: 100, until: 'sent', timeoutMs: 20_000 }), headers);
      out.appends.push(4000 / (a.ms / 1000));
      out.delivered.push(4000 / (d.ms / 1000));
      out.buffer = a.buffer;
    }
    return out;
  };
  log(`delivery: events per second through the buffer (${reps} runs)`);
  const dflt = await throughput({});
  raw.throughput = { default: dflt };
  const storeRows = (name, t, base) => {
    const vs = (k) => base && { ratio: { value: summary(t[k]).median / summary(base[k]).median, to: 'memory buffer' } };
    row(`${name}: appends per second`, 'events/s', t.appends, { target: '≥ 20,000/s', ...vs('appends') });
    row(`${name}: delivered per second (claim, POST, ack)`, 'events/s', t.delivered, { target: '≥ 20,000/s', ...vs('delivered') });
  };
  if (dflt.buffer == 'indexeddb') {
    log(`delivery: the in-memory fallback (CSP worker-src 'none')`);
    const mem = await throughput({ 'content-security-policy': "worker-src 'none'" });
    raw.throughput.fallback = mem;
    storeRows('worker store', dflt, mem);
    storeRows(`fallback buffer under worker-src 'none' (${mem.buffer})`, mem);
  } else {
    na('worker store: appends per second', 'events/s', '≥ 20,000/s');
    na('worker store: delivered per second (claim, POST, ack)', 'events/s', '≥ 20,000/s');
    storeRows(`${dflt.buffer} buffer`, dflt);
  }
  return { rows, raw };
};
