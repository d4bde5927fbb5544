import { noop } from './lib/attempt';
import { noModelStats } from './model/models';
import { createCounters, NO_BUFFER, snapshotStats } from './stats';
import type { Client, DisabledReason } from './types';

/**
 * The client of an SDK that does nothing (server-side rendering, Do-Not-Track, Global Privacy
 * Control): every call is accepted and ignored, nothing is created, stored or sent, and
 * `stats().disabled` says why.
 */
export const createNoopClient = (reason: DisabledReason): Client => ({
  track: noop,
  setUser: noop,
  setConsent: noop,
  on: () => noop,
  stats: () => snapshotStats(createCounters(), undefined, NO_BUFFER, reason, noModelStats()),
  flush: async () => {},
  shutdown: async () => {},
  wrapInference: (fn) => fn,
  recordInference: noop,
  setBaseline: noop,
});
