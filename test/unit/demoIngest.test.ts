// @vitest-environment node
// The demo's reference ingest server, over real HTTP: what it answers a backend's
// clients (validation, size cap, dedupe, CORS, faults) and what it keeps.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentIds } from '../../demo/recentIds.mjs';
import { startDemo } from '../../demo/server.mjs';

type Demo = Awaited<ReturnType<typeof startDemo>>;
let demo: Demo;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'telltale-ingest-'));
  demo = await startDemo({ port: 0, quiet: true, dataDir });
});
afterAll(async () => {
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
const id = () => `id-${Date.now().toString(36)}-${++n}`;
const base = { page: '/cart' };
const EXAMPLES: Record<string, Record<string, unknown>> = {
  vital: { name: 'LCP', value: 1234, rating: 'good' },
  interaction: { action: 'click', target: 'button#buy' },
  route: { from: '/', to: '/cart' },
  error: { message: 'x is undefined', source: 'window.onerror' },
  inference: { model: 'm', durationMs: 3.2, ok: true, source: 'model' },
  inference_summary: { model: 'm', count: 10, errors: 0, latency: { p50: 1, p95: 2, p99: 3 }, drift: { severity: 'none' } },
  alert: { rule: 'error_rate', severity: 'critical', value: 0.2, threshold: 0.05 },
  custom: { name: 'signup', data: { plan: 'pro' } },
};
const event = (type: string, fields = EXAMPLES[type]) => ({ id: id(), type, t: Date.now(), ...base, ...fields });
const envelope = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  v: 1,
  batch: id(),
  sentAt: Date.now(),
  sdk: 'telltale/0.1.0',
  app: { name: 'shop' },
  session: 's1',
  events,
  ...extra,
});

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const r = await fetch(demo.url + '/ingest', { method: 'POST', body: typeof body == 'string' ? body : JSON.stringify(body), headers });
  return { status: r.status, text: await r.text(), headers: r.headers };
};

describe('demo ingest: validation', () => {
  it('accepts a batch with one valid event of every type', async () => {
    const r = await post(envelope(Object.keys(EXAMPLES).map((t) => event(t))));
    expect(r.status).toBe(200);
  });

  it('answers 400 with a reason for a body that is not JSON', async () => {
    expect(await post('{"v":1,')).toMatchObject({ status: 400, text: 'body is not JSON' });
  });

  it('answers 400 for a version other than 1', async () => {
    const r = await post(envelope([event('custom')], { v: 2 }));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/version 2.*v must be 1/);
  });

  it.each([
    ['vital', { name: 'LCP', value: 1 }, /events\[0\]\.\(vital\) rating must be/],
    ['interaction', { action: 'click' }, /target must be a non-empty string/],
    ['route', { from: '/' }, /to must be/],
    ['error', { source: 'x' }, /message must be a string/],
    ['inference', { model: 'm', durationMs: 1, ok: true, source: 'cache' }, /source must be model or fallback/],
    ['inference_summary', { model: 'm', count: 1, errors: 0, latency: { p50: 1 }, drift: { severity: 'none' } }, /latency must be/],
    ['alert', { rule: 'r', severity: 'info', value: 1, threshold: 1 }, /severity must be warning or critical/],
    ['custom', {}, /name must be/],
  ])('answers 400 naming the missing or bad field of a %s event', async (type, fields, reason) => {
    const r = await post(envelope([event(type, fields)]));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(reason);
  });

  it('answers 400 for an unknown event type, a missing id and a missing envelope field', async () => {
    expect((await post(envelope([event('custom'), { ...event('custom'), type: 'click' }]))).text).toMatch(/events\[1\]\.type must be one of/);
    expect((await post(envelope([{ ...event('custom'), id: undefined }]))).text).toMatch(/events\[0\]\.id must be/);
    expect((await post(envelope([event('custom')], { session: undefined }))).text).toMatch(/^session must be/);
    expect((await post(envelope([]))).text).toMatch(/events must be a non-empty array/);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const r = await post(envelope([event('custom', { name: 'big', data: { s: 'x'.repeat(1024 * 1024) } })]));
    expect(r.status).toBe(413);
  });
});

describe('demo ingest: storage and dedupe', () => {
  it('stores each event id once, counts duplicates, and appends JSON Lines', async () => {
    const before = demo.ingest.summary().totals;
    const a = event('custom', { name: 'dedupe-a' });
    const b = event('custom', { name: 'dedupe-b' });
    const first = envelope([a, b]);
    expect((await post(first)).status).toBe(200);
    // the same batch again (a lost response), then a new batch carrying one old event
    expect((await post(first)).status).toBe(200);
    expect((await post(envelope([b, event('custom', { name: 'dedupe-c' })]))).status).toBe(200);
    const after = demo.ingest.summary().totals;
    expect(after.stored - before.stored).toBe(3);
    expect(after.duplicates - before.duplicates).toBe(3);
    expect(after.received - before.received).toBe(6);
    const lines = readFileSync(join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.id == a.id)).toHaveLength(1);
    expect(lines.find((l) => l.id == b.id)).toMatchObject({ name: 'dedupe-b', session: 's1', batch: first.batch });
    const api = (await (await fetch(demo.url + '/api/events?type=custom')).json()) as { name: string }[];
    expect(api.filter((e) => e.name.startsWith('dedupe-')).map((e) => e.name)).toEqual(['dedupe-a', 'dedupe-b', 'dedupe-c']);
  });

  it('answers 503 when it cannot write, and stores the same events on the retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telltale-ingest-broken-'));
    mkdirSync(join(dir, 'events.jsonl')); // a folder where the file should be: every write fails
    const broken = await startDemo({ port: 0, quiet: true, dataDir: dir });
    try {
      const batch = JSON.stringify(envelope([event('custom')]));
      const first = await fetch(broken.url + '/ingest', { method: 'POST', body: batch });
      expect(first.status).toBe(503);
      expect(broken.ingest.summary().totals.stored).toBe(0);
      rmSync(join(dir, 'events.jsonl'), { recursive: true });
      expect((await fetch(broken.url + '/ingest', { method: 'POST', body: batch })).status).toBe(200);
      expect(broken.ingest.summary().totals).toMatchObject({ stored: 1, duplicates: 0 });
    } finally {
      await broken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pushes what it stored to server-sent-event listeners', async () => {
    const ac = new AbortController();
    const res = await fetch(demo.url + '/api/stream', { signal: ac.signal });
    const reader = res.body!.getReader();
    const e = event('custom', { name: 'pushed' });
    let text = '';
    const sent = post(envelope([e]));
    while (!text.includes(e.id)) text += new TextDecoder().decode((await reader.read()).value);
    await sent;
    ac.abort();
    expect(text).toMatch(/^event: hello/);
    expect(text).toContain('event: batch');
  });
});

describe('demo ingest: CORS and faults', () => {
  it('answers a preflight and exposes Retry-After to cross-origin pages', async () => {
    const pre = await fetch(demo.url + '/ingest', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const r = await post(envelope([event('custom')]), { origin: 'https://shop.example' });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
  });

  it('answers each fault mode, and stores nothing while faulted', async () => {
    const stored = demo.ingest.summary().totals.stored;
    try {
      demo.ingest.setFault('429');
      const limited = await post(envelope([event('custom')]));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('10');
      demo.ingest.setFault('503');
      expect((await post(envelope([event('custom')]))).status).toBe(503);
      demo.ingest.setFault('400');
      expect(await post(envelope([event('custom')]))).toMatchObject({ status: 400, text: /fault mode 400/ });
      demo.ingest.setFault('offline');
      await expect(post(envelope([event('custom')]))).rejects.toThrow();
      demo.ingest.setFault('hang');
      // no answer while hanging; leaving the mode drops the held connection
      const hung = new Promise<string>((done) => {
        const req = request(demo.url + '/ingest', { method: 'POST' }, (res) => done(`answered ${res.statusCode}`));
        req.on('error', (e) => done(`dropped: ${e.message}`));
        req.end(JSON.stringify(envelope([event('custom')])));
      });
      const early = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
      expect(early).toBe('still waiting');
      demo.ingest.setFault('normal');
      expect(await hung).toMatch(/^dropped/);
    } finally {
      demo.ingest.setFault('normal');
    }
    expect(demo.ingest.summary().totals.stored).toBe(stored);
    expect((await fetch(demo.url + '/api/fault?mode=teapot', { method: 'POST' })).status).toBe(400);
  });
});

describe('demo server: static files', () => {
  it('serves the pages, the builds and the few node_modules files the pages use, nothing else', async () => {
    const status = async (path: string) => (await fetch(demo.url + path)).status;
    expect(await status('/')).toBe(200);
    expect(await status('/spa/models')).toBe(200);
    expect(await status('/demo/app.js')).toBe(200);
    expect(await status('/node_modules/@tensorflow/tfjs-core/dist/tf-core.es2017.min.js')).toBe(200);
    expect(await status('/package.json')).toBe(404);
    expect(await status('/node_modules/vitest/package.json')).toBe(404);
    expect(await status('/demo/../package.json')).toBe(404);
    expect(await status('/demo/%2e%2e/package.json')).toBe(404);
  });
});

describe('demo ingest: everything it keeps is bounded', () => {
  let small: Demo;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telltale-ingest-small-'));
    small = await startDemo({ port: 0, quiet: true, dataDir: dir, limits: { maxStreams: 2, maxFileBytes: 2_000, dedupe: { maxIds: 5 } } });
  });
  afterAll(async () => {
    await small.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const postTo = async (body: unknown) => (await fetch(small.url + '/ingest', { method: 'POST', body: JSON.stringify(body) })).status;

  it('remembers at most maxIds event ids for dedupe, the newest', async () => {
    const events = Array.from({ length: 8 }, (_, i) => event('custom', { name: `bounded-${i}` }));
    for (const e of events) expect(await postTo(envelope([e]))).toBe(200);
    expect(small.ingest.summary().kept.dedupe).toMatchObject({ ids: 5, forgotten: 3, maxIds: 5 });
    // a recent id is still a duplicate; the oldest was forgotten and is stored again
    const before = small.ingest.summary().totals;
    expect(await postTo(envelope([events[7], events[0]]))).toBe(200);
    expect(small.ingest.summary().totals.duplicates - before.duplicates).toBe(1);
    expect(small.ingest.summary().totals.stored - before.stored).toBe(1);
  });

  it('forgets ids older than its window', () => {
    let now = 0;
    const ids = recentIds({ windowMs: 1000, now: () => now });
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
    now = 1001;
    expect(ids.add('b')).toBe(true);
    expect(ids.stats()).toMatchObject({ ids: 1, forgotten: 1 });
    expect(ids.add('a')).toBe(true);
  });

  it('rotates the JSONL file at its cap and counts the events rotated away', async () => {
    const file = join(dir, 'events.jsonl');
    for (let i = 0; i < 40; i++) expect(await postTo(envelope([event('custom', { name: `rotate-${i}`, data: { pad: 'x'.repeat(100) } })]))).toBe(200);
    const kept = small.ingest.summary().kept.file!;
    expect(kept.rotations).toBeGreaterThanOrEqual(2);
    expect(kept.bytes).toBeLessThanOrEqual(2_000);
    expect(readFileSync(file).length).toBe(kept.bytes);
    expect(existsSync(file + '.1')).toBe(true);
    const onDisk = [file, file + '.1'].map((f) => readFileSync(f, 'utf8').trim().split('\n').length).reduce((a, b) => a + b);
    // every stored event is on disk or counted as dropped
    expect(onDisk + kept.droppedRows).toBe(small.ingest.summary().totals.stored);
    expect(kept.droppedRows).toBeGreaterThan(0);
    // the counts are visible to the panel
    const summary = (await (await fetch(small.url + '/api/summary')).json()) as { kept: { file: { droppedRows: number } } };
    expect(summary.kept.file.droppedRows).toBe(kept.droppedRows);
  });

  it('refuses server-sent-event listeners over its cap, and counts them', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((ac) => fetch(small.url + '/api/stream', { signal: ac.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(small.url + '/api/stream');
    expect(third.status).toBe(503);
    expect(small.ingest.summary().totals.streamsRefused).toBe(1);
    expect(small.ingest.summary().kept.streams).toBe(2);
    for (const ac of controllers) ac.abort();
    // a closed listener frees its place
    await expect.poll(async () => {
      const r = await fetch(small.url + '/api/stream');
      void r.body?.cancel();
      return r.status;
    }).toBe(200);
  });
});
