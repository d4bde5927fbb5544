// Delivery figures (1x CPU): bytes on the wire per event of each type before and after gzip, requests per
// 1,000 events, and, in four arrival patterns, events appended and delivered per second and the settling time of flush(). Each measurement gets a fresh origin (a new site
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

// In the page: `n` track() calls in an arrival pattern, then flush() at once; times from the first call (ms).
const arrive = async ({ n, pattern, timeoutMs }) => {
  const channel = new MessageChannel();
  const nextTask = () => new Promise((r) => { channel.port1.onmessage = r; channel.port2.postMessage(0); });
  const tt = self.tt;
  const track = (i) => tt.track('add_to_cart', { plan: 'pro', n: i });
  const t0 = performance.now();
  if (pattern == 'burst') for (let i = 0; i < n; i++) track(i);
  else if (pattern == 'microtask')
    await new Promise((done) => {
      let i = 0;
      const next = () => {
        track(i++);
        if (i < n) queueMicrotask(next);
        else done();
      };
      next();
    });
  else
    for (let i = 0; i < n; i++) {
      await nextTask();
      // paced: one event per millisecond
      if (pattern == '1khz') while (performance.now() < t0 + i) await nextTask();
      track(i);
    }
  const arrivedAt = performance.now();
  let appendedAt = NaN;
  let deliveredAt = NaN;
  const flushed = tt.flush().then(() => ({ at: performance.now(), sent: tt.stats().sent }));
  const end = arrivedAt + timeoutMs;
  while (performance.now() < end && !(deliveredAt >= 0)) {
    const s = tt.stats();
    if (!(appendedAt >= 0) && s.buffered + s.sent >= n) appendedAt = performance.now();
    if (s.sent >= n) deliveredAt = performance.now();
    else await new Promise((r) => setTimeout(r, 1));
  }
  const flush = await flushed;
  return { buffer: tt.stats().buffer, arrivedMs: arrivedAt - t0, appendedMs: appendedAt - t0, lagMs: appendedAt - arrivedAt, deliveredMs: deliveredAt - t0, flushMs: flush.at - arrivedAt, sentAtFlush: flush.sent };
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

  // 3. Arrival patterns: 10,000 events arriving in a burst, one per microtask, one per task as fast as tasks
  // run, and one per task paced at 1 kHz; for each, events appended per second (first track() until every
  // event is in the store), delivered per second (until the ingest confirmed all) and how long flush(),
  // called right after the last event, takes to settle. Rate limits are lifted: the store is measured.
  const N = 10_000;
  const OPEN = { maxEventsPerMinute: 1e6, maxRequestsPerMinute: 1e4, maxBufferEvents: 20_000 };
  const patterns = [
    ['burst', 'a burst (one task)'],
    ['microtask', 'one per microtask'],
    ['task', 'one per task, as fast as tasks run'],
    ['1khz', 'one per task at 1 kHz'],
  ];
  log(`delivery: ${N.toLocaleString('en')} events in ${patterns.length} arrival patterns (${reps} runs)`);
  raw.arrivals = {};
  for (const [pattern, label] of patterns) {
    const runs = [];
    for (let r = 0; r < reps; r++) runs.push(await withPage(OPEN, (page) => page.evaluate(arrive, { n: N, pattern, timeoutMs: 60_000 })));
    raw.arrivals[pattern] = runs;
    const buffer = runs[0]?.buffer;
    row(`${label}: appended per second`, 'events/s', runs.map((x) => N / (x.appendedMs / 1000)), {
      target: pattern == '1khz' ? 'keeps up (arrival 1,000/s)' : '≥ 20,000/s',
      note: `${buffer}; last event in the store ${summary(runs.map((x) => x.lagMs))?.median.toFixed(0)} ms after it arrived`,
    });
    row(`${label}: delivered per second`, 'events/s', runs.map((x) => N / (x.deliveredMs / 1000)), { note: 'first track() until the ingest confirmed all' });
    row(`${label}: flush() settles after the last event`, 'ms', runs.map((x) => x.flushMs), {
      target: '≤ 2,000 ms',
      note: `sent when it settled: ${runs.map((x) => x.sentAtFlush).join(', ')}`,
    });
  }
  return { rows, raw };
};
