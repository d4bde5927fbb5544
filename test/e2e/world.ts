// What each browser test file runs against: a fresh Chromium profile, the static site and the
// recording ingest, started before the file's tests and closed after them.
import { afterAll, beforeAll } from 'vitest';
import { launch, startIngest, startSite, type Browser, type Ingest, type Site } from './harness';

export interface World {
  browser: Browser;
  site: Site;
  ingest: Ingest;
}

export const useWorld = (): World => {
  const w = {} as World;
  beforeAll(async () => {
    [w.browser, w.site, w.ingest] = await Promise.all([launch(), startSite(), startIngest()]);
  });
  afterAll(async () => {
    await Promise.all([w.browser?.close(), w.site?.close(), w.ingest?.close()]);
  });
  return w;
};
