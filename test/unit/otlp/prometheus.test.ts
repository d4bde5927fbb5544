// @vitest-environment node
// Debian's Prometheus scrapes the reference ingest's GET /metrics, and its histogram_quantile(0.95)
// of the model duration agrees with the SDK's own p95 within the histogram's bucket resolution.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSketch, sketchAdd, sketchBuckets, sketchQuantile } from '../../../src/model/sketch';
import { encodeOtlpBatch } from '../../../src/transport/otlp/encodeOtlpBatch';
import { rng } from '../model/random';
import { batchOf, CTX, SUMMARY } from './fixtures';
import { startIngest } from './ingestServer';

const PROMETHEUS = '/usr/bin/prometheus';
/** The histogram's buckets: base 2^(1/8), so an estimate inside one is within 9% of any value there. */
const BUCKET_RATIO = 2 ** (1 / 8);

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

let server: Awaited<ReturnType<typeof startIngest>>;
let prometheus: ChildProcess | undefined;
let dir: string;
let api: string;

const { normal } = rng(11);
/** Two models' latencies in ms: one sent as OTLP (sketch in s), one on the telltale wire (sketch in ms). */
const latencies = (median: number) => Array.from({ length: 2_000 }, () => median * Math.exp(0.6 * normal()));
const otlpMs = latencies(40);
const wireMs = latencies(300);
const sketchOf = (ms: number[], unitMs: number) => {
  const s = createSketch(unitMs);
  for (const x of ms) sketchAdd(s, x);
  return s;
};

beforeAll(async () => {
  expect(existsSync(PROMETHEUS), 'Debian prometheus (.ci/run installs it)').toBe(true);
  server = await startIngest();
  const otlp = sketchOf(otlpMs, 1000);
  await fetch(server.url + '/v1/metrics', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: encodeOtlpBatch(batchOf([{ ...SUMMARY, model: 'fast', count: otlpMs.length, sketch: sketchBuckets(otlp) }])).body,
  });
  const wire = sketchOf(wireMs, 1);
  const summary = { ...SUMMARY, id: 'w1', model: 'slow', count: wireMs.length, latency: { p50: 0, p95: 0, p99: 0, mean: wire.sum / wire.n }, sketch: sketchBuckets(wire) };
  await fetch(server.url + '/ingest', { method: 'POST', body: JSON.stringify({ v: 1, batch: 'b', sentAt: Date.now(), sdk: 'telltale/0.1.0', ...CTX, events: [summary] }) });

  dir = mkdtempSync(join(tmpdir(), 'telltale-prometheus-'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}/api/v1`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: telltale\n    static_configs:\n      - targets: ['127.0.0.1:${server.port}']\n`,
  );
  prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
}, 30_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((done) => prometheus!.once('exit', done));
    prometheus.kill('SIGTERM');
    const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 15_000);

/** A PromQL instant query, asked until it has a value (Prometheus starts, then scrapes every second). */
const query = async (promql: string): Promise<number> => {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    try {
      const answer = await (await fetch(`${api}/query?query=${encodeURIComponent(promql)}`)).json();
      if (answer.data?.result?.length) return +answer.data.result[0].value[1];
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 300));
  }
  throw new Error(`no value for ${promql} in 30 s`);
};

describe('Prometheus scraping the reference ingest', () => {
  for (const [model, ms, unitMs] of [
    ['fast', otlpMs, 1000],
    ['slow', wireMs, 1],
  ] as const)
    it(`histogram_quantile(0.95) of "${model}" (${unitMs == 1000 ? 'OTLP' : 'telltale wire'}) agrees with the SDK's p95 within a bucket`, async () => {
      const promP95 = await query(`histogram_quantile(0.95, sum by (le) (telltale_model_inference_duration_seconds_bucket{model="${model}"}))`);
      const sdkP95 = sketchQuantile(sketchOf(ms, unitMs), 0.95) / 1000;
      expect(promP95 / sdkP95).toBeLessThanOrEqual(BUCKET_RATIO);
      expect(sdkP95 / promP95).toBeLessThanOrEqual(BUCKET_RATIO);
      expect(await query(`telltale_model_calls_total{model="${model}"}`)).toBe(ms.length);
    }, 40_000);
});
