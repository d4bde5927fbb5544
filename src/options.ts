import { setDebug, warn } from './lib/debug';
import type { Options } from './types';

// Kinds of option without a default, each named as the error message says what it allows.
const HTTP = 'an http(s) URL';
const NAME = 'a non-empty string';
const STR = 'a string';
export const STRS = 'an array of strings';
export const FN = 'a function';
const RATE: Rule = [1, 0, 1];
// Longest string option (names, salts), in characters.
const MAX_STRING_CHARS = 200;
// How much of a bad value an error message shows, in characters.
const MAX_SHOWN_CHARS = 80;
const DAY_MS = 86_400_000;

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
  batchSize: [500, 1, 500, 1],
  flushIntervalMs: [5_000, 0, 600_000, 1],
  maxBufferEvents: [5_000, 1, 1_000_000, 1],
  collect: { vitals: true, interactions: true, routes: true, errors: true, longTasks: true },
  vitalsReportAllChanges: false,
  sampling: { vitals: RATE, interactions: RATE, errors: RATE, inference: RATE },
  requireConsent: false,
  onConsent: FN,
  captureText: false,
  allowParams: STRS,
  userSalt: STR,
  beforeSend: FN,
  maxErrors: [100, 0, 100_000, 1],
  summaryIntervalMs: [60_000, 0, DAY_MS, 1],
  baselineSize: [200, 10, 100_000, 1],
  baselineUrl: HTTP,
  maxModels: [32, 1, 10_000, 1],
  latencyBudgetMs: [100, 0, 600_000],
  alertErrorRate: [0.05, 0, 1],
  alertLatencyMs: [500, 0, 600_000],
  alertServedRate: [0.95, 0, 1],
  alertDrift: ['high', 'medium', 'off'],
  maxBufferBytes: [5_000_000, 100_000, 1_000_000_000, 1],
  maxAgeMs: [DAY_MS, 60_000, 30 * DAY_MS, 1],
  maxEventsPerMinute: [6_000, 1, 1_000_000, 1],
  maxRequestsPerMinute: [120, 1, 10_000, 1],
  workerUrl: HTTP,
};

type Optional = 'release' | 'env' | 'onConsent' | 'userSalt' | 'beforeSend' | 'workerUrl' | 'baselineUrl';
/** Options with every default filled in. */
export type Config = Required<Omit<Options, Optional | 'collect' | 'sampling'>> &
  Pick<Options, Optional> & { collect: Required<NonNullable<Options['collect']>>; sampling: Required<NonNullable<Options['sampling']>> };

/** A value as a person reads it in an error message. */
export const show = (value: unknown): string => {
  try {
    const asJson = typeof value == 'string' || (typeof value == 'object' && value);
    return asJson ? JSON.stringify(value).slice(0, MAX_SHOWN_CHARS) : String(value);
  } catch {
    return typeof value;
  }
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && !!value && !Array.isArray(value);

/** An http(s) URL, absolute or relative to the page. */
const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value, globalThis.location?.href).protocol);
  } catch {
    return false;
  }
};

/** Whether `value` is what a kind of option without a default (HTTP, NAME, STR, STRS, FN) allows. */
const isOfKind = (kind: string, value: unknown): boolean => {
  if (kind == FN) return typeof value == 'function';
  if (kind == STRS) return Array.isArray(value) && value.every((item) => typeof item == 'string');
  if (typeof value != 'string') return false;
  if (kind == HTTP) return isHttpUrl(value);
  return value.length <= MAX_STRING_CHARS && (kind == STR || !!value.trim());
};

/** What the rule allows, as the message says it, when `value` is not that; else undefined. */
const violation = (rule: Rule, value: unknown): string | undefined => {
  if (typeof rule == 'boolean') return typeof value == 'boolean' ? undefined : 'true or false';
  if (typeof rule == 'string') return isOfKind(rule, value) ? undefined : rule;
  if (!Array.isArray(rule)) return isObject(value) ? undefined : 'an object';
  if (typeof rule[0] == 'string') return (rule as unknown[]).includes(value) ? undefined : 'one of ' + rule.map(show).join(', ');
  const [, min, max, whole] = rule as [number, number, number, 1?];
  const inRange = typeof value == 'number' && value >= min && value <= max && (!whole || Number.isInteger(value));
  return inRange ? undefined : `${whole ? 'a whole' : 'a'} number from ${min} to ${max}`;
};

/** The default of an option left out. */
const defaultOf = (rule: Rule): unknown => {
  if (typeof rule == 'boolean') return rule;
  if (rule == STRS) return [];
  return Array.isArray(rule) ? rule[0] : undefined;
};

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
      const rule = rules[key];
      const value = given[key];
      const allowed = value === undefined ? undefined : violation(rule, value);
      if (allowed) fail(`${label(prefix + key)} must be ${allowed}, got ${show(value)}`);
      if (isObject(rule)) out[key] = read(rule, (value || {}) as Record<string, unknown>, prefix + key + '.');
      else out[key] = value ?? defaultOf(rule);
    }
    for (const key in given) if (!(key in rules)) warn(`unknown option ${label(prefix + key)} ignored`);
    return out;
  };
  return read(RULES, given, '') as Config;
};
