// The package as a user gets it: `npm pack`, installed by name, bundled by a
// real bundler and loaded in Chromium; imported in plain Node (SSR).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, ROOT, startIngest, startSite, type Browser, type Ingest, type Site } from './harness';

const APP = join(ROOT, 'test/.tmp/app');
let browser: Browser;
let site: Site;
let ingest: Ingest;

beforeAll(async () => {
  rmSync(APP, { recursive: true, force: true });
  mkdirSync(join(APP, 'node_modules/telltale'), { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', APP], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', join(APP, tarball), '-C', join(APP, 'node_modules/telltale'), '--strip-components=1']);
  [browser, site, ingest] = await Promise.all([launch(), startSite(), startIngest()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([browser?.close(), site?.close(), ingest?.close()]);
});

describe('the packed package', () => {
  it('ships only dist/ with the ESM build, the IIFE and the types', () => {
    const files = execFileSync('tar', ['-tzf', join(APP, execFileSync('ls', [APP], { encoding: 'utf8' }).split('\n').find((f) => f.endsWith('.tgz'))!)], {
      encoding: 'utf8',
    });
    for (const f of ['package/dist/telltale.mjs', 'package/dist/telltale.min.js', 'package/dist/index.d.ts', 'package/dist/adapters.mjs', 'package/dist/adapters.d.ts', 'package/package.json'])
      expect(files).toContain(f);
    expect(files).not.toMatch(/package\/(src|test)\//);
  });

  it('imports in Node without throwing; init() there is a no-op', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = await import('telltale');
         const c = t.init({ endpoint: 'https://ingest.example.com', app: 'ssr' });
         c.track('x'); await c.flush();
         console.log(JSON.stringify({ version: t.version, stats: c.stats() }));`,
      ],
      { cwd: APP, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toMatchObject({ version: '0.1.0', stats: { disabled: 'ssr', sent: 0 } });
  });

  it('tree-shakes the collectors a bundle does not ask for (and the lazy chunk of the vitals with them)', async () => {
    // every chunk's code: the vitals are measured in a chunk of their own, loaded after init()
    const bundle = async (code: string) => {
      writeFileSync(join(APP, 'shake.js'), code);
      const b = await rollup({ input: join(APP, 'shake.js'), plugins: [nodeResolve({ browser: true, rootDir: APP })] });
      const { output } = await b.generate({ format: 'es' });
      await b.close();
      return { chunks: output.length, code: output.map((o) => (o.type == 'chunk' ? o.code : '')).join('\n') };
    };
    // a marker of each collector's code: the vitals, their attribution, routes, interactions, long tasks, errors
    const markers = ['largest-contentful-paint', 'presentationDelay', 'pushState', "'submit'", 'long-animation-frame', 'unhandledrejection'];
    // (the ESM build is minified: its quotes may differ from the source's)
    const has = (code: string) => markers.filter((m) => code.replaceAll('"', "'").includes(m));
    const all = await bundle(`import { init } from 'telltale'; init({ endpoint: '/e', app: 'a' });`);
    expect(has(all.code)).toEqual(markers);
    const lean = await bundle(`import { initWith, errors } from 'telltale'; initWith({ endpoint: '/e', app: 'a' }, { errors });`);
    expect(has(lean.code)).toEqual(['unhandledrejection']);
    // one chunk fewer: the vitals' own
    expect(all.chunks).toBe(lean.chunks + 1);
    // the vitals (their chunk) and four collectors, all minified: 6.8 KB here
    expect(all.code.length - lean.code.length).toBeGreaterThan(6_000);
  });

  it('bundled by Rollup from `import { init } from "telltale"`, delivers from Chromium; the model aggregates load on the first model call, the memory store only without a worker', async () => {
    writeFileSync(
      join(APP, 'main.js'),
      `import { init } from 'telltale';
       const tt = init({ endpoint: window.ENDPOINT, app: 'spa' });
       tt.track('bundled', { ok: true });
       const chunks = (name = 'monitor') => performance.getEntriesByType('resource').filter((r) => r.name.includes(name)).length;
       window.done = tt.flush().then(async () => {
         const before = chunks();
         tt.recordInference({ model: 'm', durationMs: 5, ok: true });
         await tt.flush();
         return { before, after: chunks(), claimLoop: chunks('claimLoop'), memoryStore: chunks('memoryStore'), stats: tt.stats() };
       });`,
    );
    // code-split, as an SPA's bundler ships it (an IIFE app bundle needs Rollup's inlineDynamicImports)
    rmSync(join(APP, 'out'), { recursive: true, force: true });
    const bundle = await rollup({ input: join(APP, 'main.js'), plugins: [nodeResolve({ browser: true, rootDir: APP })] });
    const { output } = await bundle.write({ dir: join(APP, 'out'), format: 'es' });
    await bundle.close();
    expect(output.map((o) => o.fileName).filter((f) => f.includes('monitor'))).toHaveLength(1);
    expect(output.map((o) => o.fileName).filter((f) => f.includes('memoryStore'))).toHaveLength(1);

    const url = site.page('/spa.html', `<script>window.ENDPOINT = '${ingest.endpoint}'</script><script type="module" src="/test/.tmp/app/out/main.js"></script>`);
    const page = await browser.context.newPage();
    await page.goto(url);
    const { before, after, claimLoop, memoryStore, stats } = await page.evaluate(() => (window as any).done);
    expect([before, after]).toEqual([0, 1]);
    // what sends loaded after init(); the memory store, a fallback, did not: the worker's store answered
    expect([claimLoop, memoryStore]).toEqual([1, 0]);
    // the inlined worker started: events waited in IndexedDB; the collectors may have sent a vital beside it
    expect(stats).toMatchObject({ buffered: 0, buffer: 'indexeddb' });
    expect(stats.sent).toBeGreaterThanOrEqual(3);
    const event = await ingest.waitFor(() => ingest.events().find((e) => e.name == 'bundled'));
    expect(event).toMatchObject({ type: 'custom', page: '/spa.html', data: { ok: true } });
    expect(ingest.events().find((e) => e.type == 'inference_summary')).toMatchObject({ model: 'm', count: 1 });
    expect(ingest.requests.filter((r) => r.method == 'OPTIONS')).toHaveLength(0);
    await page.close();

    // no worker may start: the memory store's chunk loads, and the same app still delivers
    const noWorker = site.page('/spa-memory.html', `<script>window.ENDPOINT = '${ingest.endpoint}'</script><script type="module" src="/test/.tmp/app/out/main.js"></script>`, {
      'Content-Security-Policy': "worker-src 'none'",
    });
    const memoryPage = await browser.context.newPage();
    await memoryPage.goto(noWorker);
    const inMemory = await memoryPage.evaluate(() => (window as any).done);
    expect(inMemory).toMatchObject({ claimLoop: 1, memoryStore: 1, stats: { buffered: 0, buffer: 'memory' } });
    expect(await ingest.waitFor(() => ingest.events().find((e) => e.name == 'bundled' && e.page == '/spa-memory.html'))).toMatchObject({ data: { ok: true } });
    await memoryPage.close();
  });
});
