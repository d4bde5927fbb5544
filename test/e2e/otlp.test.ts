// protocol: 'otlp' in real Chromium against the reference ingest's OTLP/HTTP receiver, on another
// origin: the preflight, every kind of event as OTLP the receiver (and the OTLP protobuf
// definitions) accept, and nothing lost to 503s, 429s, dropped sockets, a reload or going offline.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIngest } from '../../demo/ingest.mjs';
import { launch, startSite, type Browser, type Site } from './harness';

const root = createRequire(import.meta.url)('../../node_modules/otlp-transformer-0212/build/src/generated/root.js');

/** What the chaos wrapper does with a POST before the receiver sees it. */
type Chaos = (n: number) => { status: number; headers?: Record<string, string> } | 'destroy' | undefined;

let browser: Browser;
let site: Site;
let ingest: ReturnType<typeof createIngest>;
let collector: { url: string; close(): Promise<void> };
let chaos: Chaos = () => undefined;
const seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  site = await startSite();
  ingest = createIngest({ allowedOrigins: [site.url] });
  let posts = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const record = { method: req.method!, path: req.url!, headers: req.headers, body: '' };
    seen.push(record);
    if (req.method == 'POST') {
      const fault = chaos(++posts);
      if (fault == 'destroy') return req.socket.destroy();
      if (fault) {
        const cors = { 'access-control-allow-origin': site.url, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'Retry-After' };
        return res.writeHead(fault.status, { ...cors, ...fault.headers }).end();
      }
      req.on('data', (c: Buffer) => (record.body += c.toString('utf8')));
    }
    if (!ingest.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  collector = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
});
afterAll(async () => {
  await Promise.all([site?.close(), collector?.close()]);
});
beforeEach(async () => {
  browser = await launch();
  chaos = () => undefined;
  return () => browser.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async <T>(check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms; the collector saw ${seen.length} requests`);
    await sleep(50);
  }
};

const tagPage = (path: string, app: string, options: Record<string, unknown> = {}) =>
  site.page(
    path,
    `<!doctype html><button id="buy">Buy</button><p>${'text '.repeat(200)}</p>
     <script>window.telltaleq = [['init', ${JSON.stringify({ endpoint: collector.url, app, protocol: 'otlp', ...options })}]]</script>
     <script src="/dist/telltale.min.js"></script>`,
  );

const open = async (url: string): Promise<Page> => {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(url);
  await page.waitForFunction(() => (window as any).Telltale?.client);
  return page;
};

const attr = (record: { attributes: { key: string; value: Record<string, unknown> }[] }, key: string) =>
  Object.values(record.attributes.find((a) => a.key == key)?.value ?? {})[0];
const logsOf = (app: string) => ingest.otlp.logs().filter((l) => l.app == app);

describe("protocol: 'otlp' in Chromium", () => {
  it('delivers vitals, interactions, errors, inference events, summaries and alerts as OTLP, cross-origin after the preflight', async () => {
    const app = 'otlp-kinds';
    const page = await open(tagPage('/otlp.html', app, { flushIntervalMs: 500 }));
    await page.click('#buy');
    await page.evaluate(() => setTimeout(() => { throw new TypeError('boom'); }));
    await page.evaluate(() => {
      const client = (window as any).Telltale.client;
      // 30 calls, 6 failing: the error-rate alert (critical) is raised
      for (let i = 0; i < 30; i++) client.recordInference({ model: 'rank', version: '2', backend: 'wasm', durationMs: 5 + i, ok: i % 5 != 0, output: i % 3 });
      client.track('checkout', { total: 42 });
    });
    await sleep(300);
    // hidden: the vitals are reported and the summaries emitted, then all is flushed
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      return (window as any).Telltale.client.flush();
    });
    const names = await waitFor(() => {
      const got = new Set(logsOf(app).map((l) => l.record.eventName));
      const metrics = ingest.otlp.metrics().filter((m) => m.app == app);
      return ['browser.web_vital', 'exception', 'telltale.interaction', 'telltale.inference', 'telltale.alert', 'telltale.custom'].every((n) => got.has(n)) &&
        metrics.some((m) => m.metric.name == 'telltale.model.inference.duration') && got;
    });
    expect(names.has('telltale.inference_summary')).toBe(false);
    const vitals = logsOf(app).filter((l) => l.record.eventName == 'browser.web_vital').map((l) => attr(l.record, 'browser.web_vital.name'));
    expect(vitals).toEqual(expect.arrayContaining(['ttfb', 'fcp']));
    const error = logsOf(app).find((l) => l.record.eventName == 'exception')!.record;
    expect([attr(error, 'exception.type'), attr(error, 'exception.message')]).toEqual(['TypeError', 'boom']);
    const alert = logsOf(app).find((l) => l.record.eventName == 'telltale.alert')!.record;
    expect(attr(alert, 'telltale.alert.rule')).toBe('error_rate');
    const duration = ingest.otlp.metrics().find((m) => m.app == app && m.metric.name == 'telltale.model.inference.duration')!.metric;
    expect(duration.exponentialHistogram.dataPoints[0]).toMatchObject({ count: '30', min: 0.005, max: 0.034, scale: 6 });
    const calls = ingest.otlp.metrics().find((m) => m.app == app && m.metric.name == 'telltale.model.calls')!.metric;
    expect(calls.sum.dataPoints[0].asInt).toBe('30');

    // the browser asked first (application/json is not a simple request), and the collector let it
    const preflights = seen.filter((r) => r.method == 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    expect(preflights[0].headers['access-control-request-headers']).toBe('content-type');
    const posts = seen.filter((r) => r.method == 'POST' && r.body.includes(`"${app}"`));
    for (const p of posts) {
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers.cookie).toBeUndefined();
      // every body is an OTLP message: JSON → protobuf → JSON loses nothing of it
      const type = root.opentelemetry.proto.collector[p.path == '/v1/logs' ? 'logs' : 'metrics'].v1[p.path == '/v1/logs' ? 'ExportLogsServiceRequest' : 'ExportMetricsServiceRequest'];
      const sent = JSON.parse(p.body);
      const back = type.toObject(type.decode(type.encode(type.fromObject(sent)).finish()), { longs: String, enums: Number });
      if (p.path == '/v1/logs') {
        const recordsOf = (body: any) => body.resourceLogs[0].scopeLogs[0].logRecords.map((r: any) => [r.eventName, r.timeUnixNano, r.attributes.length]);
        expect(recordsOf(back)).toEqual(recordsOf(sent));
      } else expect(back.resourceMetrics[0].scopeMetrics[0].metrics.map((m: any) => m.name)).toEqual(sent.resourceMetrics[0].scopeMetrics[0].metrics.map((m: any) => m.name));
    }
    await page.close();
  });

  it('loses nothing to 503s, 429s, dropped sockets, a reload and an offline spell', { timeout: 120_000 }, async () => {
    const app = 'otlp-chaos';
    chaos = (n) => {
      const k = n % 7;
      if (k == 1) return { status: 503 };
      if (k == 3) return 'destroy';
      if (n == 5) return { status: 429, headers: { 'Retry-After': '1' } };
      if (k == 6) return { status: 502 };
      return undefined;
    };
    const collect = { vitals: false, interactions: false, routes: false, errors: false, longTasks: false };
    const url = tagPage('/otlp-chaos.html', app, { batchSize: 20, flushIntervalMs: 300, collect });
    const track = (page: Page, from: number, to: number) =>
      page.evaluate(([a, b]) => {
        for (let i = a; i < b; i++) (window as any).Telltale.client.track('e', { i });
      }, [from, to]);
    const page = await open(url);
    await track(page, 0, 100);
    await sleep(400);
    await page.reload();
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await track(page, 100, 200);
    await browser.context.setOffline(true);
    await track(page, 200, 300);
    await sleep(3000);
    await browser.context.setOffline(false);
    const delivered = () => new Set(logsOf(app).map((l) => attr(l.record, 'telltale.custom.data.i')));
    await waitFor(() => delivered().size == 300, 90_000);
    expect([...delivered()].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    console.log(`300 events delivered as OTLP in ${seen.filter((r) => r.method == 'POST').length} POSTs, ${ingest.otlp.totals().duplicates} duplicate records`);
    await page.close();
  });
});
