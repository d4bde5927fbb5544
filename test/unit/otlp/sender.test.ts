// protocol: 'otlp' through the whole client: the same pipeline, OTLP/HTTP JSON on the wire, and
// the OTLP specification's answers (retry 429/502/503/504 and network errors, partialSuccess
// counted and never retried, every other status dropped and counted).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { init, type Client } from '../../../src/index';
import { hidePage, settle } from '../helpers';

const endpoint = 'https://collector.example.com:4318/';
let client: Client | undefined;

interface Request {
  url: string;
  init: RequestInit;
  json: Record<string, any>;
}
/** fetch answering each request (numbered from 1) with a status and body. */
const stubCollector = (answer: (n: number, url: string) => { status: number; body?: string; headers?: Record<string, string> } = () => ({ status: 200, body: '{}' })) => {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      requests.push({ url, init, json: JSON.parse(String(init.body)) });
      const { status, body = null, headers = {} } = answer(requests.length, url);
      if (status == 0) throw new TypeError('Failed to fetch');
      return new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
    }),
  );
  const beacon = vi.spyOn(navigator, 'sendBeacon').mockImplementation(() => true);
  const records = () => requests.filter((r) => r.url.endsWith('/v1/logs')).flatMap((r) => r.json.resourceLogs[0].scopeLogs[0].logRecords);
  return { requests, beacon, records };
};

const start = (options: Record<string, unknown> = {}) =>
  (client = init({ endpoint, app: 'shop', release: '1.4.2', env: 'production', protocol: 'otlp', flushIntervalMs: 60_000, ...options }));

beforeEach(() => sessionStorage.clear());
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("protocol: 'otlp'", () => {
  it('sends events to {endpoint}/v1/logs and summaries to /v1/metrics as application/json, without credentials', async () => {
    const net = stubCollector();
    start();
    client!.track('signup', { plan: 'pro' });
    client!.recordInference({ model: 'rank', version: '2', backend: 'wasm', durationMs: 12, ok: true });
    await client!.flush();
    const paths = net.requests.map((r) => new URL(r.url).pathname).sort();
    expect(paths).toEqual(['/v1/logs', '/v1/metrics']);
    for (const r of net.requests) {
      expect(r.init).toMatchObject({ method: 'POST', credentials: 'omit', mode: 'cors' });
      expect(r.init.headers).toEqual({ 'content-type': 'application/json' });
    }
    const names = net.records().map((r) => r.eventName);
    expect(names).toEqual(expect.arrayContaining(['telltale.custom', 'telltale.inference']));
    expect(names).not.toContain('telltale.inference_summary');
    const metrics = net.requests.find((r) => r.url.endsWith('/v1/metrics'))!.json.resourceMetrics[0];
    expect(metrics.resource.attributes).toEqual(expect.arrayContaining([{ key: 'service.name', value: { stringValue: 'shop' } }, { key: 'telemetry.sdk.name', value: { stringValue: 'telltale' } }]));
    const duration = metrics.scopeMetrics[0].metrics.find((m: { name: string }) => m.name == 'telltale.model.inference.duration');
    // 12 ms in seconds: bucket ceil(log2(0.012)·64) − 1
    expect(duration.exponentialHistogram.dataPoints[0]).toMatchObject({ count: '1', scale: 6, positive: { offset: Math.ceil(Math.log2(0.012) * 64) - 1, bucketCounts: ['1'] }, min: 0.012, max: 0.012 });
    expect(client!.stats()).toMatchObject({ sent: 3, buffered: 0 });
  });

  it('counts the records a 200 refuses in partialSuccess as rejected, and does not send them again', async () => {
    const net = stubCollector(() => ({ status: 200, body: JSON.stringify({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'bad' } }) }));
    start();
    for (let i = 0; i < 5; i++) client!.track('e' + i);
    await client!.flush();
    await client!.flush();
    expect(net.requests).toHaveLength(1);
    expect(client!.stats()).toMatchObject({ sent: 3, rejected: 2, buffered: 0 });
  });

  it('retries 503 and a network error with the same records; drops a 500 and a 400, counted', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const statuses = [503, 0, 200, 500, 400];
    const net = stubCollector((n) => ({ status: statuses[n - 1] ?? 200, body: '{}' }));
    start();
    client!.track('kept');
    void client!.flush();
    for (let i = 0; i < 20 && net.requests.length < 3; i++) {
      await settle();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(net.requests.slice(0, 3).map((r) => r.json.resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0])).toEqual(
      Array(3).fill(net.records()[0].attributes[0]),
    );
    expect(client!.stats()).toMatchObject({ sent: 1, rejected: 0 });
    client!.track('refused by a 500');
    await client!.flush();
    client!.track('refused by a 400');
    await client!.flush();
    expect(net.requests).toHaveLength(5);
    expect(client!.stats()).toMatchObject({ sent: 1, rejected: 2, buffered: 0 });
  });

  it('leaves the page by keepalive fetch, never by sendBeacon', async () => {
    const net = stubCollector();
    start();
    // the OTLP encoders are loaded (a lazy chunk)
    await client!.flush();
    client!.track('last-click');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    hidePage();
    await settle();
    expect(net.beacon).not.toHaveBeenCalled();
    expect(net.requests.map((r) => r.init.keepalive)).toEqual([true]);
    expect(net.records().map((r) => r.eventName)).toEqual(['telltale.custom']);
  });
});
