import { setDebug, warn } from './lib/debug';
import type { Options } from './types';

// Kinds of option without a default, each named as the error message says what it allows.
const HTTP = 'an http(s) URL';
const NAME = 'a non-empty string';
const STR = 'a string';
export const STRS = 'an array of strings';
export const FN = 'a function';
const RATE: Rule = [1, 0, 1];

/**
 * How each option is checked, and its default. `true`/`false`: a boolean with that default;
 * `[default, min, max, whole?]`: a number range; `[default, ...others]` of strings: the values
 * allowed; a string: a kind above; an object: the rules of a nested option. The script tag
 * parses the `data-*` twins of simple options by the same table.
 */
export type Rule = boolean | string | [number, number, number, 1?] | string[] | { [key: string]: Rule };

export const RULES: Record<keyof Options, Rule> = {
  endpoint: HTTP,
  protocol: ['telltale', 'otlp'],
  app: NAME,
  release: STR,
  env: STR,
  sampleRate: RATE,
  respectDoNotTrack: true,
  debug: false,
  batchSize: [50, 1, 500, 1],
  flushIntervalMs: [5_000, 0, 600_000, 1],
  maxBufferEvents: [5_000, 1, 1_000_000, 1],
  collect: { vitals: true, interactions: true, routes: true, errors: true, longTasks: true },
  sampling: { vitals: RATE, interactions: RATE, errors: RATE, inference: RATE },
  requireConsent: false,
  onConsent: FN,
  captureText: false,
  allowParams: STRS,
  userSalt: STR,
  beforeSend: FN,
  maxErrors: [100, 0, 100_000, 1],
  summaryIntervalMs: [60_000, 0, 864e5, 1],
  baselineSize: [200, 10, 100_000, 1],
  latencyBudgetMs: [100, 0, 600_000],
  alertErrorRate: [0.05, 0, 1],
  alertLatencyMs: [500, 0, 600_000],
  alertServedRate: [0.95, 0, 1],
  alertDrift: ['high', 'medium', 'off'],
  maxBufferBytes: [5e6, 1e5, 1e9, 1],
  maxAgeMs: [864e5, 6e4, 30 * 864e5, 1],
  maxEventsPerMinute: [6_000, 1, 1e6, 1],
  maxRequestsPerMinute: [120, 1, 1e4, 1],
  workerUrl: HTTP,
};

type Optional = 'release' | 'env' | 'onConsent' | 'userSalt' | 'beforeSend' | 'workerUrl';
/** Options with every default filled in. */
export type Config = Required<Omit<Options, Optional | 'collect' | 'sampling'>> &
  Pick<Options, Optional> & { collect: Required<NonNullable<Options['collect']>>; sampling: Required<NonNullable<Options['sampling']>> };

/** A value as a person reads it in an error message. */
export const show = (v: unknown): string => {
  try {
    return typeof v == 'string' || (typeof v == 'object' && v) ? JSON.stringify(v).slice(0, 80) : String(v);
  } catch {
    return typeof v;
  }
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v == 'object' && !!v && !Array.isArray(v);

const isHttpUrl = (v: string): boolean => {
  try {
    return /^https?:$/.test(new URL(v, globalThis.location?.href).protocol);
  } catch {
    return false;
  }
};

/** What the rule allows, as the message says it, when `v` is not that; else false. */
const wrong = (r: Rule, v: unknown): string | false =>
  typeof r == 'boolean'
    ? typeof v != 'boolean' && 'true or false'
    : !Array.isArray(r)
      ? typeof r == 'object'
        ? !isObject(v) && 'an object'
        : !(r == FN
            ? typeof v == 'function'
            : r == STRS
              ? Array.isArray(v) && v.every((s) => typeof s == 'string')
              : typeof v == 'string' && (r == HTTP ? isHttpUrl(v) : v.length <= 200 && (r == STR || !!v.trim()))) && r
      : typeof r[0] == 'string'
        ? !(r as unknown[]).includes(v) && 'one of ' + r.map(show).join(', ')
        : !(typeof v == 'number' && v >= +r[1] && v <= +r[2] && (!r[3] || Number.isInteger(v))) &&
          `${r[3] ? 'a whole' : 'a'} number from ${r[1]} to ${r[2]}`;

const fail = (message: string): never => {
  throw new TypeError('telltale: ' + message);
};

/**
 * Checks every option and fills in defaults.
 * @param label how an option is named in the message (the script tag names its attribute)
 * @throws TypeError naming the option, the value and what is allowed
 */
export const readOptions = (input: unknown, label: (key: string) => string = (k) => k): Config => {
  if (!isObject(input)) fail('options must be an object, got ' + show(input));
  const given = input as Record<string, unknown>;
  for (const key of ['endpoint', 'app']) if (given[key] === undefined) fail(label(key) + ' is required, got undefined');
  setDebug(given.debug === true);
  // `given` checked against `rules`, over their defaults
  const read = (rules: Record<string, Rule>, given: Record<string, unknown>, prefix: string) => {
    const out: Record<string, unknown> = {};
    for (const key in rules) {
      const r = rules[key];
      const v = given[key];
      const allowed = v !== undefined && wrong(r, v);
      if (allowed) fail(`${label(prefix + key)} must be ${allowed}, got ${show(v)}`);
      out[key] = isObject(r)
        ? read(r, (v || {}) as Record<string, unknown>, prefix + key + '.')
        : v ?? (typeof r == 'boolean' ? r : r == STRS ? [] : Array.isArray(r) ? r[0] : undefined);
    }
    for (const key in given) if (!(key in rules)) warn(`unknown option ${label(prefix + key)} ignored`);
    return out;
  };
  return read(RULES, given, '') as Config;
};
