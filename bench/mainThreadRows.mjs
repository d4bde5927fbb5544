// Runs the main-thread measurements at each CPU rate and turns them into table rows.
import { loadOnce, open, perCall, perClick } from './mainThread.mjs';
import { html, ISOLATED, variants } from './pages.mjs';
import { minus, summary } from './stats.mjs';

const NA = 'n/a (not built yet)';
const NAMES = ['none', 'web-vitals', 'telltale'];
const med = (v) => summary(v)?.median;

export const mainThreadRows = async ({ context, site, ingest, root, vitalsScript, reps, log }) => {
  const V = variants(root, vitalsScript, ingest.endpoint);
  const url = Object.fromEntries(NAMES.map((n) => [n, site.page(`/main-${n}.html`, html(V[n], ingest.endpoint), ISOLATED)]));
  const rows = [];
  const raw = {};
  const row = (figure, unit, values, extra) => rows.push({ section: 'main thread', figure, unit, ...summary(values), ...extra });
  const na = (figure, unit, target) => rows.push({ section: 'main thread', figure, unit, target, note: NA });

  for (const rate of [1, 4]) {
    const x = `${rate}x`;
    log(`main thread ${x}: ${reps} loads of each page`);
    const loads = Object.fromEntries(NAMES.map((n) => [n, []]));
    for (let r = 0; r < reps; r++) for (const n of NAMES) loads[n].push(await loadOnce(context, url[n], rate));
    const delta = (n, k) => minus(loads[n].map((l) => l[k]), loads.none.map((l) => l[k]));
    const vs = (k) => ({ to: 'web-vitals', base: med(delta('web-vitals', k)) });
    const ratio = (values, k) => ({ ratio: { value: med(values) / vs(k).base, to: 'web-vitals' } });
    const tt = (k) => delta('telltale', k);
    row(`eval + init() ${x}`, 'ms', tt('evalInit'), { ...ratio(tt('evalInit'), 'evalInit'), target: `web-vitals ${rate == 1 ? 5 : 17} ms (ANCHORS §8)` });
    row(`init() ${x}`, 'ms', loads.telltale.map((l) => l.init), { target: rate == 1 ? '≤ 1 ms' : '' });
    row(`script time during load, Δ ${x}`, 'ms', tt('scriptMs'), ratio(tt('scriptMs'), 'scriptMs'));
    row(`JS heap after init, Δ ${x}`, 'KiB', tt('heapKiB'), { ...ratio(tt('heapKiB'), 'heapKiB'), target: '≤ 200 KB; web-vitals 114 KiB (§8)' });
    row(`baseline web-vitals eval ${x}`, 'ms', delta('web-vitals', 'evalInit'));
    row(`baseline web-vitals script time Δ ${x}`, 'ms', delta('web-vitals', 'scriptMs'));
    row(`baseline web-vitals JS heap Δ ${x}`, 'KiB', delta('web-vitals', 'heapKiB'));
    raw[x] = { loads };

    log(`main thread ${x}: track() and inference, ${Math.min(reps, 3)} runs of 100,000 calls`);
    const runs = Math.min(reps, 3);
    const none = await open(context, url.none, rate);
    const ref = await perCall(none.page, 'ref', { runs });
    await none.page.close();
    const tel = await open(context, url.telltale, rate);
    const track = await perCall(tel.page, 'track', { runs });
    ingest.requests.length = 0; // the bench's own traffic: not kept
    const refUs = med(ref.map((r) => r.loopUs));
    const perRef = (v) => ({ ratio: { value: med(v) / refUs, to: 'JSON.stringify(event)' } });
    const trackLoop = track.map((r) => r.loopUs);
    const trackAll = track.map((r) => r.totalUs);
    row(`track() on the calling task ${x}`, 'µs', trackLoop, { ...perRef(trackLoop), target: '≤ 2 µs' });
    row(`track() + buffer hand-off ${x}`, 'µs', trackAll, perRef(trackAll));
    row(`baseline JSON.stringify(event) ${x}`, 'µs', ref.map((r) => r.loopUs));
    raw[x].calls = { ref, track };
    if (await tel.page.evaluate(() => typeof self.tt.wrapInference == 'function'))
      try {
        const bare = await perCall(tel.page, 'bare', { runs });
        const wrapped = await perCall(tel.page, 'wrapped', { runs });
        const over = minus(wrapped.map((r) => r.totalUs), bare.map((r) => r.totalUs));
        row(`wrapInference overhead per call ${x}`, 'µs', over, { ...perRef(over), target: '≤ 1 µs', note: `bare call ${med(bare.map((r) => r.totalUs)).toFixed(3)} µs` });
        raw[x].calls.bare = bare;
        raw[x].calls.wrapped = wrapped;
      } catch (e) {
        rows.push({ section: 'main thread', figure: `wrapInference overhead per call ${x}`, unit: 'µs', note: `failed: ${e.message.split('\n')[0]}` });
      }
    else na(`wrapInference overhead per call ${x}`, 'µs', '≤ 1 µs');
    await tel.page.close();
    ingest.requests.length = 0;

    const clickRuns = Math.min(reps, 2);
    log(`main thread ${x}: ${clickRuns} × 10 trusted clicks on each page`);
    // script time per click, the mean of each run of 10 clicks (the first clicks cost the most)
    const clicks = Object.fromEntries(NAMES.map((n) => [n, []]));
    let interactions = 0;
    for (let r = 0; r < clickRuns; r++)
      for (const n of NAMES) {
        const { page, cdp } = await open(context, url[n], rate);
        const seen = ingest.requests.length;
        const samples = await perClick(page, cdp);
        clicks[n].push(samples.reduce((a, b) => a + b) / samples.length);
        if (n == 'telltale') {
          await page.evaluate(() => self.tt.flush());
          interactions += ingest.requests.slice(seen).flatMap((q) => q.json?.events || []).filter((e) => e.type == 'interaction').length;
        }
        await page.close();
      }
    raw[x].clicks = { ...clicks, interactions };
    const click = (n) => minus(clicks[n], clicks.none);
    const clickTarget = `web-vitals ${rate == 1 ? 0.35 : 1.0} ms (§8)`;
    if (interactions)
      row(`per click handled, Δ ${x}`, 'ms', click('telltale'), { ratio: { value: med(click('telltale')) / med(click('web-vitals')), to: 'web-vitals' }, target: clickTarget, note: `${interactions} interaction events` });
    else na(`per click handled, Δ ${x}`, 'ms', clickTarget);
    row(`baseline web-vitals per click, Δ ${x}`, 'ms', click('web-vitals'));
    ingest.requests.length = 0;
  }
  return { rows, raw };
};
