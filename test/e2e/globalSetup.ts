import { existsSync } from 'node:fs';
import { CHROMIUM } from './harness';

// The browser tests are the proof of most of what telltale promises: never skip them silently.
export default function setup(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with "apt-get install -y chromium" (or set CHROMIUM_PATH); the browser tests cannot be skipped.`,
    );
  if (!existsSync('dist/telltale.min.js') || !existsSync('dist/telltale.mjs'))
    throw new Error('dist/ is missing: run "npm run build" first (npm test does).');
}
