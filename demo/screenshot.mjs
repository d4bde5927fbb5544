// `npm run demo:screenshot`: drives the demo in headless Chromium through a
// typical session and saves the panel as docs/panel.png for the README.
// Re-run it when a new capability shows up on the panel.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { recompress } from './png.mjs';
import { startDemo } from './server.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, 'docs/panel.png');
const profile = mkdtempSync(join(tmpdir(), 'telltale-shot-'));
const demo = await startDemo({ port: 0, quiet: true, dataDir: join(profile, 'data') });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = await context.newPage();
  const click = (name) => page.click(`[data-telltale-name="${name}"]`);
  const run = async () => {
    await click('model-run');
    await page.waitForSelector('[data-telltale-name="model-run"]:not([disabled])', { timeout: 60_000 });
  };
  await page.goto(demo.url + '/');
  await page.waitForSelector('[data-telltale-name="model-run"][data-ready]', { timeout: 30_000 });
  await run();
  await run();
  await click('model-drift');
  await run();
  await run();
  await click('model-slow');
  await run();
  await click('model-slow');
  await page.click('[data-mode="400"]');
  await click('track-custom');
  await click('flush');
  await page.waitForTimeout(500);
  await page.click('[data-mode="503"]');
  await click('track-custom');
  await click('flush');
  await page.waitForTimeout(1500);
  await page.click('[data-mode="normal"]');
  await click('flush');
  await page.waitForTimeout(1000);
  // page events last, so the stream shows each kind
  await click('route-change');
  await click('track-custom');
  await click('rage-click');
  await page.waitForTimeout(500);
  await click('throw-error');
  await click('reject-promise');
  await page.waitForTimeout(1500);
  // a tab switch and back: web-vitals reports CLS and INP when the page hides
  // (headless Chromium never hides a page by itself)
  await page.evaluate(() => {
    const set = (v) => {
      Object.defineProperty(document, 'visibilityState', { value: v, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    set('hidden');
    set('visible');
  });
  await page.waitForTimeout(3000);
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(OUT, recompress(await page.screenshot({ fullPage: true })));
  console.log(`saved ${OUT} (${Math.round(statSync(OUT).size / 1024)} KB)`);
} finally {
  await context.close();
  await demo.close();
  rmSync(profile, { recursive: true, force: true });
}
