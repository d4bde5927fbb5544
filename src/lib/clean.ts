import { attempt } from './attempt';
import { utf8Length } from './utf8';

/** A property (its getter may throw). */
const read = (o: object, key: string | number): unknown => (o as Record<string | number, unknown>)[key];

// Turns whatever a page hands us into plain JSON data of bounded size, without
// ever throwing: cycles are cut, getters that throw are skipped, long strings
// are truncated (budgeted in UTF-8 bytes), values JSON cannot carry are converted or removed.

/** Longest string kept in event data, in characters. */
export const MAX_STRING = 1000;
const MAX_DEPTH = 6;
const MAX_KEYS = 50;

export interface Cleaned {
  value: unknown;
  /** True when anything had to be changed or removed. */
  changed: boolean;
}

/** What `clean` does to the data it keeps (the privacy scrubber). */
export interface Scrubber {
  /** Transforms every string kept, keys included. */
  text(s: string): string;
  /** What replaces the value under `key` (never read), or undefined to keep the value. */
  redact(key: string): string | undefined;
}

const KEEP_ALL: Scrubber = { text: (s) => s, redact: () => undefined };

/**
 * @param budget rough size in UTF-8 bytes the result may take; what does not fit is left out.
 *   `Infinity` also lifts the caps on string length, keys and depth (the SDK's own events).
 */
export const clean = (input: unknown, budget: number, { text, redact }: Scrubber = KEEP_ALL): Cleaned => {
  let changed = false;
  let left = budget;
  const [maxString, maxKeys, maxDepth] = budget < Infinity ? [MAX_STRING, MAX_KEYS, MAX_DEPTH] : [budget, budget, budget];
  const path: object[] = [];
  /** Marks the result changed; returns `v`. */
  const cut = <T>(v: T): T => ((changed = true), v);

  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v == 'string') {
      let s = v.length > maxString ? cut(v.slice(0, maxString) + '…') : v;
      let bytes = utf8Length(s);
      // over budget: keep the share of characters that fits
      if (bytes > left) bytes = utf8Length((s = cut(s.slice(0, Math.max(0, Math.floor((left * s.length) / bytes) - 1)) + '…')));
      left -= bytes + 3;
      return text(s);
    }
    // a number, boolean or null takes a few bytes; an object's own are counted as it is walked
    left -= 8;
    if (v == null || typeof v == 'boolean') return v;
    if (typeof v == 'number') return isFinite(v) ? v : cut(null);
    if (typeof v == 'bigint') return String(v);
    // symbols and functions have no JSON form
    if (typeof v != 'object' || depth >= maxDepth || path.includes(v) || left <= 0) return cut(undefined);
    // an invalid date is null
    if (v instanceof Date) return walk(v.toJSON(), depth);
    if (v instanceof Error) return walk({ name: v.name, message: v.message }, depth);
    // (no `finally` to pop it: what throws here ends the whole walk)
    path.push(v);
    const list = Array.isArray(v);
    const out: Record<string | number, unknown> = list ? ([] as unknown as Record<number, unknown>) : {};
    let n = 0;
    for (const key of list ? v.keys() : Object.keys(v)) {
      if (n++ >= maxKeys || left <= 0) {
        changed = true;
        break;
      }
      left -= String(key).length + 4;
      // a getter that throws: the key is left out
      // a secret's value is never read
      const redacted = list ? undefined : redact(key as string);
      const item = redacted ?? walk(attempt(cut, read, v, key), depth + 1);
      // an array keeps its length (null for what JSON cannot carry); an object drops the key
      if (list || item !== undefined) out[list ? key : text((key as string).slice(0, 100))] = item ?? null;
    }
    path.pop();
    return out;
  };

  // a Proxy whose traps throw: nothing of it is kept (walk first: it sets `changed`)
  return { value: attempt(cut, walk, input, 0), changed };
};
