import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdbStore } from '../../src/buffer/idbStore';
import { createMemoryStore } from '../../src/buffer/memoryStore';
import { openDB } from 'idb';
import { openStore } from '../../src/buffer/openStore';
import { serveStore } from '../../src/buffer/worker';
import type { EventStore, StoredEvent } from '../../src/internal';

const lim = { maxEvents: 100, maxBytes: 10_000, maxAgeMs: 60_000 };
const ev = (i: number, ctx = 'c', bytes = 10): StoredEvent => ({ id: 'e' + i, ctx, json: `{"i":${i}}`, bytes, t: Date.now() });
const ids = (b: { events: StoredEvent[] } | undefined) => b?.events.map((e) => e.id);
/** One batch of at most `max` events and `maxBytes`, as the sender's claims of one batch are. */
const claim = async (s: EventStore, max: number, maxBytes: number, due: number, partial: boolean) =>
  (await s.claimBatches({ maxBatches: 1, maxEvents: 10_000, batchSize: max, maxBytes, due, partial })).batches[0];

let ports: MessagePort[] = [];
/** A Worker that is a MessageChannel: its far end serves the store, as the worker script does. */
class ChannelWorker {
  constructor() {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveStore(port2);
    return Object.assign(port1, { terminate: () => port1.close() });
  }
}

const kinds: [string, (l: typeof lim) => Promise<EventStore>][] = [
  ['memory', async (l) => createMemoryStore(l)],
  [
    'IndexedDB',
    async (l) => {
      // a fresh, empty IndexedDB per test
      vi.stubGlobal('indexedDB', new IDBFactory());
      return createIdbStore(l);
    },
  ],
  [
    'worker',
    // every call crosses the page-worker boundary, by structured clone
    async (l) => {
      vi.stubGlobal('indexedDB', new IDBFactory());
      vi.stubGlobal('Worker', ChannelWorker);
      const { store: s, shared: idb } = openStore(l, 'https://cdn.example/telltale.worker.js');
      expect(await idb).toBe(true);
      return s;
    },
  ],
];

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  ports.forEach((p) => p.close());
  ports = [];
});

describe.each(kinds)('the %s store', (_, make) => {
  it('claims the oldest events by count and bytes, one envelope context per batch', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3), ev(4, 'c', 30), ev(5, 'other')]);
    expect(ids(await claim(s, 2, 1000, Date.now(), false))).toEqual(['e1', 'e2']);
    // bytes: e3 (10) + e4 (30) > 35
    expect(ids(await claim(s, 10, 35, Date.now(), true))).toEqual(['e3']);
    // complete: the next event has another context (a new session)
    expect(ids(await claim(s, 10, 1000, Date.now(), false))).toEqual(['e4']);
    // a partial batch is not formed unless asked
    expect(await claim(s, 10, 1000, Date.now(), false)).toBeUndefined();
    expect(ids(await claim(s, 10, 1000, Date.now(), true))).toEqual(['e5']);
    expect(await claim(s, 10, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).buffered).toBe(5);
  });

  it('claims across the groups events were handed over in, in order, each event once', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2)]);
    await s.append([ev(3)]);
    await s.append([ev(4), ev(5), ev(6)]);
    expect(ids(await claim(s, 4, 1000, Date.now(), false))).toEqual(['e1', 'e2', 'e3', 'e4']);
    await s.adoptBatch({ id: 'exit-batch', ctx: 'c', events: [ev(6)], attempts: 0 });
    expect(ids(await claim(s, 4, 1000, Date.now(), true))).toEqual(['e5']);
    expect(await claim(s, 4, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).buffered).toBe(6);
  });

  it('ack forgets a batch; release keeps it, same id and events, until its retry time', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    const a = (await claim(s, 2, 1000, Date.now(), true))!;
    const b = (await claim(s, 2, 1000, Date.now(), true))!;
    expect((await s.ackBatches([{ batchId: a.id, ok: true }])).counts.buffered).toBe(1);
    await s.releaseBatch(b.id, Date.now() + 5000);
    // in flight or not yet due: not handed out
    expect(await claim(s, 2, 1000, Date.now(), true)).toBeUndefined();
    const again = (await claim(s, 2, 1000, Date.now() + 5000, true))!;
    expect(again).toMatchObject({ id: b.id, attempts: 1 });
    expect(ids(again)).toEqual(['e3']);
    expect((await s.ackBatches([{ batchId: b.id, ok: true }])).counts.buffered).toBe(0);
  });

  it('acknowledges several answers in one call, delivered and rejected, and claims the next batches with them', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3), ev(4), ev(5)]);
    const request = { maxBatches: 2, maxEvents: 100, batchSize: 2, maxBytes: 1000, due: Date.now(), partial: false };
    const [a, b] = (await s.claimBatches(request)).batches;
    const next = await s.ackBatches(
      [
        { batchId: a.id, ok: true },
        { batchId: b.id, ok: false },
      ],
      { ...request, partial: true },
    );
    expect(next.batches.map(ids)).toEqual([['e5']]);
    expect(next.counts.buffered).toBe(1);
    // the rejected batch is counted and reported with the next new batch
    expect(next.batches[0].dropped).toEqual({ rejected: 2 });
    // neither comes back
    await s.releaseBatch(a.id, Date.now());
    await s.releaseBatch(b.id, Date.now());
    expect((await s.ackBatches([{ batchId: next.batches[0].id, ok: true }], { ...request, partial: true })).batches).toEqual([]);
  });

  it('over a cap drops the oldest first, counted by reason and reported once with the next new batch', async () => {
    const s = await make({ ...lim, maxEvents: 3 });
    await s.append([ev(1), ev(2), ev(3), ev(4), ev(5)], { invalid: 1 });
    expect((await s.counts()).dropped).toEqual({ count: 2 });
    const b = (await claim(s, 10, 1000, Date.now(), true))!;
    expect(ids(b)).toEqual(['e3', 'e4', 'e5']);
    expect(b.dropped).toEqual({ count: 2, invalid: 1 });
    // a rejected batch counts as dropped, and its report goes with the next one
    await s.ackBatches([{ batchId: b.id, ok: false }]);
    await s.append([ev(6)]);
    const next = (await claim(s, 10, 1000, Date.now(), true))!;
    expect(next.dropped).toEqual({ count: 2, invalid: 1, rejected: 3 });
    // reported once
    await s.ackBatches([{ batchId: next.id, ok: true }]);
    await s.append([ev(7)]);
    expect((await claim(s, 10, 1000, Date.now(), true))!.dropped).toBeUndefined();
  });

  it('drops events older than the age cap, and by bytes', async () => {
    const s = await make({ ...lim, maxBytes: 25 });
    await s.append([ev(1), ev(2)]);
    vi.setSystemTime(Date.now() + 61_000);
    await s.append([ev(3), ev(4), ev(5)]);
    expect((await s.counts()).dropped).toEqual({ age: 2, size: 1 });
    expect(ids(await claim(s, 10, 1000, Date.now(), true))).toEqual(['e4', 'e5']);
  });

  it('never hands out events over the age cap, even when a claim is the first call after a long absence', async () => {
    const s = await make(lim);
    await s.append([ev(1)]);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await claim(s, 10, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).dropped).toEqual({ age: 1 });
  });

  it('adopts a batch the page sent itself at exit, which keeps its id', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    await s.adoptBatch({ id: 'exit-batch', ctx: 'c', events: [ev(2), ev(3)], attempts: 0 });
    // on the wire: only e1 is claimable
    expect(ids(await claim(s, 10, 1000, Date.now(), true))).toEqual(['e1']);
    await s.releaseBatch('exit-batch', Date.now());
    expect(await claim(s, 10, 1000, Date.now(), true)).toMatchObject({ id: 'exit-batch', attempts: 1 });
  });

  it('hands out copies: what the sender changes on a batch does not change the stored one', async () => {
    const s = await make(lim);
    await s.append([ev(1)]);
    const b = (await claim(s, 10, 1000, Date.now(), true))!;
    b.attempts += 5;
    await s.releaseBatch(b.id, Date.now());
    expect(await claim(s, 10, 1000, Date.now(), true)).toMatchObject({ id: b.id, attempts: 1 });
  });

  it('hands out several batches in one claim, and the next ones with an ack, within the claim\'s bounds', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3), ev(4), ev(5), ev(6), ev(7), ev(8)]);
    const request = { maxBatches: 2, maxEvents: 100, batchSize: 2, maxBytes: 1000, due: Date.now(), partial: false };
    const first = await s.claimBatches(request);
    expect(first.batches.map(ids)).toEqual([
      ['e1', 'e2'],
      ['e3', 'e4'],
    ]);
    // the tokens bound the events over all batches
    const next = await s.ackBatches([{ batchId: first.batches[0].id, ok: true }], { ...request, maxEvents: 3 });
    expect(next.batches.map(ids)).toEqual([['e5', 'e6'], ['e7']]);
    expect(next.counts.buffered).toBe(6);
  });

  it('over its cap drops a batch that came back from the wire before newer events, and reports every drop once', async () => {
    const s = await make({ ...lim, maxEvents: 4 });
    await s.append([ev(1), ev(2)]);
    const b = (await claim(s, 2, 1000, Date.now(), true))!;
    // on the wire: left to its answer, but it counts
    const full = await s.append([ev(3), ev(4), ev(5)]);
    expect(full.droppedIds).toEqual(['e3']);
    await s.releaseBatch(b.id, Date.now() + 60_000);
    // back from the wire: the oldest, it goes first
    const over = await s.append([ev(6), ev(7)]);
    expect(over.droppedIds).toEqual(['e1', 'e2']);
    expect(over.dropped).toEqual({ count: 3 });
    const next = (await claim(s, 10, 1000, Date.now(), true))!;
    expect(ids(next)).toEqual(['e4', 'e5', 'e6', 'e7']);
    expect(next.dropped).toEqual({ count: 3 });
    await s.ackBatches([{ batchId: next.id, ok: true }]);
    await s.append([ev(8)]);
    expect((await claim(s, 10, 1000, Date.now(), true))!.dropped).toBeUndefined();
  });

  it('purge deletes every event, batch and total, and keeps the rate limit', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3)], { invalid: 2 });
    await claim(s, 1, 1000, Date.now(), true);
    await s.limit(5000);
    await s.purge();
    expect((await s.counts()).buffered).toBe(0);
    await s.append([ev(4)]);
    const b = (await claim(s, 10, 1000, Date.now(), true))!;
    expect(ids(b)).toEqual(['e4']);
    expect(b.dropped).toBeUndefined();
    expect(await s.limit(0)).toBe(5000);
  });

  it('keeps the rate limit for every tab', async () => {
    const s = await make(lim);
    expect(await s.limit(0)).toBe(0);
    expect(await s.limit(5000)).toBe(5000);
    expect(await s.limit(10)).toBe(5000);
  });
});

describe('two tabs on one IndexedDB store', () => {
  it("one tab's caps never drop the batch another tab has on the wire", async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const sender = await createIdbStore({ ...lim, maxEvents: 4 });
    const other = await createIdbStore({ ...lim, maxEvents: 4 });
    await sender.append([ev(1), ev(2)]);
    const b = (await claim(sender, 10, 1000, Date.now(), true))!;
    // the other tab goes over the cap: its oldest waiting events go, not the batch in flight
    await other.append([ev(3), ev(4), ev(5), ev(6)]);
    expect((await sender.ackBatches([{ batchId: b.id, ok: true }])).counts.buffered).toBe(2);
    expect((await other.counts()).dropped).toEqual({ count: 2 });
    expect(ids(await claim(other, 10, 1000, Date.now(), true))).toEqual(['e5', 'e6']);
  });

  it('a tab opening a later version is let in: this store closes its connection, and its next call fails', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const s = await createIdbStore(lim);
    await s.append([ev(1)]);
    const later = await openDB('telltale', 4);
    expect(later.version).toBe(4);
    later.close();
    await expect(s.append([ev(2)])).rejects.toThrow('newer-version');
  });
});

describe('the IndexedDB store on failure', () => {
  it('a change that fails rejects, and keeps nothing it wrote before (the transaction aborts)', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const s = await createIdbStore(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    // the adopt moves e2 out of the waiting queue, then its batch cannot be stored (a function is not cloneable)
    const bad = { id: 'bad', ctx: 'c', events: [ev(2)], attempts: 0, f: () => {} };
    await expect(s.adoptBatch(bad)).rejects.toThrow(/clone/i);
    expect(ids(await claim(s, 10, 1000, Date.now(), true))).toEqual(['e1', 'e2', 'e3']);
  });
});

describe('opening the buffer', () => {
  it('a Worker constructor that throws falls back to memory, and nothing reaches the page', async () => {
    vi.useRealTimers();
    vi.stubGlobal(
      'Worker',
      class {
        constructor() {
          throw new DOMException('cross-origin worker', 'SecurityError');
        }
      },
    );
    const thrown: unknown[] = [];
    const onError = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onError);
    try {
      const { store, shared: idb } = openStore(lim, 'https://cdn.example/telltale.worker.js');
      expect(await idb).toBe(false);
      expect((await store.append([ev(1)])).buffered).toBe(1);
      expect(thrown).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('calls made before the worker is ready wait for it, in order', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    vi.stubGlobal('Worker', ChannelWorker);
    const { store, shared: idb } = openStore(lim, 'https://cdn.example/telltale.worker.js');
    const appended = [store.append([ev(1)]), store.append([ev(2)])];
    const claimed = claim(store, 10, 1000, Date.now(), true);
    expect(await idb).toBe(true);
    expect((await Promise.all(appended)).map((c) => c.buffered)).toEqual([1, 2]);
    expect(ids(await claimed)).toEqual(['e1', 'e2']);
  });

  it('a worker whose IndexedDB fails to open answers so at once: memory, then', async () => {
    vi.useRealTimers();
    vi.stubGlobal('indexedDB', {
      open() {
        throw new DOMException('blocked', 'InvalidStateError');
      },
    });
    vi.stubGlobal('Worker', ChannelWorker);
    const started = Date.now();
    const { store, shared: idb } = openStore(lim, 'https://cdn.example/telltale.worker.js');
    expect(await idb).toBe(false);
    // the error came back as an answer, not as the start timeout
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await store.append([ev(1)])).buffered).toBe(1);
  });

  it('a worker that stops answering fails the call in time; the store is memory from then, and says it was lost', async () => {
    vi.useRealTimers();
    vi.stubGlobal('indexedDB', new IDBFactory());
    vi.stubGlobal('Worker', ChannelWorker);
    const { store, shared, lost } = openStore(lim, 'https://cdn.example/telltale.worker.js');
    expect(await shared).toBe(true);
    await store.append([ev(1)]);
    // the worker dies: nothing answers any more
    ports.forEach((p) => p.close());
    await expect(store.append([ev(2)])).rejects.toThrow(/did not answer/);
    await lost;
    // memory now: it starts empty (the page appends what it holds again)
    expect((await store.append([ev(3)])).buffered).toBe(1);
  }, 15_000);

  it('a database of an earlier version (tables q, b, m) is made anew, and the store works', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const old = await openDB('telltale', 2, {
      upgrade(db) {
        db.createObjectStore('q', { autoIncrement: true });
        db.createObjectStore('b');
        db.createObjectStore('m');
      },
    });
    await old.put('q', [ev(1)]);
    await old.put('m', [2, 20], 'n');
    old.close();
    const s = await createIdbStore(lim);
    await s.append([ev(3), ev(4)]);
    const b = (await claim(s, 10, 1000, Date.now(), true))!;
    expect(ids(b)).toEqual(['e3', 'e4']);
    expect((await s.ackBatches([{ batchId: b.id, ok: true }])).counts.buffered).toBe(0);
    const db = await openDB('telltale');
    expect([...db.objectStoreNames].sort()).toEqual(['batches', 'meta', 'waiting']);
    db.close();
  });
});
