import type { ClaimedBatch, ClaimRequest, StoredEvent } from '../internal';
import { formBatches, newBatch } from './formBatches';
import type { Drops, StoredBatch } from './storedBatch';
import type { Tx } from './tx';

/** A waiting group read for a claim: its key, and its events. */
interface WaitingGroup {
  key: number;
  events: StoredEvent[];
}

/** The oldest waiting groups, until they hold more than `wanted` events (one more tells whether the last batch is full). */
const readWaiting = async (tx: Tx, wanted: number): Promise<WaitingGroup[]> => {
  const groups: WaitingGroup[] = [];
  let count = 0;
  await tx.scan<StoredEvent[]>('waiting', (events, key) => {
    groups.push({ key, events });
    count += events.length;
    return count <= wanted;
  });
  return groups;
};

/** Removes the first `taken` events from the waiting groups read. */
const takeWaiting = (tx: Tx, groups: WaitingGroup[], taken: number) => {
  for (const group of groups) {
    if (taken <= 0) return;
    if (taken >= group.events.length) tx.del('waiting', group.key);
    else tx.put('waiting', group.events.slice(taken), group.key);
    taken -= group.events.length;
  }
};

/**
 * Hands out batches in one transaction: retries due by `request.due` first (rows on the wire from
 * this store are not even read: a batch row holds all its events), then new batches formed
 * (by `formBatches`) from the oldest waiting events. A new batch that is not full is handed out only
 * when `request.partial`. The first new batch carries the drops not yet reported, on every attempt.
 * @param onWireHere whether the batch under a key is on the wire from this store
 * @param putOnWire stores a batch as on the wire from now, under its key
 * @param nextKey the key of a new batch (batches are kept in the order they were made)
 */
export const claimInto = async (
  tx: Tx,
  request: ClaimRequest,
  unreported: Drops,
  onWireHere: (key: number) => boolean,
  putOnWire: (batch: StoredBatch, key: number) => void,
  nextKey: () => number,
): Promise<ClaimedBatch[]> => {
  const claimed: ClaimedBatch[] = [];
  let eventsLeft = request.maxEvents;
  const room = () => claimed.length < request.maxBatches && eventsLeft > 0;
  for (const key of await tx.keys('batches')) {
    if (!room()) break;
    if (onWireHere(key)) continue;
    const batch = await tx.get<StoredBatch>('batches', key);
    if (!batch || batch.retryAt > request.due) continue;
    putOnWire(batch, key);
    claimed.push({ ...batch });
    eventsLeft -= batch.events.length;
  }
  if (!room()) return claimed;
  const wanted = Math.min(eventsLeft, (request.maxBatches - claimed.length) * request.batchSize);
  const groups = await readWaiting(tx, wanted);
  const formed = formBatches(
    groups.flatMap((group) => group.events),
    request,
  );
  let taken = 0;
  for (let index = 0; index < formed.length && room(); index++) {
    let events = formed[index];
    // the last batch read may have more events to come, unless it is full
    let full = index < formed.length - 1 || events.length >= request.batchSize;
    if (events.length > eventsLeft) {
      events = events.slice(0, eventsLeft);
      full = true;
    }
    if (!full && !request.partial) break;
    const batch: StoredBatch = { ...newBatch(events), firstEventAt: events[0].t, bytes: 0, retryAt: 0 };
    for (const event of events) batch.bytes += event.bytes;
    if (Object.keys(unreported).length) {
      batch.dropped = { ...unreported };
      for (const reason in unreported) delete unreported[reason as keyof Drops];
    }
    putOnWire(batch, nextKey());
    claimed.push({ ...batch });
    eventsLeft -= events.length;
    taken += events.length;
  }
  takeWaiting(tx, groups, taken);
  return claimed;
};
