// @vitest-environment node
// The reference ingest's OTLP/HTTP receiver decodes as the OpenTelemetry Collector does, and its
// GET /metrics shows what both wires delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpBatch } from '../../../src/transport/otlp/encodeOtlpBatch';
import { batchOf, CTX, EVENTS, SUMMARY } from './fixtures';
import { startIngest } from './ingestServer';

let server: Awaited<ReturnType<typeof startIngest>>;
beforeAll(async () => void (server = await startIngest(['https://*.shop.example'])));
afterAll(() => server.close());

const post = (path: string, body: string, type = 'application/json', headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: 'POST', body, headers: { 'content-type': type, ...headers } });
const logs = () => encodeOtlpBatch(batchOf(EVENTS)).body;

describe('the reference ingest as an OTLP/HTTP receiver', () => {
  it('answers as the Collector does: 405 but POST, 415 but application/json, 400 without the wrapper or with bad ids', async () => {
    expect((await fetch(server.url + '/v1/logs')).status).toBe(405);
    expect((await post('/v1/logs', logs(), 'text/plain')).status).toBe(415);
    expect((await post('/v1/logs', logs(), 'application/x-protobuf')).status).toBe(415);
    expect((await post('/v1/logs', 'not json')).status).toBe(400);
    expect((await post('/v1/logs', '{"resourceMetrics":[]}')).status).toBe(400);
    expect((await post('/v1/metrics', logs())).status).toBe(400);
    const badId = JSON.parse(logs());
    badId.resourceLogs[0].scopeLogs[0].logRecords[0].traceId = 'abc';
    expect(await (await post('/v1/logs', JSON.stringify(badId))).text()).toMatch(/traceId must be 32 hex/);
    const goodId = JSON.parse(logs());
    goodId.resourceLogs[0].scopeLogs[0].logRecords[0].traceId = '5b8efff798038103d269b633813fc60c';
    expect((await post('/v1/logs', JSON.stringify(goodId), 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('answers the CORS preflight for listed origins only, with credentials allowed as the Collector does', async () => {
    const ask = (origin: string) =>
      fetch(server.url + '/v1/logs', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await ask('https://www.shop.example');
    expect(ok.status).toBe(204);
    expect(Object.fromEntries(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers'].map((h) => [h, ok.headers.get(h)]))).toEqual({
      'access-control-allow-origin': 'https://www.shop.example',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
    });
    const other = await ask('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps each log record once (by telltale.event.id) and rejects malformed records through partialSuccess', async () => {
    const before = server.ingest.otlp.logs().length;
    const fresh = encodeOtlpBatch(batchOf(EVENTS.map((e) => ({ ...e, id: 'd-' + e.id })))).body;
    const first = await post('/v1/logs', fresh);
    expect(await first.json()).toEqual({});
    await post('/v1/logs', fresh);
    const kept = server.ingest.otlp.logs().slice(before);
    expect(kept.map((l) => l.record.eventName)).toEqual(['browser.web_vital', 'browser.web_vital', 'exception', 'telltale.interaction', 'telltale.route', 'telltale.inference', 'telltale.alert', 'telltale.custom']);
    const bad = JSON.parse(encodeOtlpBatch(batchOf([{ ...EVENTS[3], id: 'fresh-1' }, { ...EVENTS[4], id: 'fresh-2' }])).body);
    delete bad.resourceLogs[0].scopeLogs[0].logRecords[0].eventName;
    bad.resourceLogs[0].scopeLogs[0].logRecords[1].attributes[0].value = { stringValue: 'a', intValue: '1' };
    const answer = await post('/v1/logs', JSON.stringify(bad));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ partialSuccess: { rejectedLogRecords: '2' } });
  });

  it('exposes /metrics in Prometheus text: per model counters, duration histogram, health; per vital its threshold buckets', async () => {
    expect((await post('/v1/metrics', encodeOtlpBatch(batchOf([SUMMARY])).body)).status).toBe(200);
    // the same app on the telltale wire: an LCP of 3 s
    const wire = { v: 1, batch: 'w1', sentAt: Date.now(), sdk: 'telltale/0.1.0', ...CTX, events: [{ id: 'w-1', type: 'vital', t: Date.now(), page: '/', name: 'LCP', value: 3000, rating: 'needs-improvement' }] };
    expect((await fetch(server.url + '/ingest', { method: 'POST', body: JSON.stringify(wire) })).status).toBe(200);
    const text = await (await fetch(server.url + '/metrics')).text();
    expect(text).toContain('telltale_model_calls_total{app="shop",model="rank"} 400');
    expect(text).toContain('telltale_model_errors_total{app="shop",model="rank"} 4');
    expect(text).toContain('telltale_model_fallbacks_total{app="shop",model="rank"} 2');
    expect(text).toContain('telltale_model_health{app="shop",model="rank"} 80');
    expect(text).toContain('telltale_model_inference_duration_seconds_count{app="shop",model="rank"} 400');
    // LCP: 2400.5 under 2500 in the two distinct OTLP batches above (a repeat kept once), 3000 (telltale wire) under 4000
    expect(text).toContain('telltale_web_vital_lcp_milliseconds_bucket{app="shop",le="2500"} 2\ntelltale_web_vital_lcp_milliseconds_bucket{app="shop",le="4000"} 3\ntelltale_web_vital_lcp_milliseconds_bucket{app="shop",le="+Inf"} 3');
    expect(text).toContain('telltale_web_vital_cls_bucket{app="shop",le="0.1"} 0\ntelltale_web_vital_cls_bucket{app="shop",le="0.25"} 2');
  });
});
