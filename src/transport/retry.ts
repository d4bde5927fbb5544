export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;
/** A 429 whose Retry-After cannot be read (absent, or not exposed cross-origin) waits this long. */
export const DEFAULT_RATE_LIMIT_MS = 60_000;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export const backoffDelay = (attempt: number, random: () => number = Math.random): number =>
  random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when unreadable. */
export const parseRetryAfter = (value: string | null | undefined, now: number): number | undefined => {
  const v = value?.trim() || '';
  const ms = /^\d+$/.test(v) ? +v * 1000 : /[a-z]/i.test(v) ? Date.parse(v) - now : NaN;
  return isNaN(ms) ? undefined : Math.max(0, ms);
};

export type Outcome = 'ok' | 'rate-limited' | 'retry' | 'rejected';

/** What a response status means for the batch (SPEC §4). */
export const outcomeOf = (status: number, retryAfter: number | undefined): Outcome =>
  status >= 200 && status < 300
    ? 'ok'
    : status == 429 || (status == 503 && retryAfter !== undefined)
      ? 'rate-limited'
      : status == 0 || status == 408 || status >= 500
        ? 'retry'
        : 'rejected';
