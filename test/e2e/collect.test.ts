// The collectors in real Chromium, through the script tag: what a site gets by default (the web vitals: vitals.test.ts).
import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const w = useWorld();

const tag = (app: string) =>
  `<script src="/dist/telltale.min.js" data-endpoint="${w.ingest.endpoint}" data-app="${app}" data-flush-interval-ms="60000"></script>`;
const eventsOf = (app: string) =>
  w.ingest.posts().filter((r) => r.json?.app && (r.json.app as { name: string }).name == app).flatMap((r) => r.json!.events);
const bodiesOf = (app: string) => w.ingest.posts().filter((r) => r.body.includes(`"name":"${app}"`)).map((r) => r.body);

describe('collectors in Chromium', () => {
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
