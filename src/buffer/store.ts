import type { ClaimedBatch, ClaimRequest, ClaimResult, EventStore, StoreCounts, StoredEvent, StoreLimits } from '../internal';
import { enforceCaps, type CapDrops } from './caps';
import { claimInto } from './claimBatches';
import { addDrops, mergeDrops, type Drops, type StoredBatch, type Totals } from './storedBatch';
import type { Run, Tx } from './tx';

/** A batch on the wire is left to its answer this long, whichever tab sent it (then the caps may drop it). */
const ON_WIRE_MS = 60_000;

/**
 * Events per waiting row at most: a row is read and written whole, so a claim or a cap that needs
 * its first events must not copy thousands (a burst appended at once).
 */
const MAX_EVENTS_PER_ROW = 100;

/** Keys of the `meta` table. */
const TOTALS = 'totals';
const UNREPORTED_DROPS = 'unreportedDrops';
const RATE_LIMITED_UNTIL = 'rateLimitedUntil';

/** A batch this store handed out and not yet acked: where it is stored, and what it holds (an ack need not read it). */
interface HandedOut {
  key: number;
  events: number;
  bytes: number;
  dropped?: Drops;
}

/** When the caps run in a change: after it, before it (a claim hands out nothing over the age cap), or not at all (it only lowers the totals). */
type CapsRun = 'after' | 'before' | 'none';

/**
 * The buffer logic, the same over memory and IndexedDB. The totals and the drops not yet reported
 * live in the store, so every tab and later page shares them; each method is one transaction.
 */
export const createStore = (run: Run, limits: StoreLimits): EventStore => {
  // batch id -> where it is and what it holds, for batches this store handed out and not yet acked
  const handed = new Map<string, HandedOut>();
  // batches this store has on the wire: the caps and the claims leave them to their answer
  const onWire = new Set<string>();
  // this store's cap drops, by reason (for stats())
  const counted: Drops = {};
  let buffered = 0;

  const isOnWire = (batch: StoredBatch) => onWire.has(batch.id) || Date.now() - (batch.sentAt || 0) < ON_WIRE_MS;

  /** Runs `fn` with the shared totals and drops, and the caps (see `CapsRun`); saves them after. */
  const change = <T>(fn: (tx: Tx, totals: Totals, unreported: Drops) => Promise<T> | T, caps: CapsRun = 'after') => {
    const ids: string[] = [];
    return run(async (tx) => {
      const [storedTotals, storedDrops] = await Promise.all([tx.get<Totals>('meta', TOTALS), tx.get<Drops>('meta', UNREPORTED_DROPS)]);
      const totals = storedTotals || { events: 0, bytes: 0, lastBatchKey: 0 };
      const drops: CapDrops = { counted, unreported: storedDrops || {}, ids };
      const forget = (batchId: string) => handed.delete(batchId);
      if (caps == 'before') await enforceCaps(tx, limits, totals, drops, isOnWire, forget);
      const result = await fn(tx, totals, drops.unreported);
      if (caps == 'after') await enforceCaps(tx, limits, totals, drops, isOnWire, forget);
      tx.put('meta', totals, TOTALS);
      tx.put('meta', drops.unreported, UNREPORTED_DROPS);
      buffered = totals.events;
      return result;
    }).then((result) => ({ result, counts: countsWith(ids) }));
  };
  const countsWith = (droppedIds: string[]): StoreCounts =>
    droppedIds.length ? { buffered, dropped: { ...counted }, droppedIds } : { buffered, dropped: { ...counted } };

  const putOnWire = (tx: Tx, batch: StoredBatch, key: number) => {
    batch.sentAt = Date.now();
    tx.put('batches', batch, key);
    handed.set(batch.id, { key, events: batch.events.length, bytes: batch.bytes, dropped: batch.dropped });
    onWire.add(batch.id);
  };

  const claim = (tx: Tx, totals: Totals, unreported: Drops, request: ClaimRequest) => {
    // the keys of the batches this store has on the wire, looked up once per claim, not per row
    const keysOnWire = new Set<number>();
    for (const batchId of onWire) {
      const key = handed.get(batchId)?.key;
      if (key !== undefined) keysOnWire.add(key);
    }
    return claimInto(
      tx,
      request,
      unreported,
      (key) => keysOnWire.has(key),
      (batch, key) => putOnWire(tx, batch, key),
      () => ++totals.lastBatchKey,
    );
  };

  /** A batch this store handed out, as stored now; undefined when the caps dropped it meanwhile. */
  const handedOut = async (tx: Tx, batchId: string): Promise<[StoredBatch, number] | undefined> => {
    // only now: changes queued before this one (a claim, an adopt) see the batch as it was
    const key = handed.get(batchId)?.key;
    onWire.delete(batchId);
    const batch = key === undefined ? undefined : await tx.get<StoredBatch>('batches', key);
    return batch?.id == batchId ? [batch, key!] : undefined;
  };

  return {
    append: (events, dropped) =>
      change((tx, totals, unreported) => {
        for (let start = 0; start < events.length; start += MAX_EVENTS_PER_ROW) tx.put('waiting', events.slice(start, start + MAX_EVENTS_PER_ROW));
        totals.events += events.length;
        for (const event of events) totals.bytes += event.bytes;
        mergeDrops(unreported, dropped);
      }).then(({ counts }) => counts),

    claimBatches: (request) =>
      change((tx, totals, unreported) => claim(tx, totals, unreported, request), 'before').then(({ result, counts }) => ({ batches: result, counts })),

    ackBatches: (answers, next) =>
      change(
        async (tx, totals, unreported) => {
          for (const { batchId, ok } of answers) {
            const batch = handed.get(batchId);
            handed.delete(batchId);
            onWire.delete(batchId);
            // another tab's caps may have dropped it meanwhile (keys are never reused)
            if (!batch || !(await tx.has('batches', batch.key))) continue;
            tx.del('batches', batch.key);
            totals.events -= batch.events;
            totals.bytes -= batch.bytes;
            if (!ok) {
              // a rejected batch's report did not arrive: it goes with the next one
              addDrops(unreported, 'rejected', batch.events);
              mergeDrops(unreported, batch.dropped);
            }
          }
          return next ? claim(tx, totals, unreported, next) : [];
        },
        next ? 'before' : 'none',
      ).then(({ result, counts }): ClaimResult => ({ batches: result, counts })),

    releaseBatch: (batchId, retryAt) =>
      change(async (tx) => {
        const found = await handedOut(tx, batchId);
        if (!found) return;
        const [batch, key] = found;
        batch.attempts++;
        batch.retryAt = retryAt;
        // back from the wire: the caps may drop it now
        delete batch.sentAt;
        tx.put('batches', batch, key);
      }, 'none').then(({ counts }) => counts),

    adoptBatch: (batch: ClaimedBatch) => {
      if (handed.has(batch.id)) {
        onWire.add(batch.id);
        return Promise.resolve();
      }
      return change(async (tx, totals) => {
        // its events move from the waiting groups to the batch; those gone (claimed elsewhere) stay out
        const ids = new Set(batch.events.map((event) => event.id));
        const found: StoredEvent[] = [];
        await tx.scan<StoredEvent[]>('waiting', (group, key) => {
          const left: StoredEvent[] = [];
          for (const event of group) {
            if (ids.has(event.id)) found.push(event);
            else left.push(event);
          }
          if (left.length == group.length) return;
          if (left.length) tx.put('waiting', left, key);
          else tx.del('waiting', key);
        });
        if (!found.length) return;
        let bytes = 0;
        for (const event of found) bytes += event.bytes;
        const stored: StoredBatch = { ...batch, events: found, firstEventAt: found[0].t, bytes, retryAt: 0 };
        putOnWire(tx, stored, ++totals.lastBatchKey);
      });
    },

    counts: () => change(() => undefined, 'after').then(({ counts }) => counts),

    limit: (until) =>
      run(async (tx) => {
        const stored = Math.max(until, (await tx.get<number>('meta', RATE_LIMITED_UNTIL)) || 0);
        tx.put('meta', stored, RATE_LIMITED_UNTIL);
        return stored;
      }),

    purge: () =>
      run(async (tx) => {
        // the key of the last batch stays: keys are never reused, so an ack in flight never finds another batch under its key
        const totals = await tx.get<Totals>('meta', TOTALS);
        tx.clear('waiting');
        tx.clear('batches');
        tx.put('meta', { events: 0, bytes: 0, lastBatchKey: totals?.lastBatchKey || 0 } satisfies Totals, TOTALS);
        tx.del('meta', UNREPORTED_DROPS);
        handed.clear();
        onWire.clear();
        buffered = 0;
      }),
  };
};
