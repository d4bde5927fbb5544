import { hashId } from '../lib/id';
import type { ClaimedBatch, DropCounts, DropReason, EventStore, StoreLimits, StoredEvent } from '../types';

/** A claimed batch as stored: kept whole, so a retry sends the same events under the same id. */
interface Batch extends ClaimedBatch {
  /** Time of its first event, for the age cap. */
  t: number;
  bytes: number;
  /** Not sent again before this time (epoch ms). */
  at: number;
}

type Drops = Partial<DropCounts>;

/** A new batch's id comes from its events: a page that re-forms the same batch sends the same id. */
export const batchId = (events: StoredEvent[]): string => hashId(events.map((e) => e.id).join());

/**
 * One transaction over three tables: `q` waiting events (auto keys, oldest first),
 * `b` claimed batches (keyed by their first event's key), `m` shared settings.
 */
export interface Tx {
  /** Rows in key order; `each` returns false to stop. */
  scan(table: 'q' | 'b', each: (row: never, key: number) => unknown): Promise<void>;
  get(table: string, key: number | string): Promise<any>;
  /** Without a key: appended with the next key. */
  put(table: string, value: unknown, key?: number | string): void;
  del(table: string, key: number): void;
}

export type Run = <T>(fn: (t: Tx) => Promise<T>) => Promise<T>;

const add = (d: Drops, why: DropReason, n: number) => (d[why] = (d[why] || 0) + n);
const merge = (d: Drops, from: Drops = {}) => {
  for (const k in from) add(d, k as DropReason, from[k as DropReason]!);
};

/**
 * The buffer logic, the same over memory and IndexedDB. Totals (`n`: [events, bytes]) and
 * drops not yet reported (`d`) live in the store, so every tab and later page shares them.
 */
export const createStore = (run: Run, lim: StoreLimits): EventStore => {
  // batch id -> key, for batches this store handed out and not yet acked
  const keys = new Map<string, number>();
  // batches on the wire: the caps leave them to their answer
  const flying = new Set<string>();
  const dropped: Drops = {};
  let buffered = 0;
  const counts = () => ({ buffered, dropped: { ...dropped } });

  /** Runs `fn` with the shared totals, then enforces the caps: over any, the oldest go first. */
  const change = <T>(fn: (t: Tx, n: number[], d: Drops) => Promise<T> | T): Promise<T> =>
    run(async (t) => {
      const n: number[] = (await t.get('m', 'n')) || [0, 0];
      const d: Drops = (await t.get('m', 'd')) || {};
      const r = await fn(t, n, d);
      const old = Date.now() - lim.maxAgeMs;
      const sweep = (table: 'q' | 'b') =>
        t.scan(table, (row: StoredEvent | Batch, key) => {
          const why = row.t < old ? 'age' : n[0] > lim.maxEvents ? 'count' : n[1] > lim.maxBytes ? 'size' : 0;
          if (!why) return false;
          let c = 1;
          if ('events' in row) {
            if (flying.has(row.id)) return;
            keys.delete(row.id);
            merge(d, row.dropped);
            c = row.events.length;
          }
          t.del(table, key);
          n[0] -= c;
          n[1] -= row.bytes;
          add(dropped, why, c);
          add(d, why, c);
        });
      // batches hold the oldest events
      await sweep('b');
      await sweep('q');
      t.put('m', n, 'n');
      t.put('m', d, 'd');
      buffered = n[0];
      return r;
    });

  /** Makes the events at keys `at` (of the waiting queue) the batch `b`, in flight. */
  const form = (t: Tx, b: Batch, at: number[]) => {
    for (const k of at) t.del('q', k);
    t.put('b', b, at[0]);
    keys.set(b.id, at[0]);
    flying.add(b.id);
    return b;
  };

  /** Updates a batch this store knows; `fn` gets the stored row. */
  const settle = (id: string, fn: (t: Tx, b: Batch, key: number, n: number[], d: Drops) => void) => {
    return change(async (t, n, d) => {
      // only now: changes queued before this one (a claim, an adopt) see the batch as it was
      const key = keys.get(id);
      flying.delete(id);
      const b: Batch | undefined = key === undefined ? undefined : await t.get('b', key);
      if (b?.id == id) fn(t, b, key!, n, d);
    }).then(counts);
  };

  return {
    append: (events, drops) =>
      change((t, n, d) => {
        for (const e of events) t.put('q', e), n[0]++, (n[1] += e.bytes);
        merge(d, drops);
      }).then(counts),

    claim: (max, maxBytes, due, partial) =>
      change(async (t, _, d) => {
        let found: Batch | undefined;
        await t.scan('b', (b: Batch, key) => {
          if (flying.has(b.id) || b.at > due) return;
          found = b;
          keys.set(b.id, key);
          return false;
        });
        if (found) return flying.add(found.id), found;
        const got: StoredEvent[] = [];
        const at: number[] = [];
        let bytes = 0;
        let full = false;
        await t.scan('q', (e: StoredEvent, key) => {
          if (got.length && (e.ctx != got[0].ctx || got.length >= max || bytes + e.bytes > maxBytes)) {
            full = true;
            return false;
          }
          got.push(e), at.push(key), (bytes += e.bytes);
        });
        full ||= got.length >= max;
        // a partial batch waits (for the flush interval) unless asked for
        if (!got.length || !(partial || full)) return;
        const b: Batch = { id: batchId(got), ctx: got[0].ctx, events: got, attempts: 0, t: got[0].t, bytes, at: 0 };
        // drops not yet reported travel with this batch, on every attempt
        if (Object.keys(d).length) b.dropped = { ...d };
        for (const k in d) delete d[k as DropReason];
        return form(t, b, at);
      }),

    ack: (id, ok) =>
      settle(id, (t, b, key, n, d) => {
        t.del('b', key);
        n[0] -= b.events.length;
        n[1] -= b.bytes;
        keys.delete(id);
        // a rejected batch's report did not arrive: it goes with the next one
        if (!ok) add(d, 'rejected', b.events.length), merge(d, b.dropped);
      }),

    release: (id, retryAt) =>
      settle(id, (t, b, key) => {
        b.attempts++;
        b.at = retryAt;
        t.put('b', b, key);
      }),

    adopt: (batch) =>
      keys.has(batch.id)
        ? Promise.resolve(flying.add(batch.id))
        : change(async (t) => {
            // its events move from the waiting queue to the batch; those gone (claimed elsewhere) stay out
            const ids = new Set(batch.events.map((e) => e.id));
            const got: StoredEvent[] = [];
            const at: number[] = [];
            await t.scan('q', (e: StoredEvent, key) => void (ids.has(e.id) && (got.push(e), at.push(key))));
            if (got.length) form(t, { ...batch, events: got, t: got[0].t, bytes: got.reduce((s, e) => s + e.bytes, 0), at: 0 }, at);
          }),

    counts: () => change(() => {}).then(counts),

    limit: (until) =>
      run(async (t) => {
        const r = Math.max(until, (await t.get('m', 'r')) || 0);
        t.put('m', r, 'r');
        return r;
      }),

    lease: (tab, now) =>
      run(async (t) => {
        const l: [string, number] | undefined = await t.get('m', 'l');
        const ok = !l || l[1] < now || l[0] == tab;
        if (ok) t.put('m', [tab, now + 15_000], 'l');
        return ok;
      }),
  };
};
