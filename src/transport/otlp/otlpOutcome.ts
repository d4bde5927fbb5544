import type { Outcome } from '../retry';

/**
 * What an OTLP/HTTP response means for the batch (OTLP specification, SPEC §4b): retry 429, 502,
 * 503, 504 and network failures (a Retry-After, or any 429, pauses the endpoint as in §4);
 * every other status drops the batch.
 */
export const otlpOutcomeOf = (status: number, retryAfter: number | undefined): Outcome =>
  status >= 200 && status < 300
    ? 'ok'
    : status == 429 || ([502, 503, 504].includes(status) && retryAfter !== undefined)
      ? 'rate-limited'
      : status == 0 || status == 502 || status == 503 || status == 504
        ? 'retry'
        : 'rejected';

/**
 * Records a 200 refused in part (`partialSuccess.rejectedLogRecords` / `rejectedDataPoints`),
 * at most the batch's events; 0 for anything else, an unreadable body included.
 */
export const partiallyRejected = (body: string | undefined, events: number): number => {
  try {
    const partial = body ? JSON.parse(body).partialSuccess : undefined;
    return Math.min(events, +(partial?.rejectedLogRecords ?? partial?.rejectedDataPoints ?? 0) || 0);
  } catch {
    return 0;
  }
};
