// Pages of the delivery tests: the script tag with options as data-* attributes, and what arrived.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { launch, startIngest, startSite, type Browser, type Ingest, type Site } from './harness';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Delivery is under test here, not the collectors: their events would ride in the same batches.
const NO_COLLECTORS = { vitals: false, interactions: false, routes: false, errors: false, longTasks: false };

/** The helpers over the test file's current browser, site and ingest. */
export const deliveryPages = (env: () => { browser: Browser; site: Site; ingest: Ingest }) => {
  /** A page of the site with the script tag; `attrs` are extra options as data-* attributes; `queued` commands run after init. */
  const tagPage = (path: string, attrs = '', headers?: Record<string, string>, queued: unknown[][] = []) => {
    const { site, ingest } = env();
    const options: Record<string, unknown> = { endpoint: ingest.endpoint, app: 'durable', collect: NO_COLLECTORS };
    for (const [, key, value] of attrs.matchAll(/data-([\w-]+)="([^"]*)"/g))
      options[key.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = value != '' && !isNaN(+value) ? +value : value;
    const queue = JSON.stringify([['init', options], ...queued]);
    return site.page(path, `<!doctype html><script>window.telltaleq = ${queue}</script><script src="/dist/telltale.min.js"></script>`, headers);
  };

  const open = async (url: string): Promise<Page> => {
    const page = await env().browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror', e));
    await page.goto(url);
    await page.waitForFunction(() => (window as any).Telltale?.client);
    return page;
  };

  const track = (page: Page, from: number, to: number) =>
    page.evaluate(
      ([a, b]) => {
        for (let i = a; i < b; i++) (window as any).Telltale.client.track('e', { i });
      },
      [from, to],
    );

  const stats = (page: Page) => page.evaluate(() => (window as any).Telltale.client.stats());
  /** Which buffer the page uses, once it is known (flush waits for the store). */
  const bufferOf = (page: Page) =>
    page.evaluate(() => (window as any).Telltale.client.flush().then(() => (window as any).Telltale.client.stats().buffer));

  /** Every `i` delivered (answered 200), and how many copies were delivered beyond the first. */
  const received = () => {
    const byI = new Map<number, Set<string>>();
    let copies = 0;
    for (const e of env().ingest.posts().flatMap((p) => (p.status == 200 && p.json?.events) || []))
      if (e.name == 'e') {
        const i = (e.data as { i: number }).i;
        if (!byI.has(i)) byI.set(i, new Set());
        else copies++;
        byI.get(i)!.add(e.id);
      }
    return { byI, duplicates: copies };
  };

  return { tagPage, open, track, stats, bufferOf, received };
};

/**
 * The test file's site and ingest (for all its tests) and a fresh Chromium profile per test (an empty
 * IndexedDB), with the helpers over them.
 */
export const useDeliveryEnv = () => {
  const env = {} as { browser: Browser; site: Site; ingest: Ingest };
  beforeAll(async () => {
    [env.site, env.ingest] = await Promise.all([startSite(), startIngest()]);
  });
  afterAll(async () => {
    await Promise.all([env.site?.close(), env.ingest?.close()]);
  });
  beforeEach(async () => {
    env.browser = await launch();
    env.ingest.requests.length = 0;
    env.ingest.reply = () => ({ status: 200 });
    return () => env.browser.close();
  });
  return { env, ...deliveryPages(() => env) };
};
