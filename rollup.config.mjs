import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { TERSER } from './scripts/size.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Stamps the package version into the code (`__TELLTALE_VERSION__`). */
const version = () => ({
  name: 'telltale-version',
  transform: (code) => (code.includes('__TELLTALE_VERSION__') ? code.replaceAll('__TELLTALE_VERSION__', JSON.stringify(pkg.version)) : null),
});

/** dist/<name>.d.ts points at the declarations tsc writes to dist/types. */
const typesEntry = (name = 'index', from = 'index') => ({
  name: 'telltale-types-entry',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: `${name}.d.ts`, source: `export * from './types/${from}';\n` });
  },
});

const minify = () => terser(TERSER);

/**
 * The ESM build's worker: `virtual:telltale-worker` is src/worker.ts bundled
 * and minified, as a string in its own chunk (dist/telltale.worker.mjs), started as a blob
 * worker; the same script is written as dist/telltale.worker.js for the `workerUrl` option.
 * (The IIFE needs none of this: it is its own worker.)
 */
const inlineWorker = () => ({
  name: 'telltale-worker',
  resolveId(id, importer) {
    if (id == 'virtual:telltale-worker') return '\0telltale-worker';
    if (id == './workerScript' && importer?.endsWith('connectWorker.ts')) return fileURLToPath(new URL('src/buffer/workerScript.esm.ts', import.meta.url));
  },
  async load(id) {
    if (id != '\0telltale-worker') return;
    const bundle = await rollup({ input: 'src/worker.ts', plugins: [version(), nodeResolve({ browser: true }), ts()] });
    const { output } = await bundle.generate({ format: 'iife', plugins: [minify()] });
    await bundle.close();
    this.emitFile({ type: 'asset', fileName: 'telltale.worker.js', source: output[0].code });
    return `export default ${JSON.stringify(output[0].code)};`;
  },
});

const ts = () => typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, outDir: undefined, rootDir: undefined, noEmit: false, sourceMap: false });

export default [
  {
    input: 'src/index.ts',
    // the lazy chunks import shared code from the entry (its extra exports) rather than from a third chunk
    preserveEntrySignatures: 'allow-extension',
    plugins: [inlineWorker(), version(), nodeResolve({ browser: true }), ts(), typesEntry()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'telltale.mjs',
      // telltale.worker.mjs; telltale.monitor.mjs: the model aggregates, loaded on a page's first model call;
      // loaded after init(): telltale.measure.mjs (the web vitals, web-vitals/attribution), telltale.connectWorker.mjs
      // (comlink, the worker's start) and telltale.claimLoop.mjs (what sends); telltale.otlpProtocol.mjs with
      // protocol: 'otlp'; telltale.memoryStore.mjs only when the buffer falls back to memory;
      // telltale.fleetBaselines.mjs with baselineUrl, on the first model call
      chunkFileNames: 'telltale.[name].mjs',
      manualChunks: (id) => (id == '\0telltale-worker' ? 'worker' : undefined),
      // minified too: the entry's budget (12 KB gzip) is for what apps download when they do not minify
      plugins: [minify()],
    },
  },
  {
    // the optional adapters entry: it only calls the client it is given, so no core code is bundled in
    input: 'src/adapters/index.ts',
    plugins: [ts(), typesEntry('adapters', 'adapters/index')],
    output: { file: 'dist/adapters.mjs', format: 'es' },
  },
  {
    input: 'src/script.ts',
    plugins: [version(), nodeResolve({ browser: true }), ts()],
    output: {
      file: 'dist/telltale.min.js',
      format: 'iife',
      name: 'Telltale',
      // one file: the model aggregates' lazy import is resolved inside it (as a plain object, an arrow)
      inlineDynamicImports: true,
      freeze: false,
      generatedCode: { arrowFunctions: true },
      plugins: [minify()],
    },
  },
];
