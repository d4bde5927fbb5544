// `npm run bench`: builds, then measures size, main-thread cost (Chromium, 1x and 4x CPU), delivery and model
// monitoring, each beside the floor measured in the same run; prints one table and writes it as JSON to .bench/.
// BENCH_REPS=n sets the repetitions (default 5); `--profile` also saves CPU profiles and heap snapshots.
// Exits 1 when a measured feature is missing or a section fails: a figure the bench cannot take is a defect.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { deliveryRows } from './delivery.mjs';
import { mainThreadRows } from './mainThreadRows.mjs';
import { floorScript, sizeRows } from './sizes.mjs';
import { format } from './table.mjs';

register('./tsLoader.mjs', import.meta.url);
const { launch, startIngest, startSite, ROOT } = await import('../test/e2e/harness.ts');

const args = process.argv.slice(2);
const REPS = Number(process.env.BENCH_REPS) || 5;
// `--only <section>` (main, delivery, model) runs one section after the sizes
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const started = Date.now();
const load0 = loadavg()[0];
const log = (m) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}`);

if (!args.includes('--no-build')) {
  log('npm run build');
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status) process.exit(b.status);
}

log('sizes');
const floor = await floorScript();
const rows = await sizeRows(floor);
const raw = {};

const [browser, site, ingest] = await Promise.all([launch(), startSite(), startIngest()]);
try {
  const probe = await browser.context.newPage();
  raw.browser = (await (await browser.context.newCDPSession(probe)).send('Browser.getVersion')).product;
  await probe.close();
  // a section that fails is reported in the table; the others still run
  const section = async (name, run) => {
    if (only && !name.startsWith(only)) return;
    try {
      const out = await run();
      rows.push(...out.rows);
      raw[name] = out.raw;
    } catch (e) {
      log(`${name} failed: ${e.stack}`);
      rows.push({ section: name, figure: 'failed', note: `failed: ${e.message.split('\n')[0]}`, missing: true });
    }
  };
  const profileDir = args.includes('--profile') ? join(ROOT, '.bench') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  await section('main thread', () => mainThreadRows({ context: browser.context, site, ingest, root: ROOT, floorScript: floor, reps: REPS, log, profileDir }));
  ingest.reply = () => ({ status: 200 });
  await section('delivery', () => deliveryRows({ context: browser.context, startSite, ingest, root: ROOT, reps: Math.min(REPS, 3), log }));
} finally {
  await Promise.all([browser.close(), site.close(), ingest.close()]);
}

// Model monitoring: the model engineer's script prints its own tables (sketch error, drift detection delays).
const modelScript = join(ROOT, 'bench/model.mjs');
let model = '';
let modelFailed = false;
if (!only || only == 'model') {
  log('node bench/model.mjs');
  const m = spawnSync(process.execPath, [modelScript], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  modelFailed = m.status !== 0;
  model = (m.stdout || '') + (modelFailed ? `\n(bench/model.mjs exited ${m.status}: ${(m.stderr || '').trim().split('\n').pop()})` : '');
}

const seconds = (Date.now() - started) / 1000;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`;
const head = `telltale bench · ${new Date().toISOString()} · ${raw.browser} · node ${process.version} · ${machine} · ${REPS} reps · ${seconds.toFixed(0)} s`;
const table = format(rows);
console.log(`${head}\n\n${table}\n\nmodel monitoring (bench/model.mjs)\n${model.trim()}`);

mkdirSync(join(ROOT, '.bench'), { recursive: true });
const json = JSON.stringify({ head, at: new Date().toISOString(), reps: REPS, seconds, machine, rows, model, raw }, null, 1);
writeFileSync(join(ROOT, '.bench', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), json);
writeFileSync(join(ROOT, '.bench', 'latest.json'), json);
const text = `${head}\n\n${table}\n\nmodel monitoring (bench/model.mjs)\n${model.trim()}\n`;
writeFileSync(join(ROOT, '.bench', 'latest.txt'), text);
// docs/performance.md shows the last full run, between its markers
if (!only) {
  const docs = join(ROOT, 'docs/performance.md');
  const page = readFileSync(docs, 'utf8');
  const fence = '`'.repeat(3);
  const block = `<!-- bench:start -->\n${fence}text\n${text}${fence}\n<!-- bench:end -->`;
  writeFileSync(docs, page.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, () => block));
}
log(`wrote .bench/latest.json and .bench/latest.txt`);
const missing = rows.filter((r) => r.missing).map((r) => `${r.section}: ${r.figure}`);
if (modelFailed) missing.push('model: bench/model.mjs failed');
if (missing.length) {
  console.error(`bench: ${missing.length} figure(s) could not be measured:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
