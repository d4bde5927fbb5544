import { inBrowser } from '../lib/env';

// The script-tag build is its own worker: a blob worker imports the very script that runs
// the page (the script sees it runs in a worker and serves the store), so nothing ships twice.
// Captured now: document.currentScript is only set while the script first runs.
const src = inBrowser() && (document.currentScript as HTMLScriptElement | null)?.src;

/** Source of a blob worker that serves the store, if this build can make one. */
export const workerScript = (): string | undefined => (src ? `importScripts(${JSON.stringify(src)})` : undefined);
