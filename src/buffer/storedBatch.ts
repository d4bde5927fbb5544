import type { DropCounts, DropReason } from '../types';
import type { ClaimedBatch } from '../internal';

/** A claimed batch as stored: kept whole, so a retry sends the same events under the same id. */
export interface StoredBatch extends ClaimedBatch {
  /** When its first event was tracked (epoch ms), for the age cap. */
  firstEventAt: number;
  bytes: number;
  /** Not handed out again before this time (epoch ms). */
  retryAt: number;
  /** When a tab put it on the wire (epoch ms); cleared when it comes back for a retry. */
  sentAt?: number;
}

/** Events, bytes and the key of the last batch made: shared by every tab through `meta`. */
export interface Totals {
  events: number;
  bytes: number;
  lastBatchKey: number;
}

export type Drops = Partial<DropCounts>;

/** Adds `count` drops for `reason`. */
export const addDrops = (drops: Drops, reason: DropReason, count: number): void => {
  drops[reason] = (drops[reason] || 0) + count;
};

/** Adds every count of `from` to `drops`. */
export const mergeDrops = (drops: Drops, from: Drops = {}): void => {
  for (const reason in from) addDrops(drops, reason as DropReason, from[reason as DropReason]!);
};
