import { openDB, unwrap } from 'idb';
import { createStore, type Run } from './store';
import type { EventStore, StoreLimits } from '../types';

/** The IndexedDB buffer, shared by every tab of the origin (runs in the worker). */
export const createIdbStore = async (lim: StoreLimits): Promise<EventStore> => {
  // version 2: waiting events in groups. A version-1 database (pre-release builds only) is made anew.
  const db = await openDB('telltale', 2, {
    upgrade(d) {
      for (const name of ['q', 'b', 'm']) if (d.objectStoreNames.contains(name)) d.deleteObjectStore(name);
      d.createObjectStore('q', { autoIncrement: true });
      d.createObjectStore('b');
      d.createObjectStore('m');
    },
    // a later version opened in another tab waits for no one
    blocking: () => db.close(),
  });
  const run: Run = async (fn) => {
    // relaxed: the commit does not wait for the disk flush; a crash of the browser still keeps it
    const t = db.transaction(['q', 'b', 'm'], 'readwrite', { durability: 'relaxed' });
    const raw = unwrap(t);
    try {
      const r = await fn({
        // rows come in growing pages, not one cursor step (one round trip) each: a sweep usually
        // stops at the first row, a claim reads a batch in a few pages
        async scan(table, each) {
          const s = t.objectStore(table);
          for (let from: IDBKeyRange | null = null, page = 1; ; page *= 4) {
            const [rows, keys] = await Promise.all([s.getAll(from, page), s.getAllKeys(from, page)]);
            for (let i = 0; i < rows.length; i++) if (each(rows[i] as never, keys[i] as number) === false) return;
            if (rows.length < page) return;
            from = IDBKeyRange.lowerBound(keys[rows.length - 1], true);
          }
        },
        get: (table, key) => t.objectStore(table).get(key),
        // writes go unwrapped: no promise each (a failed one fails the transaction, `t.done`)
        put: (table, value, key) => void raw.objectStore(table).put(value, key),
        del: (table, key) => void raw.objectStore(table).delete(key),
      });
      await t.done;
      return r;
    } catch (e) {
      try {
        t.abort();
      } catch {
        // already finished
      }
      throw e;
    }
  };
  return createStore(run, lim);
};
