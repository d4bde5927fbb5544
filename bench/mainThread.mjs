// Main-thread figures in Chromium, each at 1x and 4x CPU throttling: script evaluation and init(), JS heap,
// script time while loading, microseconds per track() and per wrapped inference call, script time per click.

/** A fresh tab throttled to `rate` through the DevTools protocol, with its metrics recorded. */
export const open = async (context, url, rate) => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  return { page, cdp };
};

/** Milliseconds of JavaScript the renderer ran for this page so far. */
export const scriptMs = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name == 'ScriptDuration').value * 1000;
};

/** One load: script eval (+ init for telltale), init alone, script time during load, heap after a GC. */
export const loadOnce = async (context, url, rate) => {
  const { page, cdp } = await open(context, url, rate);
  try {
    // let what the scripts schedule right after load (observers, timers) run
    await page.waitForTimeout(400);
    const t = await page.evaluate(() => ({ evalInit: self.t2 - self.t0, init: self.t2 - self.t1, isolated: crossOriginIsolated }));
    const script = await scriptMs(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return { ...t, scriptMs: script, heapKiB: usedSize / 1024 };
  } finally {
    await page.close();
  }
};

// Runs in the page: `calls` calls of `op` in chunks; the loop alone (the calling task) and the loop plus the
// microtasks it queued (where telltale hands events to its buffer). Chunks are separated by a macrotask so
// sending and timers run outside the timed spans. Returns µs per call.
const timeCalls = async ({ calls, chunk, kind }) => {
  const tt = self.tt;
  const yieldTask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
  let sink = 0;
  const W = Float32Array.from({ length: 16 }, (_, k) => k / 16);
  const x = new Float32Array(16).fill(0.5);
  const model = (v) => { let s = 0; for (let k = 0; k < 16; k++) s += v[k] * W[k]; return s; };
  const ops = {
    // the same-run reference: serializing the same event data once
    ref: (i) => (sink += JSON.stringify({ name: 'add_to_cart', data: { plan: 'pro', n: i } }).length),
    track: (i) => tt.track('add_to_cart', { plan: 'pro', n: i }),
    bare: () => (sink += model(x)),
    wrapped: () => (sink += self.wrapped(x)),
  };
  if (kind == 'wrapped') self.wrapped ||= tt.wrapInference(model, { model: 'bench', version: '1', backend: 'js' });
  const op = ops[kind];
  let loop = 0, total = 0;
  for (let c = 0; c < calls / chunk; c++) {
    const t0 = performance.now();
    for (let i = 0; i < chunk; i++) op(i);
    const t1 = performance.now();
    await null;
    const t2 = performance.now();
    loop += t1 - t0;
    total += t2 - t0;
    await yieldTask();
  }
  return { loopUs: (loop * 1000) / calls, totalUs: (total * 1000) / calls, sink };
};

/** µs per call of `kind` ('ref' | 'track' | 'bare' | 'wrapped'): a warm-up, then `runs` runs of `calls`. */
export const perCall = async (page, kind, { runs, calls = 100_000, chunk = 1000 }) => {
  await page.evaluate(timeCalls, { calls: 10_000, chunk, kind });
  const out = [];
  for (let r = 0; r < runs; r++) out.push(await page.evaluate(timeCalls, { calls, chunk, kind }));
  return out;
};

/** Script time per trusted click (page.mouse.click), one sample per click. */
export const perClick = async (page, cdp, { clicks = 10, gapMs = 250 } = {}) => {
  const box = await page.locator('#buy').boundingBox();
  await page.waitForTimeout(300);
  const samples = [];
  let before = await scriptMs(cdp);
  for (let i = 0; i < clicks; i++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(gapMs);
    const now = await scriptMs(cdp);
    samples.push(now - before);
    before = now;
  }
  return samples;
};
