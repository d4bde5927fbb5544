import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdbStore } from '../../src/buffer/idbStore';
import { createMemoryStore } from '../../src/buffer/memoryStore';
import { openStore } from '../../src/buffer/openStore';
import { req } from '../../src/buffer/idb';
import { serveStore } from '../../src/buffer/worker';
import type { EventStore, StoredEvent } from '../../src/internal';

const lim = { maxEvents: 100, maxBytes: 10_000, maxAgeMs: 60_000 };
const ev = (i: number, ctx = 'c', bytes = 10): StoredEvent => ({ id: 'e' + i, ctx, json: `{"i":${i}}`, bytes, t: Date.now() });
const ids = (b: { events: StoredEvent[] } | undefined) => b?.events.map((e) => e.id);

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
      const [s, idb] = openStore(l, 'https://cdn.example/telltale.worker.js');
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
    expect(ids(await s.claim(2, 1000, Date.now(), false))).toEqual(['e1', 'e2']);
    // bytes: e3 (10) + e4 (30) > 35
    expect(ids(await s.claim(10, 35, Date.now(), true))).toEqual(['e3']);
    // complete: the next event has another context (a new session)
    expect(ids(await s.claim(10, 1000, Date.now(), false))).toEqual(['e4']);
    // a partial batch is not formed unless asked
    expect(await s.claim(10, 1000, Date.now(), false)).toBeUndefined();
    expect(ids(await s.claim(10, 1000, Date.now(), true))).toEqual(['e5']);
    expect(await s.claim(10, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).buffered).toBe(5);
  });

  it('claims across the groups events were handed over in, in order, each event once', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2)]);
    await s.append([ev(3)]);
    await s.append([ev(4), ev(5), ev(6)]);
    expect(ids(await s.claim(4, 1000, Date.now(), false))).toEqual(['e1', 'e2', 'e3', 'e4']);
    await s.adopt({ id: 'exit-batch', ctx: 'c', events: [ev(6)], attempts: 0 });
    expect(ids(await s.claim(4, 1000, Date.now(), true))).toEqual(['e5']);
    expect(await s.claim(4, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).buffered).toBe(6);
  });

  it('ack forgets a batch; release keeps it, same id and events, until its retry time', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    const a = (await s.claim(2, 1000, Date.now(), true))!;
    const b = (await s.claim(2, 1000, Date.now(), true))!;
    expect((await s.ack(a.id, true)).buffered).toBe(1);
    await s.release(b.id, Date.now() + 5000);
    // in flight or not yet due: not handed out
    expect(await s.claim(2, 1000, Date.now(), true)).toBeUndefined();
    const again = (await s.claim(2, 1000, Date.now() + 5000, true))!;
    expect(again).toMatchObject({ id: b.id, attempts: 1 });
    expect(ids(again)).toEqual(['e3']);
    expect((await s.ack(b.id, true)).buffered).toBe(0);
  });

  it('over a cap drops the oldest first, counted by reason and reported once with the next new batch', async () => {
    const s = await make({ ...lim, maxEvents: 3 });
    await s.append([ev(1), ev(2), ev(3), ev(4), ev(5)], { invalid: 1 });
    expect((await s.counts()).dropped).toEqual({ count: 2 });
    const b = (await s.claim(10, 1000, Date.now(), true))!;
    expect(ids(b)).toEqual(['e3', 'e4', 'e5']);
    expect(b.dropped).toEqual({ count: 2, invalid: 1 });
    // a rejected batch counts as dropped, and its report goes with the next one
    await s.ack(b.id, false);
    await s.append([ev(6)]);
    const next = (await s.claim(10, 1000, Date.now(), true))!;
    expect(next.dropped).toEqual({ count: 2, invalid: 1, rejected: 3 });
    // reported once
    await s.ack(next.id, true);
    await s.append([ev(7)]);
    expect((await s.claim(10, 1000, Date.now(), true))!.dropped).toBeUndefined();
  });

  it('drops events older than the age cap, and by bytes', async () => {
    const s = await make({ ...lim, maxBytes: 25 });
    await s.append([ev(1), ev(2)]);
    vi.setSystemTime(Date.now() + 61_000);
    await s.append([ev(3), ev(4), ev(5)]);
    expect((await s.counts()).dropped).toEqual({ age: 2, size: 1 });
    expect(ids(await s.claim(10, 1000, Date.now(), true))).toEqual(['e4', 'e5']);
  });

  it('never hands out events over the age cap, even when a claim is the first call after a long absence', async () => {
    const s = await make(lim);
    await s.append([ev(1)]);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await s.claim(10, 1000, Date.now(), true)).toBeUndefined();
    expect((await s.counts()).dropped).toEqual({ age: 1 });
  });

  it('adopts a batch the page sent itself at exit, which keeps its id', async () => {
    const s = await make(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    await s.adopt({ id: 'exit-batch', ctx: 'c', events: [ev(2), ev(3)], attempts: 0 });
    // on the wire: only e1 is claimable
    expect(ids(await s.claim(10, 1000, Date.now(), true))).toEqual(['e1']);
    await s.release('exit-batch', Date.now());
    expect(await s.claim(10, 1000, Date.now(), true)).toMatchObject({ id: 'exit-batch', attempts: 1 });
  });

  it('hands out copies: what the sender changes on a batch does not change the stored one', async () => {
    const s = await make(lim);
    await s.append([ev(1)]);
    const b = (await s.claim(10, 1000, Date.now(), true))!;
    b.attempts += 5;
    await s.release(b.id, Date.now());
    expect(await s.claim(10, 1000, Date.now(), true)).toMatchObject({ id: b.id, attempts: 1 });
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
    const b = (await sender.claim(10, 1000, Date.now(), true))!;
    // the other tab goes over the cap: its oldest waiting events go, not the batch in flight
    await other.append([ev(3), ev(4), ev(5), ev(6)]);
    expect((await sender.ack(b.id, true)).buffered).toBe(2);
    expect((await other.counts()).dropped).toEqual({ count: 2 });
    expect(ids(await other.claim(10, 1000, Date.now(), true))).toEqual(['e5', 'e6']);
  });

  it('a tab opening a later version waits for no one: the store closes its connection', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    await createIdbStore(lim);
    const later = await req(indexedDB.open('telltale', 3));
    expect(later.version).toBe(3);
    later.close();
  });
});

describe('the IndexedDB store on failure', () => {
  it('a change that fails rejects, and keeps nothing it wrote before (the transaction aborts)', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const s = await createIdbStore(lim);
    await s.append([ev(1), ev(2), ev(3)]);
    // the adopt moves e2 out of the waiting queue, then its batch cannot be stored (a function is not cloneable)
    const bad = { id: 'bad', ctx: 'c', events: [ev(2)], attempts: 0, f: () => {} };
    await expect(s.adopt(bad)).rejects.toThrow(/clone/i);
    expect(ids(await s.claim(10, 1000, Date.now(), true))).toEqual(['e1', 'e2', 'e3']);
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
      const [store, idb] = openStore(lim, 'https://cdn.example/telltale.worker.js');
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
    const [store, idb] = openStore(lim, 'https://cdn.example/telltale.worker.js');
    const appended = [store.append([ev(1)]), store.append([ev(2)])];
    const claimed = store.claim(10, 1000, Date.now(), true);
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
    const [store, idb] = openStore(lim, 'https://cdn.example/telltale.worker.js');
    expect(await idb).toBe(false);
    // the error came back as an answer, not as the start timeout
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await store.append([ev(1)])).buffered).toBe(1);
  });

  it('a version-1 database of a pre-release build is made anew, and the store works', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    const open = indexedDB.open('telltale', 1);
    open.onupgradeneeded = () => {
      const d = open.result;
      d.createObjectStore('q', { autoIncrement: true });
      d.createObjectStore('b');
      d.createObjectStore('m');
    };
    const old = await req(open);
    const t = old.transaction(['q', 'b', 'm'], 'readwrite');
    t.objectStore('q').put(ev(1));
    t.objectStore('b').put({ id: 'old', ctx: 'c', events: [ev(2)], attempts: 1, t: Date.now(), bytes: 10, at: 0 }, 1);
    t.objectStore('m').put([2, 20], 'n');
    await new Promise((ok) => (t.oncomplete = ok));
    old.close();
    const s = await createIdbStore(lim);
    await s.append([ev(3), ev(4)]);
    const b = (await s.claim(10, 1000, Date.now(), true))!;
    expect(ids(b)).toEqual(['e3', 'e4']);
    expect((await s.ack(b.id, true)).buffered).toBe(0);
  });
});
