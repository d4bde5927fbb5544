// The demo as a visitor uses it: real Chromium clicks through the controls, and
// the panel's counts must match what the reference ingest server stored.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startDemo } from '../../demo/server.mjs';
import { launch, ROOT, type Browser } from './harness';

let demo: Awaited<ReturnType<typeof startDemo>>;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'telltale-demo-'));
  demo = await startDemo({ port: 0, quiet: true, dataDir });
  browser = await launch();
});
beforeEach(() => void demo.ingest.setFault('normal'));
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
const num = async (page: Page, selector: string) => Number((await text(page, selector)).split(' ')[0]);
const click = (page: Page, name: string) => page.click(`[data-telltale-name="${name}"]`);
/** Waits until every event the page created is stored on the server, but those it rejected (4xx), as the panel shows it. */
const settled = (page: Page) =>
  page.waitForFunction(
    () => {
      const n = (selector: string) => Number(document.querySelector(selector)?.textContent);
      const created = n('[data-testid="created"]');
      return created > 0 && created - n('[data-testid="stored"]') == n('[data-stat="rejected"] b');
    },
    undefined,
    { timeout: 20_000 },
  );

/** @param watch called with the page before it loads, to listen from its first request */
const open = async (path: string, watch: (page: Page) => void = () => {}) => {
  const page = await browser.context.newPage();
  watch(page);
  await page.setViewportSize({ width: 1400, height: 1000 });
  const unexpected: string[] = [];
  // the demo throws its own errors on purpose; anything else is a bug
  page.on('pageerror', (e) => /Checkout total|fetch \/api\/cart/.test(e.message) || unexpected.push(e.message));
  await page.goto(demo.url + path);
  await page.waitForSelector('[data-telltale-name="model-run"][data-ready]', { timeout: 30_000 });
  return { page, unexpected };
};

const runModel = async (page: Page) => {
  await click(page, 'model-run');
  await page.waitForSelector('[data-telltale-name="model-run"]:not([disabled])', { timeout: 30_000 });
};

it('script-tag page: every control reaches the server, and the panel counts what the server stored', async () => {
  const { page, unexpected } = await open('/');
  await expect(text(page, '[data-testid="model-result"]')).resolves.toMatch(/positive \d+%.*model \(tfjs-cpu\)/);

  await click(page, 'route-change');
  for (let i = 0; i < 3; i++) await click(page, 'track-custom');
  await click(page, 'throw-error');
  await click(page, 'reject-promise');
  await click(page, 'flush');
  // once stored, the stream shows what the server got, not what the page threw
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stream"] .k-error .dot.ok').length == 2);
  const shown = (await page.locator('[data-testid="stream"] .k-error').allInnerTexts()).join('\n');
  expect(shown).toContain('unhandledrejection');
  expect(shown).toContain('Checkout total is NaN for [email]');
  expect(shown).not.toMatch(/ann@example\.com|eyJhbGci/);
  await click(page, 'rage-click');
  await page.waitForTimeout(500); // the five clicks, 60 ms apart
  await runModel(page);
  await click(page, 'model-drift');
  await runModel(page);
  await click(page, 'model-fail');
  await runModel(page);
  await click(page, 'model-fail');
  await click(page, 'flush');
  await settled(page);

  // the panel's ledger is the server's truth (read both until they agree: collectors may still be reporting)
  const panel = async () => ({
    created: await num(page, '[data-testid="created"]'),
    stored: await num(page, '[data-testid="stored"]'),
    sent: await num(page, '[data-stat="sent"] b'),
    server: {
      stored: await num(page, '[data-testid="s-stored"]'),
      received: await num(page, '[data-testid="s-received"]'),
      duplicates: await num(page, '[data-testid="s-duplicates"]'),
      accepted: await num(page, '[data-testid="s-accepted"]'),
    },
  });
  const server = () => {
    const { stored, received, duplicates, accepted } = demo.ingest.summary().totals;
    const n = demo.ingest.events().length;
    return { created: n, stored: n, sent: n, server: { stored, received, duplicates, accepted } };
  };
  await expect.poll(async () => JSON.stringify(await panel()) == JSON.stringify(server()), { timeout: 20_000 }).toBe(true).catch(() => {});
  expect(await panel()).toEqual(server());
  const s = demo.ingest.summary();
  const stored = demo.ingest.events();
  // the model: 3 runs of 200 (and the review box), the failing run served by the fallback
  expect(s.byType.inference).toBeGreaterThanOrEqual(600);
  const calls = stored.filter((e) => e.type == 'inference');
  expect(calls.filter((e) => e.source == 'fallback' && e.ok === false).length).toBeGreaterThanOrEqual(200);
  // the panel shows the last summary the server stored, and the alerts still open there
  const summaries = stored.filter((e) => e.type == 'inference_summary');
  const last = summaries[summaries.length - 1] as unknown as { latency: { p99: number }; drift: { severity: string }; health: { score: number } };
  expect(summaries.some((e) => (e.drift as { severity: string }).severity != 'none')).toBe(true);
  await expect(text(page, '[data-testid="drift"]')).resolves.toBe(`drift ${last.drift.severity}`);
  await expect(text(page, '[data-testid="health"]')).resolves.toMatch(new RegExp(`^health ${last.health.score} · `));
  const raised = new Map<string, string>();
  for (const a of stored.filter((e) => e.type == 'alert')) a.status == 'cleared' ? raised.delete(`${a.rule}`) : raised.set(`${a.rule}`, `${a.severity}`);
  expect(raised.size).toBeGreaterThan(0);
  expect(await page.locator('[data-testid="alerts"] li:not(.none)').count()).toBe(raised.size);
  // track() from the queue before load, and the three clicks
  expect(s.byType.custom).toBe(4);
  // the pushed route carried a query string and an e-mail: neither left the page
  expect(stored.every((e) => !e.page.includes('?') && !e.page.includes('@'))).toBe(true);
  expect(stored.some((e) => e.page == '/shop/cart')).toBe(true);
  // the collectors saw the controls: a route, a rage click, both errors, scrubbed
  expect(stored.find((e) => e.type == 'route')).toMatchObject({ from: '/', to: '/shop/cart' });
  expect(stored.some((e) => e.type == 'interaction' && e.rage && e.target == 'add-to-cart')).toBe(true);
  const errors = stored.filter((e) => e.type == 'error');
  expect(errors.map((e) => e.source).sort()).toEqual(['error', 'unhandledrejection']);
  expect(JSON.stringify(errors)).not.toMatch(/ann@example\.com|eyJhbGci/);

  // 400: the batch is rejected for good, counted on both sides
  await page.click('[data-mode="400"]');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await page.waitForFunction(() => Number(document.querySelector('[data-stat="rejected"] b')?.textContent) > 0);
  // the server's side reaches the panel by server-sent events, a moment after the client's
  await expect.poll(() => text(page, '[data-testid="s-rejected"]')).toBe(`${demo.ingest.summary().totals.rejected} / 0`);
  await expect.poll(() => text(page, '[data-testid="ledger"] .reason')).toContain('fault mode 400');

  // 503: the batch waits and retries; once the server is back it is stored
  await page.click('[data-mode="503"]');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await page.waitForFunction(() => Number(document.querySelector('[data-stat="retrying"] b')?.textContent) > 0);
  await page.click('[data-mode="normal"]');
  await settled(page); // only the rejected events are missing
  const rejected = await num(page, '[data-stat="rejected"] b');
  expect(await num(page, '[data-testid="created"]')).toBe(demo.ingest.events().length + rejected);
  await expect(text(page, '[data-testid="verdict"]')).resolves.toBe(`✓ nothing lost: ${demo.ingest.events().length} stored, ${rejected} refused (4xx or a cap)`);

  // offline (simulated: the server destroys connections), then back: the batch fails on the network and is retried
  await page.click('[data-mode="offline"]');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await page.waitForSelector('.batches .st-net');
  await page.click('[data-mode="normal"]');
  await settled(page);

  // hang: the request stays in flight until the server drops it, then it is retried
  await page.click('[data-mode="hang"]');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await page.waitForFunction(() => Number(document.querySelector('[data-stat="in flight"] b')?.textContent) > 0);
  await page.click('[data-mode="normal"]');
  await settled(page);
  expect(await num(page, '[data-testid="created"]')).toBe(demo.ingest.events().length + rejected);

  // 429 with Retry-After: the panel shows the wait the page read from the header
  await page.click('[data-mode="429"]');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await page.waitForFunction(() => /^\d+ s$/.test(document.querySelector('[data-stat="rate-limited"] b')?.textContent || ''));
  await expect(text(page, '[data-testid="fault-help"]')).resolves.toContain('Retry-After: 10');
  await page.click('[data-mode="normal"]');

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results/demo-panel.png'), fullPage: true });
  expect(unexpected).toEqual([]);
  await page.close();
});

it('SPA page: the ESM build delivers from client-side routes', async () => {
  const { page, unexpected } = await open('/spa');
  await page.click('#routes a[href="/spa/settings"]');
  expect(new URL(page.url()).pathname).toBe('/spa/settings');
  await click(page, 'track-custom');
  await click(page, 'flush');
  await settled(page);
  // this tab's session: events of the page closed before may still arrive
  const tracked = demo.ingest.events().find((e) => e.type == 'custom' && e.page == '/spa/settings');
  expect(tracked).toBeTruthy();
  const mine = () => demo.ingest.events().filter((e) => e.session == tracked!.session).length;
  await expect.poll(async () => (await num(page, '[data-testid="stored"]')) == mine(), { timeout: 20_000 }).toBe(true).catch(() => {});
  expect(await num(page, '[data-testid="stored"]')).toBe(mine());
  expect(unexpected).toEqual([]);
  await page.close();
});

it('simulated Do-Not-Track: the panel says telltale is off and the server gets nothing', async () => {
  const { page, unexpected } = await open('/?dnt=1');
  // the pages closed before may still deliver their exit beacons
  await page.waitForTimeout(1000);
  const requests = demo.ingest.summary().totals.requests;
  await expect(text(page, '[data-k="buffer"]')).resolves.toBe('off: dnt');
  await expect(text(page, '[data-testid="dnt-toggle"]')).resolves.toBe('Reload without Do-Not-Track');
  await click(page, 'track-custom');
  await runModel(page);
  await click(page, 'flush');
  await page.waitForTimeout(2000);
  expect(demo.ingest.summary().totals.requests).toBe(requests);
  expect(unexpected).toEqual([]);
  await page.close();
});

it('Wire control: ?protocol=otlp sends OTLP/HTTP JSON to the ingest\'s /v1/logs and /v1/metrics, nothing to /ingest', async () => {
  const posted: string[] = [];
  const { page, unexpected } = await open('/?protocol=otlp', (p) =>
    p.on('request', (r) => void (r.method() == 'POST' && posted.push(new URL(r.url()).pathname))),
  );
  await expect(text(page, '[data-testid="wire"]')).resolves.toBe('OTLP/HTTP JSON → /v1/logs, /v1/metrics');
  await expect(page.getAttribute('[data-testid="wire-otlp"]', 'aria-pressed')).resolves.toBe('true');
  await expect(text(page, '[data-testid="tag"]')).resolves.toContain('data-protocol="otlp"');
  const before = demo.ingest.otlp.logs().length;
  for (let i = 0; i < 2; i++) await click(page, 'track-custom');
  await click(page, 'throw-error');
  await runModel(page);
  await click(page, 'flush');
  // the stream marks the error stored from its OTLP log record
  await page.waitForSelector('[data-testid="stream"] .k-error .dot.ok', { timeout: 30_000 });
  // every event the page created is stored, summaries included: the panel matched them from the OTLP arrivals
  await page.waitForFunction(
    () => {
      const n = (selector: string) => Number(document.querySelector(selector)?.textContent);
      return n('[data-testid="created"]') > 200 && n('[data-testid="created"]') == n('[data-testid="stored"]');
    },
    undefined,
    { timeout: 60_000 },
  );
  const logs = demo.ingest.otlp.logs().slice(before);
  const records = logs.map((l) => l.record);
  // the two clicks (the buffer is shared by the origin's tabs: a closed page's leftovers may travel too)
  const attribute = (l: (typeof logs)[number], key: string) => l.record.attributes.find((a) => a.key == key)?.value.stringValue;
  const clicks = logs.filter((l) => attribute(l, 'telltale.custom.name') == 'demo_button' && attribute(l, 'url.path') == '/');
  expect(clicks.length).toBe(2);
  expect(records.some((r) => r.eventName == 'exception')).toBe(true);
  expect(records.filter((r) => r.eventName == 'telltale.inference').length).toBeGreaterThanOrEqual(200);
  expect(demo.ingest.otlp.metrics().some(({ metric }) => metric.name == 'telltale.model.inference.duration')).toBe(true);
  // the Prometheus view of the same arrivals
  await expect(fetch(demo.url + '/metrics').then((r) => r.text())).resolves.toMatch(/^telltale_model_calls_total\{.*\} [1-9]/m);
  expect(posted).toContain('/v1/logs');
  expect(posted).toContain('/v1/metrics');
  expect(posted).not.toContain('/ingest');
  // the panel's server counts follow the OTLP receiver
  await expect.poll(() => text(page, '[data-testid="s-otlp"]'), { timeout: 10_000 }).toBe(`${demo.ingest.otlp.totals().requests} · ${demo.ingest.otlp.logs().length}`);

  // and back to telltale's own wire
  await page.click('[data-testid="wire-telltale"]');
  await page.waitForSelector('[data-telltale-name="model-run"][data-ready]', { timeout: 30_000 });
  await expect(text(page, '[data-testid="wire"]')).resolves.toBe('telltale JSON → /ingest');
  await expect(text(page, '[data-testid="tag"]')).resolves.not.toContain('otlp');
  expect(unexpected).toEqual([]);
  await page.close();

  // the SPA page's init() follows the same control
  const spa = await open('/spa?protocol=otlp');
  await expect(text(spa.page, '[data-testid="wire"]')).resolves.toBe('OTLP/HTTP JSON → /v1/logs, /v1/metrics');
  const spaBefore = demo.ingest.otlp.logs().length;
  await click(spa.page, 'track-custom');
  await click(spa.page, 'flush');
  // this page's click: the buffer is shared by the origin's tabs, so a closed page's leftovers may travel too
  const fromSpa = () =>
    demo.ingest.otlp.logs().slice(spaBefore).filter((l) => attribute(l, 'telltale.custom.name') == 'demo_button' && attribute(l, 'url.path') == '/spa').length;
  await expect.poll(fromSpa, { timeout: 30_000 }).toBe(1);
  expect(spa.unexpected).toEqual([]);
  await spa.page.close();
}, 180_000);
