// The examples as a user runs them: the repository packed by `npm pack` and installed in
// each example, the example built by Vite (where it has a build step), served with the
// reference ingest by examples/serve.mjs, and clicked through in Chromium.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildExample, installTelltale, packTelltale, serveExample } from '../../examples/serve.mjs';
import { hide, launch, ROOT, type Browser } from './harness';

type Served = Awaited<ReturnType<typeof serveExample>>;

const PACKED = join(ROOT, 'test/.tmp/examples');
// what a loaded 2-core machine may need for a page, a build or a delivery
const SLOW_MS = 30_000;
/** How long a page that may not send is watched after it had every chance to. */
const QUIET_MS = 3_000;

let browser: Browser;
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  rmSync(PACKED, { recursive: true, force: true });
  const tarball = packTelltale(PACKED);
  for (const name of ['vite-spa', 'script-tag', 'onnx', 'consent']) installTelltale(name, tarball);
  browser = await launch();
}, 120_000);
// pages, then their browser, then the servers: the reverse of their opening
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});
afterAll(async () => {
  await browser?.close();
});

/** Polls until `check` gives a truthy value; the error names `what` it waited for. */
const until = async <T>(what: string, check: () => T | undefined | false, timeoutMs = SLOW_MS): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const serve = async (name: string) => {
  const served = await serveExample(name);
  closing.push(served.close);
  return served;
};

/** Opens the example in a new tab (of `on`, the shared browser unless given), recording what it requests and throws. */
const open = async (served: Served, on = browser) => {
  const page = await on.context.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  closing.push(() => page.close());
  await page.goto(served.url + '/');
  /** True once the page requested a same-origin path matching `pattern`. */
  const loaded = (pattern: RegExp) => requested.some((url) => url.startsWith(served.url) && pattern.test(new URL(url).pathname));
  /** Every batch passed the reference ingest's wire check, nothing came from another server (telltale's worker is a blob: URL), nothing threw. */
  const expectClean = () => {
    expect(served.ingest.summary().totals.rejected).toBe(0);
    expect(requested.filter((url) => /^https?:/.test(url) && !url.startsWith(served.url))).toEqual([]);
    expect(errors).toEqual([]);
  };
  return { page, requested, loaded, expectClean };
};

const ofType = (served: Served, type: string) => served.ingest.events().filter((event) => event.type == type);
const named = (served: Served, type: string, name: string) => ofType(served, type).find((event) => event.name == name);
const summaryOf = (served: Served, model: string) => ofType(served, 'inference_summary').find((event) => event.model == model);

/** The visitor leaves: the page hides and telltale sends what it holds (vitals, model summaries). */
const leave = (page: Page) => page.goto('about:blank');

describe('vite-spa', () => {
  beforeAll(() => buildExample('vite-spa'), 120_000);

  it('routes, a model and the lazy chunks: vitals, routes and inference summaries reach the ingest', async () => {
    const served = await serve('vite-spa');
    const { page, loaded, expectClean } = await open(served);
    // the vitals are measured in a chunk of their own, loaded after init()
    await until('the vitals chunk', () => loaded(/^\/assets\/telltale\.measure-[\w-]+\.js$/));

    await page.click('[data-telltale-name="nav-pricing"]');
    await page.click('[data-telltale-name="choose-pro"]');
    // neither the model nor telltale's model aggregates load before a model runs
    expect(loaded(/^\/assets\/model-/)).toBe(false);
    expect(loaded(/^\/assets\/telltale\.monitor-/)).toBe(false);

    await page.click('[data-telltale-name="nav-score"]');
    await page.waitForSelector('[data-telltale-name="score-run"]:not([disabled])', { timeout: SLOW_MS });
    expect(loaded(/^\/assets\/model-[\w-]+\.js$/)).toBe(true);
    for (const visits of [1, 4, 9]) {
      await page.fill('input[name="visits"]', String(visits));
      const before = await page.textContent('output');
      await page.click('[data-telltale-name="score-run"]');
      await page.waitForFunction((previous) => document.querySelector('output')!.textContent != previous, before);
    }
    await expect(page.textContent('output')).resolves.toMatch(/^\d+% likely to buy$/);
    await until('the model aggregates chunk', () => loaded(/^\/assets\/telltale\.monitor-[\w-]+\.js$/));
    await page.goBack();
    await page.waitForSelector('[data-telltale-name="choose-pro"]');
    await leave(page);

    const summary = await until('the lead-score inference_summary', () => summaryOf(served, 'lead-score'));
    expect(summary).toMatchObject({ model: 'lead-score', version: '1', backend: 'js', count: 3, errors: 0 });
    expect(summary.output).toMatchObject({ n: 3 });
    await until('FCP, LCP, TTFB and CLS', () => ['FCP', 'LCP', 'TTFB', 'CLS'].every((name) => named(served, 'vital', name)));
    const routes = ofType(served, 'route').map(({ from, to }) => ({ from, to }));
    expect(routes).toEqual([
      { from: '/', to: '/pricing' },
      { from: '/pricing', to: '/score' },
      { from: '/score', to: '/pricing' },
    ]);
    expect(named(served, 'custom', 'plan_chosen')).toMatchObject({ data: { plan: 'pro' }, page: '/pricing' });
    expect(ofType(served, 'interaction').map((event) => event.target)).toContain('score-run');
    expectClean();
  });
});

describe('script-tag', () => {
  it('the IIFE runs the call queued before it loaded, and later pushes straight away', async () => {
    const served = await serve('script-tag');
    const { page, loaded, expectClean } = await open(served);
    expect(loaded(/^\/node_modules\/telltale\/dist\/telltale\.min\.js$/)).toBe(true);
    await page.waitForFunction(() => (window as any).Telltale?.client, undefined, { timeout: SLOW_MS });
    await page.click('[data-telltale-name="newsletter"]');
    await leave(page);

    const signup = await until('the queued signup event', () => named(served, 'custom', 'signup'));
    expect(signup).toMatchObject({ data: { plan: 'pro' }, page: '/' });
    await until('the newsletter event', () => named(served, 'custom', 'newsletter'));
    expect(named(served, 'custom', 'newsletter')).toMatchObject({ data: { source: 'footer' } });
    expectClean();
  });
});

describe('onnx', () => {
  beforeAll(() => buildExample('onnx'), 120_000);

  it('ONNX Runtime Web runs the shipped model from local files; monitorOnnx sends its summary', async () => {
    const served = await serve('onnx');
    const { page, loaded, expectClean } = await open(served);
    await page.waitForSelector('[data-telltale-name="run-model"]:not([disabled])', { timeout: SLOW_MS });
    expect(loaded(/^\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/)).toBe(true);

    await page.click('[data-telltale-name="run-model"]');
    // σ(0.9·1 − 0.6·2 + 0.4·3 − 0.2·4 + 0.1)
    await page.waitForFunction(() => document.querySelector('output')!.textContent == 'score 0.550', undefined, { timeout: SLOW_MS });
    await page.fill('input[name="f1"]', '3');
    await page.click('[data-telltale-name="run-model"]');
    await page.waitForFunction(() => document.querySelector('output')!.textContent != 'score 0.550', undefined, { timeout: SLOW_MS });
    await leave(page);

    const summary = await until('the logistic inference_summary', () => summaryOf(served, 'logistic'));
    expect(summary).toMatchObject({ model: 'logistic', version: '1', backend: 'wasm', count: 2, errors: 0 });
    expect(summary.output).toMatchObject({ n: 2 });
    // ONNX Runtime and its WebAssembly came from the example's own server, no CDN
    expectClean();
  });
});

describe('consent', () => {
  beforeAll(() => buildExample('consent'), 120_000);

  const banner = '#consent-banner';
  /** Leaves the page (telltale sends what it may when the page hides) and checks that nothing reached the ingest. */
  const expectSilence = async (served: Served, page: Page) => {
    await leave(page);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(served.ingest.summary().totals.requests).toBe(0);
  };

  it('nothing is sent or stored before a choice; accept sends what waited; a reload applies the stored choice', async () => {
    const served = await serve('consent');
    const { page, requested, expectClean } = await open(served);
    await page.waitForSelector(banner, { state: 'visible' });
    await page.click('[data-telltale-name="add-to-cart"]');
    // a hidden page flushes: with no choice made, nothing may leave
    await page.evaluate(hide);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(served.ingest.summary().totals.requests).toBe(0);
    expect(requested.filter((url) => url.includes('/ingest'))).toEqual([]);
    await expect(page.evaluate(async () => ({ databases: await indexedDB.databases(), session: sessionStorage.length }))).resolves.toEqual({
      databases: [],
      session: 0,
    });

    await page.click('[data-telltale-name="consent-accept"]');
    await page.waitForSelector(banner, { state: 'hidden' });
    await expect(page.evaluate(() => localStorage.getItem('analytics-consent'))).resolves.toBe('granted');
    // the click made before the choice waited in memory and leaves now
    await until('the add_to_cart event held until consent', () => named(served, 'custom', 'add_to_cart'));

    await page.reload();
    await page.click('[data-telltale-name="add-to-cart"]');
    expect(await page.isHidden(banner)).toBe(true);
    await leave(page);
    await until("the second load's add_to_cart", () => ofType(served, 'custom').filter((event) => event.name == 'add_to_cart').length == 2);
    await until("the second load's FCP", () => ofType(served, 'vital').filter((event) => event.name == 'FCP').length == 2);
    expectClean();
  });

  it('decline (in a fresh browser profile): nothing is sent, on this page or the next', async () => {
    const served = await serve('consent');
    const fresh = await launch();
    closing.push(fresh.close);
    const first = await open(served, fresh);
    await first.page.waitForSelector(banner, { state: 'visible' });
    await first.page.click('[data-telltale-name="add-to-cart"]');
    // the visitor takes a while to choose: the page hides (and flushes) meanwhile
    await first.page.evaluate(hide);
    await first.page.click('[data-telltale-name="consent-decline"]');
    await first.page.waitForSelector(banner, { state: 'hidden' });
    await expect(first.page.evaluate(() => localStorage.getItem('analytics-consent'))).resolves.toBe('denied');
    await expectSilence(served, first.page);

    const next = await open(served, fresh);
    expect(await next.page.isHidden(banner)).toBe(true);
    await next.page.click('[data-telltale-name="add-to-cart"]');
    await expectSilence(served, next.page);
    first.expectClean();
    next.expectClean();
  });
});
