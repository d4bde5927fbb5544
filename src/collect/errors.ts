import { clean } from '../lib/clean';
import { listen } from '../lib/listen';
import { scrubber } from '../privacy/scrub';
import type { Collector } from '../types';

const MAX_MESSAGE = 1000;
const MAX_STACK = 4000;
// distinct errors remembered for counting repeats
const MAX_KEYS = 100;

/**
 * A rejection's reason as text. An object (`{ password, user }`) is cleaned like event data
 * first: secrets redacted, personal data replaced, cut to `MAX_MESSAGE` bytes, never thrown on.
 */
const describe = (reason: unknown): string =>
  typeof reason == 'string' ? reason : (JSON.stringify(clean(reason, MAX_MESSAGE, scrubber).value) ?? typeof reason);

/**
 * Uncaught errors and unhandled rejections as `error` events, `source` naming which. The same
 * error again is only counted; the count goes out as one event at the next flush.
 */
export const errors: Collector = (r) => {
  const seen = new Map<string, [fields: Record<string, unknown>, repeats: number]>();
  return {
    stop: listen<ErrorEvent & PromiseRejectionEvent>(r, window, 'error unhandledrejection', (ev) => {
      const rejected = ev.type != 'error';
      // resource load failures are plain Events, not script errors
      if (!rejected && !(ev instanceof ErrorEvent)) return;
      const err = rejected ? ev.reason : ev.error;
      const e = err instanceof Error ? err : undefined;
      const fields = {
        message: (e ? e.message : !rejected ? ev.message : describe(err)).slice(0, MAX_MESSAGE),
        source: ev.type,
        name: e?.name,
        // its query goes with the scrubbing of every event
        file: ev.filename,
        line: ev.lineno,
        col: ev.colno,
      };
      const key = JSON.stringify(fields);
      const known = seen.get(key);
      if (known) return void known[1]++;
      if (seen.size < MAX_KEYS) seen.set(key, [fields, 0]);
      r.record('error', { ...fields, stack: e?.stack && String(e.stack).slice(0, MAX_STACK) });
    }),
    flush: () => seen.forEach((s) => s[1] && (r.record('error', { ...s[0], repeats: s[1] }), (s[1] = 0))),
  };
};
