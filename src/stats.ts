import type { BufferCounts } from './internal';
import type { Delivery } from './transport/sender';
import type { DisabledReason, ModelStats, RemovedCounts, Stats } from './types';

/** The counters behind `stats()`, raised in place by the pipeline, the privacy gate and the sender. */
export interface Counters {
  delivery: Delivery;
  removed: RemovedCounts;
  /** Events whose data had to be cleaned. */
  cleaned: number;
  /** Errors caught inside the SDK. */
  internalErrors: number;
}

export const createCounters = (): Counters => ({
  delivery: {
    sent: 0,
    rejected: 0,
    rateLimitedUntil: 0,
    dropped: { age: 0, size: 0, count: 0, rejected: 0, rate: 0, invalid: 0 },
  },
  removed: { sampled: 0, consent: 0, beforeSend: 0, maxErrors: 0 },
  cleaned: 0,
  internalErrors: 0,
});

/** Which buffer holds events, and what became of its IndexedDB connection. */
export type BufferState = Pick<Stats, 'buffer' | 'bufferReopened' | 'bufferLost'>;

/** No buffer opened yet (consent pending), or none ever (SSR, DNT). */
export const NO_BUFFER: BufferState = { buffer: 'none', bufferReopened: 0 };

/**
 * What `stats()` returns: a copy, so a snapshot a site keeps does not change under it.
 * @param buffered the sender's counts; none before the buffer opens
 * @param models the model monitor's counts (models over the cap, fleet baselines)
 */
export const snapshotStats = (
  counters: Counters,
  buffered: BufferCounts | undefined,
  buffer: BufferState,
  disabled: DisabledReason | undefined,
  models: ModelStats,
): Stats => ({
  buffered: 0,
  inFlight: 0,
  retrying: 0,
  ...buffered,
  ...counters.delivery,
  dropped: { ...counters.delivery.dropped },
  cleaned: counters.cleaned,
  internalErrors: counters.internalErrors,
  removed: { ...counters.removed },
  ...buffer,
  models,
  disabled,
});
