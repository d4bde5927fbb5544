import { noop } from '../lib/attempt';
import { hashId } from '../lib/id';
import type { DropCounts, DropReason } from '../types';
import type { ClaimedBatch, EventStore, StoreLimits, StoredEvent } from '../internal';

/** A claimed batch as stored: kept whole, so a retry sends the same events under the same id. */
interface Batch extends ClaimedBatch {
  /** Time of its first event, for the age cap. */
  t: number;
  bytes: number;
  /** Not sent again before this time (epoch ms). */
  at: number;
  /** When a tab last put it on the wire (epoch ms). */
  c?: number;
}

/** A batch on the wire is left to its answer this long, whichever tab sent it (then it may be swept). */
const ON_WIRE_MS = 60_000;

type Drops = Partial<DropCounts>;

/** A new batch's id comes from its events: a page that re-forms the same batch sends the same id. */
export const batchId = (events: StoredEvent[]): string => hashId(events.map((e) => e.id).join());

/**
 * One transaction over three tables: `q` waiting events in groups, one row per append (a row
 * costs a round trip to the browser's storage, an event in it almost nothing), auto keys,
 * oldest first; `b` claimed batches, keyed in the order they were made; `m` shared settings.
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

  /** Enforces the caps: over any, the oldest go first (batches hold the oldest events). */
  const caps = async (t: Tx, n: number[], d: Drops) => {
    const old = Date.now() - lim.maxAgeMs;
    const over = (at: number): DropReason | 0 => (at < old ? 'age' : n[0] > lim.maxEvents ? 'count' : n[1] > lim.maxBytes ? 'size' : 0);
    const drop = (why: DropReason, c: number, bytes: number) => {
      n[0] -= c;
      n[1] -= bytes;
      add(dropped, why, c);
      add(d, why, c);
    };
    await t.scan('b', (b: Batch, key) => {
      const why = over(b.t);
      if (!why) return false;
      // `flying` knows this tab's batches; `c` those of the other tabs
      if (flying.has(b.id) || Date.now() - (b.c || 0) < ON_WIRE_MS) return;
      keys.delete(b.id);
      merge(d, b.dropped);
      t.del('b', key);
      drop(why, b.events.length, b.bytes);
    });
    await t.scan('q', (g: StoredEvent[], key) => {
      let i = 0;
      for (let why: DropReason | 0; i < g.length && (why = over(g[i].t)); i++) drop(why, 1, g[i].bytes);
      if (i == g.length) return t.del('q', key);
      if (i) t.put('q', g.slice(i), key);
      return false;
    });
  };

  /**
   * Runs `fn` with the shared totals (`n`: events, bytes, the next batch key) and the caps: after
   * it, `first` (a claim: nothing it hands out is over the age cap), or `none` when `fn` can only
   * lower the totals (an ack, a release).
   */
  const change = <T>(fn: (t: Tx, n: number[], d: Drops) => Promise<T> | T, sweep: 'after' | 'first' | 'none' = 'after'): Promise<T> =>
    run(async (t) => {
      const m = await Promise.all([t.get('m', 'n'), t.get('m', 'd')]);
      const n: number[] = m[0] || [0, 0, 0];
      const d: Drops = m[1] || {};
      if (sweep == 'first') await caps(t, n, d);
      const r = await fn(t, n, d);
      if (sweep == 'after') await caps(t, n, d);
      t.put('m', n, 'n');
      t.put('m', d, 'd');
      buffered = n[0];
      return r;
    });

  /** Stores a batch as on the wire from now, under `key`. */
  const onWire = (t: Tx, b: Batch, key: number) => {
    b.c = Date.now();
    t.put('b', b, key);
    keys.set(b.id, key);
    flying.add(b.id);
  };
  /** The key of a new batch: batches are kept in the order they were made. */
  const nextKey = (n: number[]) => (n[2] = (n[2] || 0) + 1);

  /** Updates a batch this store knows; `fn` gets the stored row. */
  const settle = (id: string, fn: (t: Tx, b: Batch, key: number, n: number[], d: Drops) => void) => {
    return change(async (t, n, d) => {
      // only now: changes queued before this one (a claim, an adopt) see the batch as it was
      const key = keys.get(id);
      flying.delete(id);
      const b: Batch | undefined = key === undefined ? undefined : await t.get('b', key);
      if (b?.id == id) fn(t, b, key!, n, d);
    }, 'none').then(counts);
  };

  return {
    append: (events, drops) =>
      change((t, n, d) => {
        if (events.length) t.put('q', events);
        for (const e of events) n[0]++, (n[1] += e.bytes);
        merge(d, drops);
      }).then(counts),

    claim: (max, maxBytes, due, partial) =>
      change(async (t, n, d) => {
        let found: [Batch, number] | undefined;
        await t.scan('b', (b: Batch, key) => {
          if (flying.has(b.id) || b.at > due) return;
          found = [b, key];
          return false;
        });
        // copies: the sender's changes to what it holds must not reach the memory store's rows
        if (found) return onWire(t, ...found), { ...found[0] };
        const got: StoredEvent[] = [];
        // groups taken whole, and the rest of the last one
        const whole: number[] = [];
        let rest: [number, StoredEvent[]] | undefined;
        let bytes = 0;
        let full = false;
        await t.scan('q', (g: StoredEvent[], key) => {
          for (let i = 0; i < g.length; i++) {
            const e = g[i];
            if (got.length && (e.ctx != got[0].ctx || got.length >= max || bytes + e.bytes > maxBytes)) {
              if (i) rest = [key, g.slice(i)];
              full = true;
              return false;
            }
            got.push(e), (bytes += e.bytes);
          }
          whole.push(key);
        });
        full ||= got.length >= max;
        // a partial batch waits (for the flush interval) unless asked for
        if (!got.length || !(partial || full)) return;
        const b: Batch = { id: batchId(got), ctx: got[0].ctx, events: got, attempts: 0, t: got[0].t, bytes, at: 0 };
        // drops not yet reported travel with this batch, on every attempt
        if (Object.keys(d).length) b.dropped = { ...d };
        for (const k in d) delete d[k as DropReason];
        for (const k of whole) t.del('q', k);
        if (rest) t.put('q', rest[1], rest[0]);
        onWire(t, b, nextKey(n));
        return { ...b };
      }, 'first'),

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
        : change(async (t, n) => {
            // its events move from the waiting queue to the batch; those gone (claimed elsewhere) stay out
            const ids = new Set(batch.events.map((e) => e.id));
            const got: StoredEvent[] = [];
            await t.scan('q', (g: StoredEvent[], key) => {
              const left = g.filter((e) => !ids.has(e.id) || !got.push(e));
              if (left.length < g.length) left.length ? t.put('q', left, key) : t.del('q', key);
            });
            if (got.length) onWire(t, { ...batch, events: got, t: got[0].t, bytes: got.reduce((s, e) => s + e.bytes, 0), at: 0 }, nextKey(n));
          }),

    counts: () => change(noop).then(counts),

    limit: (until) =>
      run(async (t) => {
        const r = Math.max(until, (await t.get('m', 'r')) || 0);
        t.put('m', r, 'r');
        return r;
      }),
  };
};
