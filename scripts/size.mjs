// `npm run size`: raw, gzip and brotli bytes of every file in dist/, and the budgets `npm test` enforces.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
// the kilobytes are decimal (its "web-vitals 3.5 KB" is 3,520 B)
const KB = 1000;

/**
 * Gzip budgets in bytes, enforced by `npm test` (test/unit/size.test.ts), with web-vitals, idb and
 * comlink bundled in: the IIFE stays under the smallest full RUM SDK measured (Boomerang, 22.3 KB),
 * and two budgets for the lazily loaded chunks keep them from growing unseen. `file` names a dist/ file or
 * matches dist/ paths; `bundled` measures it the way a site's bundler ships it (see `bundleFile`);
 * an `optional` file is checked once it exists.
 */
export const BUDGETS = [
  // `ceiling`: where the budget is not met yet, what npm test enforces meanwhile (today's size and a
  // little room), so the file cannot grow unseen; `npm run size` and the bench print the budget as OVER
  // the ESM build's lazy chunks cost the IIFE ~360 B: it inlines them behind a promise, after the code that loads them
  { label: 'IIFE, everything (worker included)', file: 'telltale.min.js', gzip: 22 * KB, target: 20 * KB, ceiling: 29_400 },
  // as shipped: its worker and its lazily loaded parts are chunks of their own
  { label: 'ESM entry without its worker', file: 'telltale.mjs', gzip: 12 * KB },
  // ESM chunks loaded after init(): comlink's page side (with the worker's start), and OTLP's encoders for protocol: 'otlp'
  { label: 'worker connection chunk (ESM)', file: 'telltale.connectWorker.mjs', gzip: 2_600, optional: true },
  // ESM chunk loaded after init(): claiming batches, sending them and reading the answers (token buckets, retry, keepalive)
  { label: 'claim loop chunk (ESM)', file: 'telltale.claimLoop.mjs', gzip: 1_700, optional: true },
  // ESM chunk loaded only when the buffer falls back to memory (no worker, no IndexedDB, a worker lost): the store's logic over Maps
  { label: 'memory store chunk (ESM)', file: 'telltale.memoryStore.mjs', gzip: 2_000, optional: true },
  // the fleet baselines' loader: only a site with `baselineUrl` downloads it, with its first model call
  { label: 'fleet baselines chunk (ESM)', file: 'telltale.fleetBaselines.mjs', gzip: 700, optional: true },
  { label: 'OTLP encoders chunk (ESM)', file: 'telltale.otlpProtocol.mjs', gzip: 2_100, optional: true },
  { label: 'worker', file: /(^|\/)[^/]*worker[^/]*\.m?js$/, gzip: 6 * KB, optional: true },
  // ESM chunks loaded after init(): the vitals' measuring, and on a page's first model call the model aggregates.
  // web-vitals/attribution is most of the vitals chunk; our part is the mapping to `vital` events.
  { label: 'vitals chunk (ESM)', file: 'telltale.measure.mjs', gzip: 5_900, optional: true },
  // drift scaled by the dependence between calls (src/model/channel.ts) took it from ~2,450 to ~2,850 B; OpenTelemetry's bucket mapping with downscaling and the sketch in seconds for OTLP add ~200 B
  { label: 'model aggregates chunk (ESM)', file: 'telltale.monitor.mjs', gzip: 3_700, optional: true },
  { label: 'adapters entry, bundled', file: 'adapters.mjs', gzip: 2 * KB, optional: true, bundled: true },
];

export const measure = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const walk = (dir) =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : [path];
      })
    : [];

/** Every shipped file (declarations left out) with its sizes. */
export const distSizes = () =>
  walk(DIST)
    .filter((f) => !f.endsWith('.d.ts'))
    .map((f) => ({ file: relative(DIST, f), ...measure(readFileSync(f)) }));

/**
 * Terser's options, for our builds (rollup.config.mjs) and for what is measured beside them.
 * ascii_only: one non-ASCII character makes the browser keep the whole script as UTF-16, twice the memory.
 */
export const TERSER = { ecma: 2020, compress: { passes: 4 }, format: { comments: false, ascii_only: true } };
const ENTRY = '\0size-entry';

/**
 * Bundles `code` (an ES module) the way a site's bundler would: npm dependencies resolved for the
 * browser and bundled in, tree-shaken, minified by terser. `external(id)` keeps imports out.
 */
export const bundleCode = async (code, { format = 'es', external } = {}) => {
  const entry = { name: 'size-entry', resolveId: (id) => (id == ENTRY ? id : null), load: (id) => (id == ENTRY ? code : null) };
  const build = await rollup({ input: ENTRY, external, plugins: [entry, nodeResolve({ browser: true })], onwarn: () => {} });
  try {
    const { output } = await build.generate({ format, name: 'Bench', plugins: [terser(TERSER)] });
    return output.map((o) => o.code || '').join('');
  } finally {
    await build.close();
  }
};

/**
 * A dist/ ES module as a site's bundler ships it: every export kept, its npm dependencies bundled in,
 * minified. Imports of other dist/ files (the core an adapter builds on, a worker file) stay out:
 * they are counted on their own.
 */
export const bundleFile = (file) =>
  bundleCode(`export * from ${JSON.stringify(join(DIST, file))};`, {
    external: (id, from) => !!from && from != ENTRY && (id.startsWith('.') || id == 'telltale' || id.startsWith('telltale/')),
  });

/** What the three runtime dependencies weigh bundled alone: no build that ships them all can be smaller. */
export const FLOOR = {
  label: 'web-vitals/attribution + idb + comlink, bundled alone',
  code: `export * from 'web-vitals/attribution'; export * from 'idb'; export * from 'comlink';`,
};

const matches = (b, file) => (typeof b.file == 'string' ? file == b.file : b.file.test(file));

/** Each budget with the files it covers now: `{ ...budget, rows: [{ file, raw, gzip, brotli }] }`. */
export const budgetSizes = async (sizes = distSizes()) =>
  Promise.all(
    BUDGETS.map(async (b) => ({
      ...b,
      rows: await Promise.all(
        sizes
          .filter((r) => matches(b, r.file))
          .map(async (r) => (b.bundled ? { file: r.file, ...measure(Buffer.from(await bundleFile(r.file))) } : r)),
      ),
    })),
  );

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pad = (s, n) => String(s).padStart(n);
  const line = (name, r, note = '') =>
    console.log(`${name.padEnd(40)}${pad(r.raw ?? '', 9)}${pad(r.gzip ?? '', 9)}${pad(r.brotli ?? '', 10)}  ${note}`);
  line('dist/ file', { raw: 'raw B', gzip: 'gzip B', brotli: 'brotli B' });
  for (const r of distSizes()) line(r.file, r);
  console.log('\nbudgets (gzip -9, checked by npm test)');
  for (const b of await budgetSizes()) {
    if (!b.rows.length) line(b.label, {}, `≤ ${b.gzip}: not built yet`);
    for (const r of b.rows) {
      const ceiling = r.gzip > b.gzip && b.ceiling ? `, under the ceiling npm test holds it to meanwhile: ≤ ${b.ceiling} ${r.gzip <= b.ceiling ? 'ok' : 'OVER'}` : '';
      line(`${r.file}${b.bundled ? ', bundled' : ''}`, r, `≤ ${b.gzip} ${r.gzip <= b.gzip ? 'ok' : 'OVER'}${ceiling}`);
    }
  }
  console.log(`\nfloor: ${FLOOR.label}: ${measure(Buffer.from(await bundleCode(FLOOR.code))).gzip} B gzip`);
}
