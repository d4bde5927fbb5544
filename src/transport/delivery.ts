import type { DropCounts } from '../types';

/** Delivery counters the sender updates, shared with `stats()`. */
export interface Delivery {
  sent: number;
  rejected: number;
  rateLimitedUntil: number;
  dropped: DropCounts;
}
