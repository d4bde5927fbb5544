// Main-thread figures in Chromium, each at 1x and 4x CPU throttling: script evaluation and init(), JS heap,
// script time and long tasks while loading, microseconds per track(), per wrapped inference call and per
// recordInference() in a task of its own, script time per click; and, on request, a CPU profile and a heap snapshot.
import { writeFileSync } from 'node:fs';

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

/**
 * One load: synchronous script evaluation, eval + init, init alone, script time and long tasks during
 * load (their total and the longest), heap after a GC.
 */
export const loadOnce = async (context, url, rate) => {
  const { page, cdp } = await open(context, url, rate);
  try {
    // let what the scripts schedule right after load (observers, timers, the worker's start) run
    await page.waitForTimeout(600);
    const t = await page.evaluate(() => ({
      evalOnly: self.t1 - self.t0,
      evalInit: self.t2 - self.t0,
      init: self.t2 - self.t1,
      longTaskMs: self.longTasks.reduce((sum, d) => sum + d, 0),
      longestTaskMs: Math.max(0, ...self.longTasks),
      isolated: crossOriginIsolated,
    }));
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

// Runs in the page: `calls` calls of `kind`, each in a task of its own (as a page that records one inference
// per frame or per message does). Returns µs per call on the calling task and with the microtasks it queued.
const timeTasks = async ({ calls, kind }) => {
  const tt = self.tt;
  const yieldTask = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
  const ops = {
    none: () => {},
    record: (i) => tt.recordInference({ model: 'bench-task', version: '1', backend: 'js', durationMs: 3 + (i % 7), ok: true, output: (i % 10) / 10 }),
  };
  const op = ops[kind];
  let onTask = 0;
  let withMicrotasks = 0;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    op(i);
    const t1 = performance.now();
    await null;
    const t2 = performance.now();
    onTask += t1 - t0;
    withMicrotasks += t2 - t0;
    await yieldTask();
  }
  // what the calls scheduled for later (drains, timers) runs before the caller reads the script time
  await tt.flush?.();
  return { onTaskUs: (onTask * 1000) / calls, microUs: (withMicrotasks * 1000) / calls };
};

/**
 * µs per `recordInference()` made in a task of its own: on the calling task, with its microtasks, and in all
 * (the renderer's script time for the run, less the same run calling nothing, per call).
 */
export const perTaskCall = async (page, cdp, { calls = 2000 } = {}) => {
  await page.evaluate(timeTasks, { calls: 200, kind: 'record' });
  const before = await scriptMs(cdp);
  await page.evaluate(timeTasks, { calls, kind: 'none' });
  const middle = await scriptMs(cdp);
  const record = await page.evaluate(timeTasks, { calls, kind: 'record' });
  const after = await scriptMs(cdp);
  return { ...record, allUs: (((after - middle) - (middle - before)) * 1000) / calls };
};

/**
 * `--profile`: a CPU profile of a telltale page loading, handling 20 clicks and 2,000 recordInference() calls,
 * and a heap snapshot after it, written to `dir` (open them in Chromium's DevTools).
 */
export const profile = async (context, url, dir, rate) => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  // perClick reads the script time
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(600);
  await perClick(page, cdp, { clicks: 20, gapMs: 100 });
  await page.evaluate(timeTasks, { calls: 2000, kind: 'record' });
  const { profile: cpu } = await cdp.send('Profiler.stop');
  writeFileSync(`${dir}/telltale-${rate}x.cpuprofile`, JSON.stringify(cpu));
  const chunks = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  writeFileSync(`${dir}/telltale-${rate}x.heapsnapshot`, chunks.join(''));
  await page.close();
  return [`${dir}/telltale-${rate}x.cpuprofile`, `${dir}/telltale-${rate}x.heapsnapshot`];
};
