// The privacy gate in real Chromium: what never leaves the page, and what is never stored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launch, ROOT } from './harness';
import { useWorld } from './world';

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/personalData.json'), 'utf8')) as {
  kinds: { kind: string; text: string; leak: string[] }[];
  secrets: { key: string; value: string }[];
};

const w = useWorld();

const tag = (app: string, more = '') =>
  `<script src="/dist/telltale.min.js" data-endpoint="${w.ingest.endpoint}" data-app="${app}" data-flush-interval-ms="60000" ${more}></script>`;
const bodiesOf = (app: string) => w.ingest.posts().filter((r) => r.body.includes(`"name":"${app}"`)).map((r) => r.body);
const client = (page: Page, call: string) => page.evaluate(`(async (c) => ${call})(window.Telltale.client)`);
/** A page in a fresh profile, so no earlier test's storage (e.g. the IndexedDB buffer) is seen. */
const freshPage = async () => {
  const own = await launch();
  const page = await own.context.newPage();
  page.on('close', () => void own.close());
  return page;
};
/** Everything the page keeps: IndexedDB databases, sessionStorage and localStorage keys. */
const storage = (page: Page) =>
  page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));

describe('privacy in Chromium', () => {
  it('a form where the user types an e-mail and a password: neither string is sent', async () => {
    const url = w.site.page(
      '/signup.html',
      `<!doctype html>${tag('form', 'data-capture-text')}
       <form id="signup" onsubmit="event.preventDefault()">
         <label>E-mail <input id="email" name="email" type="email"></label>
         <label>Password <input id="pw" name="password" type="password"></label>
         <textarea id="note">prefilled secret note</textarea>
         <button type="submit" id="go">Sign up</button>
       </form>`,
    );
    const page = await freshPage();
    await page.goto(url);
    await page.click('#email');
    await page.keyboard.type('jane.doe@example.com');
    await page.click('#pw');
    await page.keyboard.type('Hunter2-Secret!');
    await page.click('#note');
    await page.keyboard.press('Enter');
    await page.click('#go');
    await page.goto('about:blank');
    const events = await w.ingest.waitFor(() => {
      const e = w.ingest.posts().filter((r) => r.body.includes('"name":"form"')).flatMap((r) => r.json!.events);
      return e.some((x) => x.action == 'submit') && e;
    });
    expect(events.filter((e) => e.type == 'interaction').map((e) => [e.action, e.target])).toEqual([
      ['click', 'input#email'],
      ['click', 'input#pw'],
      ['click', 'textarea#note'],
      ['click', 'button#go'],
      ['submit', 'form#signup'],
    ]);
    // captureText is on: a button's text is sent, never a field's
    expect(events.find((e) => e.target == 'button#go')!.text).toBe('Sign up');
    for (const b of bodiesOf('form')) {
      for (const s of ['jane.doe', 'example.com', 'Hunter2', 'Secret', 'secret note']) expect(b).not.toContain(s);
    }
    await page.close();
  });

  for (const [what, init] of [
    ['navigator.doNotTrack = "1"', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1', configurable: true })],
    ['navigator.globalPrivacyControl = true', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true })],
  ] as const)
    it(`with ${what}: no request, no storage, no IndexedDB database`, async () => {
      const app = what.includes('doNotTrack') ? 'dnt' : 'gpc';
      const url = w.site.page(`/${app}.html`, `<!doctype html>${tag(app)}<button id="b">b</button><script>setTimeout(() => { throw new Error('x') })</script>`);
      const page = await freshPage();
      await page.addInitScript(init);
      await page.goto(url);
      await page.waitForFunction(() => (window as any).Telltale?.client);
      await page.click('#b');
      await page.evaluate(() => history.pushState({}, '', '/elsewhere'));
      await client(page, `(c.track('t', { a: 1 }), c.setUser('u1'), await c.flush())`);
      expect(await client(page, 'c.stats()')).toMatchObject({ disabled: app, buffered: 0, sent: 0, buffer: 'none' });
      expect(await storage(page)).toEqual({ databases: [], session: [], local: [] });
      await page.goto('about:blank');
      await new Promise((r) => setTimeout(r, 300));
      expect(w.ingest.requests.filter((r) => r.body.includes(`"name":"${app}"`) || r.path.includes(app))).toEqual([]);
      await page.close();
    });

  it('requireConsent: nothing is stored or sent until setConsent("granted"), then the held events go', async () => {
    const url = w.site.page('/consent.html', `<!doctype html>${tag('consent', 'data-require-consent')}<button id="b">b</button>`);
    const page = await freshPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.click('#b');
    await client(page, `(c.track('before-consent'), await c.flush())`);
    await page.waitForTimeout(200);
    expect(await storage(page)).toEqual({ databases: [], session: [], local: [] });
    expect(bodiesOf('consent')).toEqual([]);
    await client(page, `(c.setConsent('granted'), c.track('after-consent'), await c.flush())`);
    const names = await w.ingest.waitFor(() => {
      const e = w.ingest.posts().filter((r) => r.body.includes('"name":"consent"')).flatMap((r) => r.json!.events);
      return e.some((x) => x.name == 'after-consent') && e.map((x) => x.name ?? x.action);
    });
    expect(names).toEqual(expect.arrayContaining(['click', 'before-consent', 'after-consent']));
    expect((await storage(page)).session).toContain('telltale.session');
    await page.close();
  });

  it('setConsent("denied") discards what was held, stops, and nothing is ever stored or sent', async () => {
    const url = w.site.page('/denied.html', `<!doctype html>${tag('denied', 'data-require-consent')}<button id="b">b</button>`);
    const page = await freshPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.click('#b');
    await client(page, `(c.track('held'), c.track('held'))`);
    await client(page, `(c.setConsent('denied'), c.track('after'), await c.flush())`);
    await page.click('#b');
    const stats = (await client(page, 'c.stats()')) as { removed: { consent: number }; disabled: string };
    expect(stats.disabled).toBe('consent');
    expect(stats.removed.consent).toBeGreaterThanOrEqual(3);
    // after the purge of what earlier pages stored has had time to run: it opened no database
    await page.waitForTimeout(1_000);
    expect(await storage(page)).toEqual({ databases: [], session: [], local: [] });
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 300));
    expect(bodiesOf('denied')).toEqual([]);
    await page.close();
  });

  it('setConsent("denied") with events buffered: the session leaves sessionStorage, and nothing is sent, at exit included', async () => {
    const url = w.site.page('/withdrawn.html', `<!doctype html>${tag('withdrawn')}<button id="b">b</button>`);
    const page = await freshPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.click('#b');
    await client(page, `(c.track('buffered'), await new Promise((r) => setTimeout(r, 100)))`);
    expect((await storage(page)).session).toEqual(['telltale.session']);
    await client(page, `(c.track('same task'), c.setConsent('denied'), c.track('after'))`);
    expect((await storage(page)).session).toEqual([]);
    expect(await client(page, 'c.stats()')).toMatchObject({ disabled: 'consent', sent: 0 });
    await page.click('#b');
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 300));
    expect(bodiesOf('withdrawn')).toEqual([]);
    await page.close();
  });

  it('a page URL, error messages, rejection reasons and track() data full of personal data and secrets (every fixture kind) leak none of it', async () => {
    expect(fixture.kinds.length).toBeGreaterThanOrEqual(30);
    const url = w.site.page('/account/jane.doe@example.com/card/4111111111111111/3f2b8c1e-9a4d-4e7b-8c2f-1d6e5a9b0c7d', `<!doctype html>${tag('pii')}`);
    const page = await w.browser.context.newPage();
    await page.goto(url + '?name=Maximilian+Mustermann&phone=%2B15552149911&token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N#Wolfgang');
    await page.waitForFunction(() => (window as any).Telltale?.client);
    await page.evaluate(({ kinds, secrets }) => {
      const c = (window as any).Telltale.client;
      for (const k of kinds) {
        // one uncaught error per kind, its message holding the data
        setTimeout(() => {
          throw new Error(`failed for ${k.text}`);
        });
        c.track('profile', { [k.kind]: k.text, nested: { list: [k.text] } });
      }
      // secrets under their keys: in track data (top level and nested), and as a rejection's plain-object reason
      const named = Object.fromEntries(secrets.map((s) => [s.key, s.value]));
      c.track('login', { ...named, form: { fields: [named] } });
      void Promise.reject({ code: 'E_LOGIN', attempt: named });
    }, fixture);
    await page.waitForTimeout(200);
    await page.goto('about:blank');
    const events = await w.ingest.waitFor(() => {
      const e = w.ingest.posts().filter((r) => r.body.includes('"name":"pii"')).flatMap((r) => r.json!.events);
      return (
        e.filter((x) => x.type == 'error').length == fixture.kinds.length + 1 &&
        e.filter((x) => x.name == 'profile').length == fixture.kinds.length &&
        e.some((x) => x.name == 'login') &&
        e
      );
    }, 30_000);
    const bodies = bodiesOf('pii').join('\n');
    expect(bodies).toContain('"page":"/account/[email]/card/[hex]/[uuid]"');
    // the SDK's own random ids and clock readings may hold any 4 digits (a leak marker like "1120"): not page data
    const pageData = bodies.replace(/"(id|batch|session)":"[0-9a-f]+"|"(t|sentAt)":\d+/g, '');
    const leaks = fixture.kinds.flatMap((k) => k.leak.filter((l) => pageData.includes(l)).map((l) => `${k.kind}: ${l}`));
    expect(leaks).toEqual([]);
    expect(fixture.secrets.filter((s) => pageData.includes(s.value)).map((s) => s.key)).toEqual([]);
    for (const s of ['Maximilian', 'Mustermann', '5552149911', 'Wolfgang', 'eyJhbGci']) expect(bodies).not.toContain(s);
    // the rejection is reported, its secrets redacted, the rest of its reason kept
    const rejection = events.find((x) => x.source == 'unhandledrejection')!;
    expect(rejection.message).toContain('"code":"E_LOGIN"');
    expect(rejection.message).toContain('"password":"[redacted]"');
    expect(events.find((x) => x.name == 'login')!.data).toMatchObject({ password: '[redacted]', apiKey: '[redacted]' });
    await page.close();
  });
});
