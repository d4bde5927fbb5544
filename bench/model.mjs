// `node bench/model.mjs`: what the model monitor costs and how well it sees, on synthetic
// streams (seeded, so every run prints the same table): sketch error and size, drift
// detection delays and false alarms, wrapInference overhead. Compiles src/model/ itself.
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = ROOT + 'bench/.model-bundle.mjs';

/** src/model as one ES module for Node. */
const load = async () => {
  const entry = `export * from '${ROOT}src/model/sketch.ts'; export * from '${ROOT}src/model/drift.ts';
    export * from '${ROOT}src/model/models.ts'; export * from '${ROOT}src/model/wrapInference.ts';
    export * from '${ROOT}test/unit/model/random.ts';`;
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      { name: 'entry', resolveId: (id) => (id == 'entry' ? id : null), load: (id) => (id == 'entry' ? entry : null) },
      { name: 'version', transform: (code) => code.replaceAll('__TELLTALE_VERSION__', '"bench"') },
      typescript({ tsconfig: ROOT + 'tsconfig.json', include: [ROOT + 'src/**/*.ts', ROOT + 'test/unit/model/random.ts'], declaration: false, noEmit: false, sourceMap: false, outDir: undefined, rootDir: undefined }),
    ],
    onwarn: () => {},
  });
  await bundle.write({ file: OUT, format: 'es', inlineDynamicImports: true });
  await bundle.close();
  try {
    return await import(pathToFileURL(OUT).href);
  } finally {
    rmSync(OUT, { force: true });
  }
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const m = await load();
// seeded uniform and normal draws (the unit tests' generator)
const { rand, normal } = m.rng(42);
const rows = [];
const row = (what, value, goal = '') => rows.push([what, String(value), goal]);

// 1. sketch: worst relative error over quantiles 1%..99.9% on 100,000 values, and size
const QS = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];
const streams = {
  'uniform 0..1000 ms': () => rand() * 1000,
  'lognormal median 20 ms, σ 1': () => 20 * Math.exp(normal()),
  'bimodal 5 ms | 400 ms': () => (rand() < 0.7 ? 5 : 400) * Math.exp(0.2 * normal()),
};
for (const [name, draw] of Object.entries(streams)) {
  const s = m.createSketch();
  const xs = Array.from({ length: 100_000 }, draw);
  for (const x of xs) m.sketchAdd(s, x);
  xs.sort((a, b) => a - b);
  const err = Math.max(...QS.map((q) => Math.abs(m.sketchQuantile(s, q) / xs[Math.floor(q * (xs.length - 1))] - 1)));
  row(`sketch max relative error, ${name}`, (err * 100).toFixed(3) + ' %', '≤ 1 %');
  row(`sketch size, ${name}`, `${s.counts.byteLength} B memory, ${JSON.stringify(m.sketchBuckets(s)).length} B on the wire`, '≤ 4096 B');
}

// 2. drift, on three output streams with N(0,1) margins: independent, and AR(1)
// (x[t] = ρ x[t-1] + √(1-ρ²) ε[t]) with ρ = 0.5 and ρ = 0.9; latency log-normal, median 20 ms,
// σ 0.3. A detector learns its baseline from the stream (baselineSize 200: more calls for a
// dependent stream), runs on, then the stream changes at call WARM
const RUNS = 200;
const LIMIT = 5000;
const WARM = 2500;
const ar1 = (rho) => {
  let x = normal();
  return () => (x = rho * x + Math.sqrt(1 - rho * rho) * normal());
};
const STREAMS = [
  ['iid', 0],
  ['AR(1) ρ 0.5', 0.5],
  ['AR(1) ρ 0.9', 0.9],
];
const latency = (median = 20) => median * Math.exp(0.3 * normal());
/** A detector past its learning on a stream of dependence `rho`, and the stream's next output. */
const warmed = (rho) => {
  const detector = m.createDrift(200);
  const next = ar1(rho);
  for (let i = 0; i < WARM; i++) detector.feed(next(), latency());
  return { d: detector, next };
};
const delay = (rho, change) => {
  const out = [];
  for (let r = 0; r < RUNS; r++) {
    const { d, next } = warmed(rho);
    let n = 0;
    while (n < LIMIT && d.feed(...change(next())) < 1) n++;
    out.push(n + 1);
  }
  return out;
};
const cases = [
  ['1σ shift of the output mean', 0, (x) => [1 + x, latency()], 100],
  ['1σ shift of the output mean', 0.5, (x) => [1 + x, latency()], undefined],
  ['1σ shift of the output mean', 0.9, (x) => [1 + x, latency()], 300],
  ['doubled output std', 0, (x) => [2 * x, latency()], 300],
  ['doubled output std', 0.9, (x) => [2 * x, latency()], undefined],
  ['tripled latency', 0, (x) => [x, latency(60)], 50],
  ['tripled latency', 0.9, (x) => [x, latency(60)], undefined],
];
for (const [what, rho, change, goal] of cases) {
  const ds = delay(rho, change);
  const stream = STREAMS.find((s) => s[1] == rho)[0];
  row(`calls to flag a ${what}, ${stream} (median, p90 of ${RUNS})`, `${median(ds)}, ${pct(ds, 0.9)}`, goal ? `median ≤ ${goal}` : '(no goal)');
}

// false alarms: entries into medium (and into high) on unshifted streams, per 100,000 calls
// after the baseline is learned; the dependence each detector estimated is printed beside
const FA_RUNS = 100;
for (const [stream, rho] of STREAMS) {
  let medium = 0;
  let high = 0;
  const estimates = [];
  for (let r = 0; r < FA_RUNS; r++) {
    const { d, next } = warmed(rho);
    let was = 0;
    for (let i = 0; i < 100_000; i++) {
      const level = d.feed(next(), latency());
      if (level >= 1 && was < 1) medium++;
      if (level == 2 && was < 2) high++;
      was = level;
    }
    estimates.push(d.report().autocorrelation);
  }
  row(`false alarms per 100,000 calls, ${stream}, medium (${FA_RUNS} streams)`, (medium / FA_RUNS).toFixed(2), '≤ 1');
  row(`false alarms per 100,000 calls, ${stream}, high (${FA_RUNS} streams)`, (high / FA_RUNS).toFixed(2), '0');
  row(`autocorrelation the detector used, ${stream} (median)`, median(estimates), `≈ ${rho}`);
}

// 3. wrapInference overhead: a trivial sync function, bare and wrapped, through the real
// monitor (sketch, Welford, drift, alerts); the recorder builds the event object as the
// client does and drops it, so this is the monitor's cost, not the pipeline's
const cfg = { summaryIntervalMs: 0, baselineSize: 200, latencyBudgetMs: 100, alertErrorRate: 0.05, alertLatencyMs: 500, alertServedRate: 0.95, alertDrift: 'high' };
const overhead = async () => {
  let sink = 0;
  const rec = { record: (type, fields) => (sink += { id: 'x', type, t: Date.now(), page: '/', ...fields }.t > 0), internal: (e) => { throw e; } };
  const mon = m.createModels(rec, cfg, () => {});
  const bare = (x) => x + 1;
  const wrapped = mon.wrap(bare, { model: 'm', summarize: (v) => v });
  // the first call loads the aggregates: time the calls after it
  wrapped(0);
  await mon.ready();
  const N = 1_000_000;
  const time = (f) => {
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) sink += f(i & 1023);
      best = Math.min(best, performance.now() - t0);
    }
    return (best * 1e6) / N;
  };
  time(wrapped);
  const ns = time(wrapped) - time(bare);
  mon.stop();
  return sink ? ns : ns;
};
row('wrapInference overhead per sync call (Node, ns)', (await overhead()).toFixed(0), '< 1000');

const w = [0, ...rows.map((r) => r[0].length)].reduce((a, b) => Math.max(a, b));
const v = rows.map((r) => r[1].length).reduce((a, b) => Math.max(a, b));
console.log(`${'model monitor'.padEnd(w)}  ${'measured'.padEnd(v)}  goal`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padEnd(v)}  ${c}`);
// a figure the monitor no longer reports (a field gone, a check that never fires) fails the bench
const missing = rows.filter(([, value]) => /undefined|NaN/.test(value));
if (missing.length) {
  console.error(`missing measurements: ${missing.map((r) => r[0]).join('; ')}`);
  process.exitCode = 1;
}
