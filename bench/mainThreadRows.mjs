// Runs the main-thread measurements at each CPU rate and turns them into table rows, every figure beside the
// floor (web-vitals/attribution + idb + comlink doing their minimal job) measured in the same run, and its goal.
import { loadOnce, open, perCall, perClick, perTaskCall, profile } from './mainThread.mjs';
import { html, ISOLATED, variants } from './pages.mjs';
import { minus, summary } from './stats.mjs';

const NAMES = ['none', 'floor', 'telltale'];
const CLICKS_PER_RUN = 20;
const median = (values) => summary(values)?.median;

/** A goal's text with whether today's median meets it. */
const goal = (text, met) => `${text}: ${met ? 'met' : 'NOT MET'}`;

export const mainThreadRows = async ({ context, site, ingest, root, floorScript, reps, log, profileDir }) => {
  const pages = variants(root, floorScript, ingest.endpoint);
  const url = Object.fromEntries(NAMES.map((name) => [name, site.page(`/main-${name}.html`, html(pages[name], ingest.endpoint), ISOLATED)]));
  const sampledOut = variants(root, floorScript, ingest.endpoint, { sampling: { inference: 0 } }).telltale;
  const sampledOutUrl = site.page('/main-telltale-sampled-out.html', html(sampledOut, ingest.endpoint), ISOLATED);
  const rows = [];
  const raw = {};
  const row = (figure, unit, values, extra) => rows.push({ section: 'main thread', figure, unit, ...summary(values), ...extra });
  const missing = (figure, unit, target, why) => rows.push({ section: 'main thread', figure, unit, target, note: `missing: ${why}`, missing: true });

  for (const rate of [1, 4]) {
    const x = `${rate}x`;
    log(`main thread ${x}: ${reps} loads of each page`);
    const loads = Object.fromEntries(NAMES.map((name) => [name, []]));
    for (let r = 0; r < reps; r++) for (const name of NAMES) loads[name].push(await loadOnce(context, url[name], rate));
    const delta = (name, key) => minus(loads[name].map((l) => l[key]), loads.none.map((l) => l[key]));
    const floorOf = (key) => median(delta('floor', key));
    const versusFloor = (key) => ({ ratio: { value: median(delta('telltale', key)) / floorOf(key), to: 'floor' } });
    const telltale = (key) => delta('telltale', key);

    row(`synchronous eval ${x}`, 'ms', telltale('evalOnly'), {
      ...versusFloor('evalOnly'),
      target: rate == 4 ? goal('≤ ×1.5 floor', median(telltale('evalOnly')) <= 1.5 * floorOf('evalOnly')) : '',
    });
    row(`eval + init() ${x}`, 'ms', telltale('evalInit'), versusFloor('evalInit'));
    const init = loads.telltale.map((l) => l.init);
    row(`init() ${x}`, 'ms', init, { target: rate == 1 ? goal('≤ 1 ms', median(init) <= 1) : '' });
    row(`script time during load, Δ ${x}`, 'ms', telltale('scriptMs'), versusFloor('scriptMs'));
    const longest = loads.telltale.map((l) => l.longestTaskMs);
    row(`long tasks during load, Δ ${x}`, 'ms', telltale('longTaskMs'), {
      ...versusFloor('longTaskMs'),
      target: rate == 4 ? goal('≤ floor', median(telltale('longTaskMs')) <= floorOf('longTaskMs')) : '',
      note: `longest task of the page ${median(longest).toFixed(0)} ms (none over 50 ms is the goal; the page's own parse included)`,
    });
    row(`JS heap after GC, Δ ${x}`, 'KiB', telltale('heapKiB'), {
      ...versusFloor('heapKiB'),
      target: goal('≤ ×1.1 floor', median(telltale('heapKiB')) <= 1.1 * floorOf('heapKiB')),
    });
    for (const [key, figure, unit] of [
      ['evalOnly', 'synchronous eval', 'ms'],
      ['scriptMs', 'script time during load, Δ', 'ms'],
      ['longTaskMs', 'long tasks during load, Δ', 'ms'],
      ['heapKiB', 'JS heap after GC, Δ', 'KiB'],
    ])
      row(`floor: ${figure} ${x}`, unit, delta('floor', key));
    raw[x] = { loads };

    const runs = Math.min(reps, 3);
    log(`main thread ${x}: track() and inference, ${runs} runs of 100,000 calls`);
    const none = await open(context, url.none, rate);
    const reference = await perCall(none.page, 'ref', { runs });
    await none.page.close();
    const tel = await open(context, url.telltale, rate);
    const track = await perCall(tel.page, 'track', { runs });
    ingest.requests.length = 0; // the bench's own traffic: not kept
    const referenceUs = median(reference.map((r) => r.loopUs));
    const perReference = (values) => ({ ratio: { value: median(values) / referenceUs, to: 'JSON.stringify(event)' } });
    const trackLoop = track.map((r) => r.loopUs);
    const trackAll = track.map((r) => r.totalUs);
    row(`track() on the calling task ${x}`, 'µs', trackLoop, { ...perReference(trackLoop), target: goal('≤ 1 µs', median(trackLoop) <= 1) });
    row(`track() + buffer hand-off ${x}`, 'µs', trackAll, perReference(trackAll));
    row(`baseline JSON.stringify(event) ${x}`, 'µs', reference.map((r) => r.loopUs));
    raw[x].calls = { reference, track };
    const bare = await perCall(tel.page, 'bare', { runs });
    const wrapped = await perCall(tel.page, 'wrapped', { runs });
    const over = minus(wrapped.map((r) => r.totalUs), bare.map((r) => r.totalUs));
    row(`wrapInference on top of the call ${x}`, 'µs', over, {
      ...perReference(over),
      target: goal('≤ 1 µs', median(over) <= 1),
      note: `bare call ${median(bare.map((r) => r.totalUs)).toFixed(3)} µs`,
    });
    raw[x].calls.bare = bare;
    raw[x].calls.wrapped = wrapped;
    await tel.page.close();

    log(`main thread ${x}: recordInference(), each call in a task of its own, sampled in and out`);
    for (const [label, pageUrl] of [
      ['sampled in', url.telltale],
      ['sampled out', sampledOutUrl],
    ]) {
      const samples = [];
      for (let r = 0; r < runs; r++) {
        const { page, cdp } = await open(context, pageUrl, rate);
        samples.push(await perTaskCall(page, cdp));
        await page.close();
      }
      const onTask = samples.map((s) => s.onTaskUs);
      const all = samples.map((s) => s.allUs);
      row(`recordInference() own task, ${label}, calling task ${x}`, 'µs', onTask, { target: goal('≤ 3 µs', median(onTask) <= 3) });
      row(`recordInference() own task, ${label}, in all ${x}`, 'µs', all, {
        target: goal('≤ 10 µs', median(all) <= 10),
        note: `with its microtasks ${median(samples.map((s) => s.microUs)).toFixed(1)} µs`,
      });
      raw[x][`recordInference ${label}`] = samples;
    }
    ingest.requests.length = 0;

    const clickRuns = Math.min(reps, 2);
    log(`main thread ${x}: ${clickRuns} × ${CLICKS_PER_RUN} trusted clicks on each page`);
    // script time per click, the mean of each run (the first clicks cost the most)
    const clicks = Object.fromEntries(NAMES.map((name) => [name, []]));
    let interactions = 0;
    for (let r = 0; r < clickRuns; r++)
      for (const name of NAMES) {
        const { page, cdp } = await open(context, url[name], rate);
        const seen = ingest.requests.length;
        const samples = await perClick(page, cdp, { clicks: CLICKS_PER_RUN, gapMs: 150 });
        clicks[name].push(samples.reduce((sum, ms) => sum + ms) / samples.length);
        if (name == 'telltale') {
          await page.evaluate(() => self.tt.flush());
          interactions += ingest.requests
            .slice(seen)
            .flatMap((request) => request.json?.events || [])
            .filter((e) => e.type == 'interaction').length;
        }
        await page.close();
      }
    raw[x].clicks = { ...clicks, interactions };
    const click = (name) => minus(clicks[name], clicks.none);
    const floorClick = median(click('floor'));
    if (interactions)
      row(`extra script time per click, Δ ${x}`, 'ms', click('telltale'), {
        ratio: { value: median(click('telltale')) - floorClick, to: 'ms over the floor', difference: true },
        target: rate == 4 ? goal('≤ floor + 0.3 ms', median(click('telltale')) <= floorClick + 0.3) : '',
        note: `${interactions} interaction events`,
      });
    else missing(`extra script time per click, Δ ${x}`, 'ms', '≤ floor + 0.3 ms', 'no interaction event reached the ingest');
    row(`floor: per click, Δ ${x}`, 'ms', click('floor'));
    ingest.requests.length = 0;

    if (profileDir) {
      log(`main thread ${x}: CPU profile and heap snapshot of a telltale page`);
      raw[x].profile = await profile(context, url.telltale, profileDir, rate);
    }
  }
  return { rows, raw };
};
