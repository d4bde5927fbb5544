import type { DropReason } from '../types';
import type { StoredEvent, StoreLimits } from '../internal';
import { addDrops, mergeDrops, type Drops, type StoredBatch, type Totals } from './storedBatch';
import type { Tx } from './tx';

/** What a change drops for the caps: counts by reason (to report), and the events' ids (for the page). */
export interface CapDrops {
  /** This store's drops by reason, for `stats()`. */
  counted: Drops;
  /** Drops the backend has not been told of yet (shared, in `meta`). */
  unreported: Drops;
  ids: string[];
}

/**
 * Enforces the caps: over any, the oldest events not on the wire go first (batches hold the oldest
 * events, then the waiting groups). A batch on the wire is left to its answer, but counts.
 * @param onWire whether a stored batch is on the wire now
 * @param forget called with the key of each batch dropped
 */
export const enforceCaps = async (
  tx: Tx,
  limits: StoreLimits,
  totals: Totals,
  drops: CapDrops,
  onWire: (batch: StoredBatch) => boolean,
  forget: (batchId: string) => void,
): Promise<void> => {
  const oldestKept = Date.now() - limits.maxAgeMs;
  const overCap = (trackedAt: number): DropReason | undefined => {
    if (trackedAt < oldestKept) return 'age';
    if (totals.events > limits.maxEvents) return 'count';
    if (totals.bytes > limits.maxBytes) return 'size';
  };
  const drop = (reason: DropReason, events: StoredEvent[], bytes: number) => {
    totals.events -= events.length;
    totals.bytes -= bytes;
    addDrops(drops.counted, reason, events.length);
    addDrops(drops.unreported, reason, events.length);
    for (const event of events) drops.ids.push(event.id);
  };
  await tx.scan<StoredBatch>('batches', (batch, key) => {
    const reason = overCap(batch.firstEventAt);
    if (!reason) return false;
    if (onWire(batch)) return;
    forget(batch.id);
    // the drops it was to report go with the next batch instead
    mergeDrops(drops.unreported, batch.dropped);
    tx.del('batches', key);
    drop(reason, batch.events, batch.bytes);
  });
  await tx.scan<StoredEvent[]>('waiting', (group, key) => {
    let dropped = 0;
    while (dropped < group.length) {
      const reason = overCap(group[dropped].t);
      if (!reason) break;
      drop(reason, [group[dropped]], group[dropped].bytes);
      dropped++;
    }
    if (dropped == group.length) return tx.del('waiting', key);
    if (dropped) tx.put('waiting', group.slice(dropped), key);
    return false;
  });
};
