import { listen } from '../lib/listen';
import { show } from '../options';
import type { Collector } from '../types';

const MAX_MESSAGE = 1000;
const MAX_STACK = 4000;
// distinct errors remembered for counting repeats
const MAX_KEYS = 100;

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
        message: (e ? e.message : !rejected ? ev.message : typeof err == 'string' ? err : show(err)).slice(0, MAX_MESSAGE),
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
