// The web vitals in real Chromium, through the script tag: measured by web-vitals (attribution
// build), sent as our `vital` events. INP needs a trusted input and ~1.2 s before the page hides
// (web-vitals processes event entries when idle); going to about:blank hides the page.
import { describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM } from './harness';
import { useWorld } from './world';

const w = useWorld();

type Vital = { name: string; value: number; page: string; navigationType: string; attribution: Record<string, unknown>; [k: string]: unknown };

const tag = (app: string) =>
  `<script src="/dist/telltale.min.js" data-endpoint="${w.ingest.endpoint}" data-app="${app}" data-flush-interval-ms="60000"></script>`;
/** The app's vitals as they came over the wire. */
const wireVitalsOf = (app: string) =>
  w.ingest
    .posts()
    .filter((r) => r.json?.app && (r.json.app as { name: string }).name == app)
    .flatMap((r) => r.json!.events)
    .filter((e) => e.type == 'vital' && e.name != 'TBT') as unknown as Vital[];
/** The app's vitals as a backend reads them: the fields left out at their default put back (docs/wire.md). */
const vitalsOf = (app: string): Vital[] =>
  wireVitalsOf(app).map((e) => ({ ...e, delta: e.delta ?? e.value, navigationType: e.navigationType ?? 'navigate', attribution: e.attribution ?? {} }));
/** Waits until the app's vitals include every one of `names` (each with `navigationType` when given). */
const waitForVitals = (app: string, names: string[], navigationType?: string) =>
  w.ingest.waitFor(() => {
    const got = vitalsOf(app).filter((e) => !navigationType || e.navigationType == navigationType);
    return names.every((n) => got.some((e) => e.name == n)) && got;
  });
/** An attribution as sent: only the `fields` of its vital, no number of 0 (left out, as a default), and `expected` among them. */
const expectAttribution = (attribution: Record<string, unknown>, fields: string[], expected: Record<string, unknown>) => {
  expect(fields).toEqual(expect.arrayContaining(Object.keys(attribution)));
  for (const value of Object.values(attribution)) expect(value).not.toBe(0);
  expect(attribution).toMatchObject(expected);
};
const by = (list: Vital[], name: string) => list.find((e) => e.name == name)!;
/** A click whose handler keeps the main thread busy for `ms`: an INP of at least that. */
const busyClick = (ms: number) => `() => { const end = performance.now() + ${ms}; while (performance.now() < end); }`;
const RATING = /^(good|needs-improvement|poor)$/;
// absolutely placed: moving one shifts it alone; removing one moves nothing else
const PROMO = `<section id="promo" style="position:absolute;top:0;height:80px;width:300px;background:#eee"></section>`;
const BUY = `<button id="buy" style="position:absolute;top:400px">Buy</button>`;

/** Clicks, then leaves once web-vitals has processed the interaction (it does so when idle). */
const clickAndLeave = async (page: Page, selector: string) => {
  await page.click(selector);
  await page.waitForTimeout(1300);
  await page.goto('about:blank');
};

describe('web vitals in Chromium', () => {
  it("sends each vital with its rating and web-vitals' attribution, targets as our selectors, the LCP URL as a path", async () => {
    const url = w.site.page(
      '/vitals.html',
      `<!doctype html><title>vitals</title>${tag('vitals')}
       <section id="promo" style="height:100px"><p>Sale</p></section>
       <img id="hero" src="/docs/panel.png?user=jane@example.com" width="600" height="400">
       <button id="buy" class="jane@example.com" data-testid="buy-button">Buy</button>
       <script>
         document.getElementById('buy').addEventListener('click', ${busyClick(150)});
         setTimeout(() => { Object.assign(document.getElementById('promo').style, { position: 'relative', top: '150px' }); }, 200);
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url + '?coupon=SECRET42#top');
    await page.waitForTimeout(500);
    await clickAndLeave(page, '#buy');
    const vitals = await waitForVitals('vitals', ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    // reported once, on a plain navigation: the wire leaves out the defaults (a delta equal to the value, navigate)
    for (const e of wireVitalsOf('vitals')) {
      expect(e).not.toHaveProperty('navigationType');
      expect(e).not.toHaveProperty('delta');
    }
    for (const e of vitals) {
      expect(e).toMatchObject({ page: '/vitals.html', navigationType: 'navigate', rating: expect.stringMatching(RATING) });
      expect(typeof e.value).toBe('number');
      expect(typeof e.delta).toBe('number');
      console.log(`${e.name} event: ${JSON.stringify(e).length} B`, e.attribution);
    }
    // each reported once (final values only: reportAllChanges is off by default)
    expect(vitals.map((e) => e.name).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    const num = expect.any(Number);
    expectAttribution(by(vitals, 'LCP').attribution, ['target', 'url', 'timeToFirstByte', 'resourceLoadDelay', 'resourceLoadDuration', 'elementRenderDelay'], {
      target: 'img#hero',
      url: '/docs/panel.png',
      timeToFirstByte: num,
    });
    const inp = by(vitals, 'INP');
    expect(inp.value).toBeGreaterThanOrEqual(140);
    // our selector: the button's id (never its class, which holds an e-mail)
    expectAttribution(inp.attribution, ['interactionTarget', 'interactionType', 'inputDelay', 'processingDuration', 'presentationDelay', 'loadState'], {
      interactionTarget: 'button#buy',
      interactionType: 'pointer',
      processingDuration: num,
      loadState: 'complete',
    });
    expect(inp.attribution.processingDuration).toBeGreaterThanOrEqual(140);
    const cls = by(vitals, 'CLS');
    expect(cls.value).toBeGreaterThan(0.01);
    expectAttribution(cls.attribution, ['largestShiftTarget', 'largestShiftValue', 'largestShiftTime', 'loadState'], { largestShiftTarget: 'section#promo', largestShiftValue: num, largestShiftTime: num, loadState: expect.any(String) });
    expectAttribution(by(vitals, 'FCP').attribution, ['timeToFirstByte', 'firstByteToFCP', 'loadState'], { timeToFirstByte: num, firstByteToFCP: num, loadState: expect.any(String) });
    expectAttribution(by(vitals, 'TTFB').attribution, ['waitingDuration', 'dnsDuration', 'connectionDuration', 'requestDuration'], { requestDuration: num });
    const bodies = w.ingest.posts().filter((r) => r.body.includes('"name":"vitals"')).map((r) => r.body).join('\n');
    expect(bodies).not.toMatch(/jane|SECRET42|coupon|#top|example\.com/);
    await page.close();
  });

  it('the ESM build measures them in its lazy chunk (telltale.measure.mjs, web-vitals inside), loaded after init()', async () => {
    const url = w.site.page(
      '/esm.html',
      `<!doctype html><h1 style="font-size:64px">ESM page</h1>
       <script type="module">
         import { init } from '/dist/telltale.mjs';
         init({ endpoint: '${w.ingest.endpoint}', app: 'esm', flushIntervalMs: 60000 });
       </script>`,
    );
    const page = await w.browser.context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
    await page.goto(url);
    await page.waitForTimeout(500);
    expect(scripts).toContain('/dist/telltale.measure.mjs');
    await page.goto('about:blank');
    const vitals = await waitForVitals('esm', ['LCP', 'CLS', 'FCP', 'TTFB']);
    expect(by(vitals, 'LCP')).toMatchObject({ page: '/esm.html', rating: expect.stringMatching(RATING), attribution: { target: 'h1' } });
    await page.close();
  });

  it('keeps the targets of elements removed before their metric is reported (LCP, INP, CLS)', async () => {
    const url = w.site.page(
      '/removed.html',
      `<!doctype html>${tag('removed')}
       ${PROMO}
       <h1 id="headline" style="position:absolute;top:200px;font-size:64px;margin:0">A large heading that is the LCP</h1>
       ${BUY}
       <script>
         document.getElementById('buy').addEventListener('click', ${busyClick(150)});
         setTimeout(() => { document.getElementById('promo').style.top = '100px'; }, 200);
         // after their entries were seen, long before the LCP (first input), INP and CLS (hide) are reported
         setTimeout(() => { document.getElementById('headline').remove(); document.getElementById('promo').remove(); }, 600);
         // web-vitals reads an interaction's entries when the page is next idle (in headless Chromium: at
         // requestIdleCallback's 1 s timeout): gone after that, before the hide
         document.getElementById('buy').addEventListener('click', () => setTimeout(() => document.getElementById('buy').remove(), 1400));
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(900);
    expect(await page.evaluate(() => !document.getElementById('headline') && !document.getElementById('promo'))).toBe(true);
    await page.click('#buy');
    await page.waitForTimeout(1800);
    expect(await page.evaluate(() => !document.getElementById('buy'))).toBe(true);
    await page.goto('about:blank');
    const vitals = await waitForVitals('removed', ['LCP', 'INP', 'CLS']);
    expect(by(vitals, 'LCP').attribution.target).toBe('h1#headline');
    expect(by(vitals, 'INP').attribution.interactionTarget).toBe('button#buy');
    expect(by(vitals, 'CLS').attribution.largestShiftTarget).toBe('section#promo');
    await page.close();
  });

  it("gives a vital the path of the page load it measures, not the SPA route current when it is reported", async () => {
    // the first click navigates (pushState in its handler): LCP is reported after it, INP and CLS at hide
    const url = w.site.page(
      '/app/start',
      `<!doctype html>${tag('spa')}
       <h1 style="font-size:64px">Start page heading</h1>
       <button id="go">Next</button>
       <script>
         document.getElementById('go').addEventListener('click', () => { history.pushState({}, '', '/app/next?step=2'); (${busyClick(150)})(); });
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url + '?email=jane@example.com');
    await page.waitForTimeout(500);
    await page.click('#go');
    expect(await page.evaluate(() => location.pathname)).toBe('/app/next');
    await page.waitForTimeout(1300);
    await page.evaluate(() => (window as unknown as { Telltale: { client: { track(n: string): void } } }).Telltale.client.track('on-next'));
    await page.goto('about:blank');
    const vitals = await waitForVitals('spa', ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']);
    for (const e of vitals) expect([e.name, e.page]).toEqual([e.name, '/app/start']);
    // the events of the new route carry it
    const custom = await w.ingest.waitFor(() =>
      w.ingest
        .posts()
        .flatMap((r) => r.json?.events ?? [])
        .find((e) => e.type == 'custom' && e.name == 'on-next'),
    );
    expect(custom.page).toBe('/app/next');
    await page.close();
  });

  it('reports per soft navigation where the browser detects them: the new route its page, navigationType soft-navigation', async () => {
    // a click that changes the URL and paints new content: Chromium reports a soft navigation
    const url = w.site.page(
      '/soft/start',
      `<!doctype html>${tag('soft')}
       <main><h1 style="font-size:64px">Start page heading</h1><button id="go">Next</button></main>
       <script>
         document.getElementById('go').addEventListener('click', () => {
           history.pushState({}, '', '/soft/next?user=jane@example.com');
           document.querySelector('main').innerHTML = '<h1 style="font-size:48px">The next page, painted by the app</h1><button id="buy">Buy</button>';
           document.getElementById('buy').addEventListener('click', ${busyClick(150)});
         });
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(500);
    await page.click('#go');
    await page.waitForTimeout(1300);
    await clickAndLeave(page, '#buy');
    const soft = await waitForVitals('soft', ['INP'], 'soft-navigation');
    for (const e of soft) expect(e.page).toBe('/soft/next');
    expect(by(soft, 'INP').value).toBeGreaterThanOrEqual(140);
    for (const e of vitalsOf('soft').filter((e) => e.navigationType != 'soft-navigation')) expect(e.page).toBe('/soft/start');
    await page.close();
  });

  it('with data-vitals-report-all-changes, sends each change of a vital, its deltas adding up to the value', async () => {
    const url = w.site.page(
      '/changes.html',
      `<!doctype html>${tag('changes').replace('<script ', '<script data-vitals-report-all-changes="true" ')}
       <h1>Changes</h1>
       ${PROMO}
       <script>
         setTimeout(() => { document.getElementById('promo').style.top = '100px'; }, 200);
         setTimeout(() => { document.getElementById('promo').style.top = '250px'; }, 500);
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(900);
    await page.goto('about:blank');
    const cls = await w.ingest.waitFor(() => {
      const got = vitalsOf('changes').filter((e) => e.name == 'CLS' && e.value > 0);
      return got.length >= 2 && got;
    });
    const last = cls[cls.length - 1];
    expect(cls.reduce((sum, e) => sum + (e.delta as number), 0)).toBeCloseTo(last.value, 3);
    expect(cls[0].value).toBeLessThan(last.value);
    await page.close();
  });

  it('sends no LCP or FCP from a tab hidden since it loaded (web-vitals decides), its TTFB still', async () => {
    const url = w.site.page('/hidden.html', `<!doctype html>${tag('hidden')}<h1 style="font-size:64px">Painted while hidden</h1>`);
    const page = await w.browser.context.newPage();
    // headless Chromium never hides a page itself: the page reports hidden from its first script on
    await page.addInitScript(() => Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }));
    await page.goto(url);
    await page.waitForTimeout(500);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.goto('about:blank');
    const vitals = await waitForVitals('hidden', ['TTFB']);
    // what else was sent with it (CLS 0 at the hide, at most)
    await page.waitForTimeout(300);
    expect(vitalsOf('hidden').map((e) => e.name)).not.toContain('LCP');
    expect(vitalsOf('hidden').map((e) => e.name)).not.toContain('FCP');
    expect(by(vitals, 'TTFB')).toMatchObject({ page: '/hidden.html', navigationType: 'navigate' });
    await page.close();
  });

  it('reports INP and CLS again after a back/forward-cache restore, as back-forward-cache, with the path restored', async () => {
    // cacheable: pages served no-store (the site's default) are not kept in the back/forward cache
    const url = w.site.page(
      '/bf.html',
      `<!doctype html>${tag('bfcache')}
       ${PROMO}
       <h1 style="position:absolute;top:200px">page</h1>
       ${BUY}
       <script>
         document.getElementById('buy').addEventListener('click', ${busyClick(150)});
         // after the restore, on the first click: a layout shift
         addEventListener('pageshow', (e) => e.persisted && document.getElementById('buy').addEventListener('click', () =>
           setTimeout(() => { document.getElementById('promo').style.top = '120px'; }, 600)));
       </script>`,
      { 'cache-control': 'max-age=0' },
    );
    const other = w.site.page('/bf-other.html', '<!doctype html><h1>other</h1>');
    // playwright turns the back/forward cache off by default
    const own = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    try {
      const page = await own.newPage();
      // Chromium says through CDP whether it restored the page, and if not why (the failure names it)
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.enable');
      const notRestoredBecause: string[] = [];
      cdp.on('Page.backForwardCacheNotUsed', ({ notRestoredExplanations }) => {
        for (const { reason } of notRestoredExplanations) notRestoredBecause.push(reason);
      });
      await page.goto(url);
      await page.waitForTimeout(300);
      await page.click('#buy');
      await page.waitForTimeout(1300);
      // the SDK has started (its worker answers): a worker's answer that reaches the page after it
      // entered the cache makes Chromium evict it (JavaScriptExecution, seen under CI load)
      await page.waitForFunction(() => (window as any).Telltale.client.stats().buffer == 'indexeddb');
      // an SPA route: the page is kept (and restored) at it
      await page.evaluate(() => history.pushState({}, '', '/bf-route'));
      await page.goto(other);
      // Chromium stores the page it left after the next page's load: going back at once may find none
      await page.waitForTimeout(500);
      const backNavigation = new Promise<string>((resolve) =>
        cdp.on('Page.frameNavigated', ({ frame, type }) => {
          if (!frame.parentId) resolve(type);
        }),
      );
      await page.goBack({ waitUntil: 'commit' });
      const navigationType = await backNavigation;
      // Chromium says why it did not restore just after the navigation
      if (navigationType != 'BackForwardCacheRestore') await page.waitForTimeout(500);
      expect(navigationType, `not restored: ${notRestoredBecause.join(', ')}`).toBe('BackForwardCacheRestore');
      // no script from the test until the restore is over: Chromium evicts a page that runs script while restoring
      await page.waitForTimeout(300);
      // restored, not loaded again: the navigation entry is still the first load's
      expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type)).toBe('navigate');
      await page.click('#buy');
      await page.waitForTimeout(1300);
      await page.goto('about:blank');
      const restored = await waitForVitals('bfcache', ['INP', 'CLS'], 'back-forward-cache');
      // the load's vitals carry its path; the restore's, the path restored
      const before = vitalsOf('bfcache').filter((e) => e.navigationType == 'navigate');
      expect(before.map((e) => e.name)).toContain('INP');
      for (const e of before) expect(e.page).toBe('/bf.html');
      for (const e of restored) expect(e).toMatchObject({ page: '/bf-route', rating: expect.stringMatching(RATING) });
      expect(by(restored, 'INP').value).toBeGreaterThanOrEqual(140);
      expect(by(restored, 'INP').attribution).toMatchObject({ interactionTarget: 'button#buy', interactionType: 'pointer' });
      expect(by(restored, 'CLS').value).toBeGreaterThan(0);
      expect(by(restored, 'CLS').attribution).toMatchObject({ largestShiftTarget: 'section#promo' });
    } finally {
      await own.close();
    }
  });
});
