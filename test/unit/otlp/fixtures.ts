// Events as the pipeline stores them (SPEC §4), one of each kind, and a batch of them.
import { createSketch, sketchAdd, sketchBuckets } from '../../../src/model/sketch';
import { otlpContext } from '../../../src/transport/otlp/otlpContext';
import type { ClaimedBatch } from '../../../src/internal';
import type { EnvelopeContext, TelltaleEvent } from '../../../src/types';

export const T = 1_732_349_999_000;
export const CTX: EnvelopeContext = { app: { name: 'shop', release: '1.4.2', env: 'production' }, session: 's-123', user: 'ab'.repeat(32) };

/** Latencies of one model in ms, recorded in seconds as OTLP mode records them. */
export const LATENCIES_MS = Array.from({ length: 400 }, (_, i) => 3 + ((i * 7919) % 997) * 0.25);
const sketch = createSketch(1000);
sketch.start = T - 60_000;
for (const ms of LATENCIES_MS) sketchAdd(sketch, ms);

export const EVENTS: TelltaleEvent[] = [
  // as the telltale wire has it: a delta equal to the value and a plain navigation left out (the OTLP record puts them back)
  { id: 'e1', type: 'vital', t: T, page: '/cart', name: 'LCP', value: 2400.5, rating: 'good', attribution: { element: 'img.hero', resourceLoadDelay: 12 } },
  { id: 'e2', type: 'vital', t: T + 1, page: '/cart', name: 'CLS', value: 0.12, rating: 'needs-improvement', delta: 0.02, navigationType: 'reload' },
  { id: 'e3', type: 'error', t: T + 2, page: '/cart', message: 'x is undefined', source: 'error', name: 'TypeError', stack: 'TypeError: x is undefined\n    at f (app.js:3:7)', file: 'https://shop.example/app.js', line: 3, col: 7 },
  { id: 'e4', type: 'interaction', t: T + 3, page: '/cart', action: 'click', target: 'button#buy', rage: true },
  { id: 'e5', type: 'route', t: T + 4, page: '/done', from: '/cart', to: '/done' },
  { id: 'e6', type: 'inference', t: T + 5, page: '/cart', model: 'rank', durationMs: 12.5, ok: true, source: 'model', backend: 'wasm', inputSize: 3 },
  { id: 'e7', type: 'alert', t: T + 6, page: '/cart', model: 'rank', rule: 'error_rate', severity: 'critical', value: 0.12, threshold: 0.05, status: 'raised' },
  { id: 'e8', type: 'custom', t: T + 7, page: '/cart', name: 'checkout', data: { total: 42, currency: 'EUR' } },
];

export const SUMMARY: TelltaleEvent = {
  id: 'e9',
  type: 'inference_summary',
  t: T,
  page: '/cart',
  model: 'rank',
  version: '2',
  backend: 'webgpu',
  count: LATENCIES_MS.length,
  errors: 4,
  fallbacks: 2,
  timeouts: 1,
  latency: { p50: 128, p95: 240, p99: 250, max: 252, mean: 127 },
  drift: { severity: 'medium', meanShiftZ: 3.2, varianceRatio: 1.4, latencyZ: -0.5 },
  health: { score: 80, status: 'degraded' },
  sketch: sketchBuckets(sketch),
};

/** A batch as the store hands it over: every event with the context OTLP mode stores it under. */
export const batchOf = (events: TelltaleEvent[]): ClaimedBatch => ({
  id: 'b1',
  ctx: otlpContext(JSON.stringify(CTX), events[0].type),
  attempts: 0,
  events: events.map((e) => ({ id: e.id, ctx: '', json: JSON.stringify(e), bytes: 0, t: e.t })),
});

/** An OTLP JSON body with what serializers may add or spell differently removed: ints as numbers, attributes by key. */
export const normalize = (v: unknown): unknown => {
  if (Array.isArray(v)) {
    const list = v.map(normalize);
    return list.every((x) => x && typeof x == 'object' && 'key' in x) ? list.sort((a, b) => ((a as { key: string }).key < (b as { key: string }).key ? -1 : 1)) : list;
  }
  if (!v || typeof v != 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    // defaults a serializer may write or leave out: the same protobuf message either way
    const empty = (k == 'droppedAttributesCount' || k == 'flags') && x === 0;
    if (empty || x === '' || (k == 'body' && JSON.stringify(x) == '{}') || (k == 'negative' && !(x as { bucketCounts: unknown[] }).bucketCounts.length)) continue;
    const intLike = ['intValue', 'asInt', 'count', 'zeroCount', 'timeUnixNano', 'startTimeUnixNano', 'observedTimeUnixNano'].includes(k);
    out[k] = intLike ? String(x) : k == 'bucketCounts' ? (x as unknown[]).map(String) : normalize(x);
  }
  return out;
};
