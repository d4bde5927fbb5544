// The collectors in real Chromium, through the script tag: what a site gets by default.
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness';
import { useWorld } from './world';

const w = useWorld();

const tag = (app: string) =>
  `<script src="/dist/telltale.min.js" data-endpoint="${w.ingest.endpoint}" data-app="${app}" data-flush-interval-ms="60000"></script>`;
const eventsOf = (app: string) =>
  w.ingest.posts().filter((r) => r.json?.app && (r.json.app as { name: string }).name == app).flatMap((r) => r.json!.events);
const bodiesOf = (app: string) => w.ingest.posts().filter((r) => r.body.includes(`"name":"${app}"`)).map((r) => r.body);

describe('collectors in Chromium', () => {
  it('sends all five web vitals with attribution after a click and a navigation away', async () => {
    const url = w.site.page(
      '/vitals.html',
      `<!doctype html><title>vitals</title>${tag('vitals')}
       <section id="promo" style="height:100px"><p>Sale</p></section>
       <h1 style="font-size:64px">A large heading that is the largest contentful paint</h1>
       <button id="buy" data-testid="buy-button">Buy</button>
       <script>
         document.getElementById('buy').addEventListener('click', () => { const end = performance.now() + 150; while (performance.now() < end); });
         // moved on its own (relative): the layout shift's source is the section, not its container
         setTimeout(() => { Object.assign(document.getElementById('promo').style, { position: 'relative', top: '150px' }); }, 200);
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(500);
    await page.click('#buy');
    // let the interaction's entries be delivered before leaving (the hide takes what is still queued too)
    await page.waitForTimeout(1300);
    await page.goto('about:blank');
    const vitals = await w.ingest.waitFor(() => {
      const v = eventsOf('vitals').filter((e) => e.type == 'vital');
      const names = new Set(v.map((e) => e.name));
      return ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'].every((n) => names.has(n)) && v;
    });
    const by = (n: string) => vitals.find((e) => e.name == n)!;
    const sum = (a: object) => Object.values(a).reduce((t: number, v) => t + (typeof v == 'number' ? v : 0), 0);
    for (const e of vitals.filter((e) => e.name != 'TBT')) {
      expect(e).toMatchObject({ page: '/vitals.html', rating: expect.stringMatching(/^(good|needs-improvement|poor)$/) });
      expect(typeof e.value).toBe('number');
      expect(typeof e.delta).toBe('number');
      expect(e.navigationType).toBe('navigate');
      // what goes on the wire (before gzip): ~160 B without attribution, the attribution at most ~130 B more
      const bytes = JSON.stringify(e).length;
      console.log(`${e.name} event: ${bytes} B, attribution ${e.attribution ? JSON.stringify(e.attribution).length : 0} B`);
      expect(bytes).toBeLessThanOrEqual(300);
      if (e.attribution) expect(JSON.stringify(e.attribution).length).toBeLessThanOrEqual(130);
    }
    expect(by('INP').value).toBeGreaterThanOrEqual(140);
    // the target is our privacy-safe selector; the phases add up to the INP (each rounded)
    const inp = by('INP').attribution as Record<string, number>;
    expect(inp).toEqual({ target: 'button#buy', inputDelay: expect.any(Number), processingDuration: expect.any(Number), presentationDelay: expect.any(Number) });
    // the click's 150 ms handler is processing even when the pointerdown, run first in the same frame, is INP's entry
    expect(inp.processingDuration).toBeGreaterThanOrEqual(140);
    expect(sum(inp)).toBeCloseTo(by('INP').value as number, 0);
    // a text LCP: no resource to load; its sub-parts add up to the LCP
    const lcp = by('LCP').attribution as Record<string, number>;
    expect(lcp).toEqual({ target: 'h1', timeToFirstByte: expect.any(Number), resourceLoadDelay: 0, resourceLoadDuration: 0, elementRenderDelay: expect.any(Number) });
    expect(lcp.timeToFirstByte).toBe(by('TTFB').value);
    expect(sum(lcp)).toBeCloseTo(by('LCP').value as number, 0);
    expect(by('CLS').value).toBeGreaterThan(0.01);
    expect(by('CLS').attribution).toEqual({ target: 'section#promo' });
    // FCP has no split of its own beyond the TTFB event's
    expect(by('FCP')).not.toHaveProperty('attribution');
    const ttfb = by('TTFB').attribution as Record<string, number>;
    expect(ttfb).toEqual({ waitingDuration: expect.any(Number), requestDuration: expect.any(Number) });
    expect(ttfb.requestDuration).toBeGreaterThan(0);
    expect(sum(ttfb)).toBeLessThanOrEqual((by('TTFB').value as number) + 0.1);
    await page.close();
  });

  it('measures the five vitals as the web-vitals library does, on the same page', async () => {
    // web-vitals (a devDependency) reports to the ingest too: each value in a beacon of its own
    const url = w.site.page(
      '/same.html',
      `<!doctype html><title>same</title>
       <script src="/node_modules/web-vitals/dist/web-vitals.iife.js"></script>
       <script>
         for (const on of ['onLCP', 'onINP', 'onCLS', 'onFCP', 'onTTFB'])
           webVitals[on]((m) => navigator.sendBeacon('${w.ingest.endpoint}/web-vitals', JSON.stringify({ webVitals: { name: m.name, value: m.value, navigationType: m.navigationType } })));
       </script>
       ${tag('same')}
       <section id="promo" style="height:100px"><p>Sale</p></section>
       <h1 style="font-size:64px">A large heading that is the largest contentful paint</h1>
       <button id="buy">Buy</button>
       <script>
         document.getElementById('buy').addEventListener('click', () => { const end = performance.now() + 150; while (performance.now() < end); });
         setTimeout(() => { Object.assign(document.getElementById('promo').style, { position: 'relative', top: '150px' }); }, 200);
         setTimeout(() => { document.getElementById('promo').style.top = '40px'; }, 700);
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(1000);
    await page.click('#buy');
    await page.waitForTimeout(1300);
    await page.goto('about:blank');
    const names = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
    const theirs = await w.ingest.waitFor(() => {
      const v = w.ingest.posts().flatMap((r) => (r.json?.webVitals ? [r.json.webVitals as { name: string; value: number; navigationType: string }] : []));
      return names.every((n) => v.some((m) => m.name == n)) && v;
    });
    const ours = await w.ingest.waitFor(() => {
      const v = eventsOf('same').filter((e) => e.type == 'vital' && e.name != 'TBT');
      return names.every((n) => v.some((m) => m.name == n)) && v;
    });
    const table = names.map((name) => ({ name, ours: ours.filter((e) => e.name == name).map((e) => e.value), theirs: theirs.filter((m) => m.name == name).map((m) => m.value) }));
    console.table(table);
    for (const { name, ours: [o, ...more], theirs: [t, ...again] } of table) {
      // each reported once, as web-vitals reports it
      expect([more, again]).toEqual([[], []]);
      // ours are rounded to 4 significant digits; durations of interactions are multiples of 8 ms
      if (name == 'CLS') expect(Math.abs((o as number) - t)).toBeLessThanOrEqual(0.001);
      else expect(Math.abs((o as number) - t)).toBeLessThanOrEqual(name == 'INP' ? 8 : 1);
    }
    expect(new Set([...ours, ...theirs].map((m) => m.navigationType))).toEqual(new Set(['navigate']));
    expect(ours.find((e) => e.name == 'CLS')!.value).toBeGreaterThan(0.01);
    expect(ours.find((e) => e.name == 'INP')!.value).toBeGreaterThanOrEqual(140);
    await page.close();
  });

  it('reports vitals again after a back/forward-cache restore', async () => {
    // no-store pages are not kept in the back/forward cache
    const url = w.site.page('/bf.html', `<!doctype html>${tag('bfcache')}<h1>page</h1>`, { 'cache-control': 'max-age=0' });
    const other = w.site.page('/bf-other.html', '<!doctype html><h1>other</h1>');
    // playwright turns the back/forward cache off by default
    const own = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    const page = await own.newPage();
    await page.goto(url);
    await page.waitForTimeout(300);
    await page.goto(other);
    // a restored page fires pageshow, not load
    await page.goBack({ waitUntil: 'commit' });
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type)).toBe('navigate');
    await page.waitForTimeout(300);
    await page.goto('about:blank');
    const restored = await w.ingest.waitFor(() => {
      const v = eventsOf('bfcache').filter((e) => e.navigationType == 'back-forward-cache');
      return v.some((e) => e.name == 'FCP') && v;
    });
    expect(restored[0]).toMatchObject({ type: 'vital', page: '/bf.html' });
    // no navigation of their own to split: no attribution
    for (const e of restored) expect(e).not.toHaveProperty('attribution');
    await own.close();
  });

  it('names an interaction by data-telltale-name, on the element or an ancestor, and never sends its text', async () => {
    const url = w.site.page(
      '/named.html',
      `<!doctype html>${tag('named')}
       <section data-telltale-name="checkout-panel"><button id="pay"><span id="icon">Pay jane@example.com</span></button></section>
       <div class="card"><button class="primary" data-telltale-name="add-to-cart">Add 4111 1111 1111 1111</button></div>
       <div role="button" tabindex="0" id="custom">Custom</div>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.click('[data-telltale-name="add-to-cart"]');
    await page.click('#icon');
    await page.focus('#custom');
    await page.keyboard.press('Enter');
    await page.goto('about:blank');
    const got = await w.ingest.waitFor(() => {
      const i = eventsOf('named').filter((e) => e.type == 'interaction');
      return i.length >= 3 && i;
    });
    expect(got.map((e) => [e.action, e.target])).toEqual([
      ['click', 'add-to-cart'],
      ['click', 'checkout-panel'],
      ['key', 'div#custom'],
    ]);
    for (const b of bodiesOf('named')) {
      expect(b).not.toContain('jane');
      expect(b).not.toContain('4111');
      expect(b).not.toContain('Pay');
    }
    await page.close();
  });

  it('flags rage clicks: three on one target within a second', async () => {
    const url = w.site.page('/rage.html', `<!doctype html>${tag('rage')}<button id="r">r</button>`);
    const page = await w.browser.context.newPage();
    await page.goto(url);
    for (let i = 0; i < 4; i++) await page.click('#r');
    await page.goto('about:blank');
    const got = await w.ingest.waitFor(() => {
      const i = eventsOf('rage').filter((e) => e.type == 'interaction');
      return i.length >= 4 && i;
    });
    expect(got.map((e) => e.rage ?? false)).toEqual([false, false, true, true]);
    await page.close();
  });

  it('sends a route event for pushState, popstate and a hash route, each with the scrubbed page', async () => {
    const url = w.site.page('/app/home', `<!doctype html>${tag('routes')}`);
    const page = await w.browser.context.newPage();
    await page.goto(url + '?email=jane@example.com');
    await page.evaluate(() => history.pushState({}, '', '/app/users/88012345/settings?token=abc#x'));
    await page.evaluate(() => history.pushState({}, '', '/app/#/cart'));
    await page.goBack();
    await page.waitForFunction(() => location.pathname == '/app/users/88012345/settings');
    await page.evaluate(() => history.replaceState({}, '', '/app/home?q=same-path'));
    await page.goto('about:blank');
    const got = await w.ingest.waitFor(() => {
      const r = eventsOf('routes').filter((e) => e.type == 'route');
      return r.length >= 4 && r;
    });
    expect(got.map((e) => [e.from, e.to, e.page])).toEqual([
      ['/app/home', '/app/users/[number]/settings', '/app/users/[number]/settings'],
      ['/app/users/[number]/settings', '/app/#/cart', '/app/'],
      ['/app/#/cart', '/app/users/[number]/settings', '/app/users/[number]/settings'],
      ['/app/users/[number]/settings', '/app/home', '/app/home'],
    ]);
    for (const b of bodiesOf('routes')) expect(b).not.toMatch(/jane|token|88012345|same-path/);
    await page.close();
  });

  it('sends uncaught errors and rejections, counts repeats instead of re-sending them', async () => {
    const url = w.site.page(
      '/errors.html',
      `<!doctype html>${tag('errors')}
       <script>
         function boom() { throw new TypeError('cart is undefined for jane@example.com'); }
         for (let i = 0; i < 5; i++) setTimeout(boom, 10);
         setTimeout(() => Promise.reject(new Error('payment failed')), 50);
         setTimeout(() => Promise.reject('plain string reason'), 60);
       </script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(300);
    await page.goto('about:blank');
    const got = await w.ingest.waitFor(() => {
      const e = eventsOf('errors').filter((e) => e.type == 'error');
      return e.length >= 4 && e;
    });
    const first = got.find((e) => e.name == 'TypeError' && !e.repeats)!;
    expect(first).toMatchObject({ source: 'error', message: 'cart is undefined for [email]', file: expect.stringContaining('/errors.html'), line: expect.any(Number) });
    expect(first.stack).toContain('boom');
    expect(got.find((e) => e.name == 'TypeError' && e.repeats)).toMatchObject({ repeats: 4 });
    expect(got.filter((e) => e.name == 'TypeError')).toHaveLength(2);
    expect(got.find((e) => e.message == 'payment failed')).toMatchObject({ source: 'unhandledrejection', name: 'Error' });
    expect(got.find((e) => e.message == 'plain string reason')).toMatchObject({ source: 'unhandledrejection' });
    await page.close();
  });

  it('sends a long-task summary (count and total blocking time) when the page hides', async () => {
    const url = w.site.page(
      '/long.html',
      `<!doctype html>${tag('long')}
       <script>setTimeout(() => { const end = performance.now() + 300; while (performance.now() < end); }, 50);</script>`,
    );
    const page = await w.browser.context.newPage();
    await page.goto(url);
    await page.waitForTimeout(600);
    await page.goto('about:blank');
    const tbt = await w.ingest.waitFor(() => eventsOf('long').find((e) => e.name == 'TBT'));
    expect(tbt).toMatchObject({ type: 'vital', count: expect.any(Number), rating: 'needs-improvement' });
    expect(tbt.value).toBeGreaterThanOrEqual(200);
    await page.close();
  });
});
