import { req } from './idb';
import { createStore, type Run } from './store';
import type { EventStore, StoreLimits } from '../internal';

/** The IndexedDB buffer, shared by every tab of the origin (runs in the worker). */
export const createIdbStore = async (lim: StoreLimits): Promise<EventStore> => {
  // version 2: waiting events in groups. A version-1 database (pre-release builds only) is made anew.
  const open = indexedDB.open('telltale', 2);
  open.onupgradeneeded = () => {
    const d = open.result;
    for (const name of 'qbm') {
      if (d.objectStoreNames.contains(name)) d.deleteObjectStore(name);
      d.createObjectStore(name, { autoIncrement: name == 'q' });
    }
  };
  const db = await req(open);
  // a later version opened in another tab waits for no one
  db.onversionchange = () => db.close();
  // `fn` may await only its requests: their promises settle while the request's event is handled, and
  // the transaction stays open; awaiting anything else lets it commit
  const run: Run = (fn) => {
    // relaxed: the commit does not wait for the disk flush; a crash of the browser still keeps it
    const t = db.transaction([...'qbm'], 'readwrite', { durability: 'relaxed' });
    const store = (table: string) => t.objectStore(table);
    // `fn`'s result once committed; `all`: the abort's rejection after a failed `fn` is handled too
    return Promise.all([
      fn({
        // rows come in growing pages, not one cursor step (one round trip) each: a sweep usually
        // stops at the first row, a claim reads a batch in a few pages
        async scan(table, each) {
          const s = store(table);
          for (let from: IDBKeyRange | null = null, page = 1; ; page *= 4) {
            const [rows, keys] = await Promise.all([req(s.getAll(from, page)), req(s.getAllKeys(from, page))]);
            if (rows.some((row, i) => each(row as never, keys[i] as number) === false) || rows.length < page) return;
            from = IDBKeyRange.lowerBound(keys[rows.length - 1], true);
          }
        },
        get: (table, key) => req(store(table).get(key)),
        // writes get no promise each: a failed one aborts the transaction, which rejects below
        put: (table, value, key) => store(table).put(value, key),
        del: (table, key) => store(table).delete(key),
      }).catch((e) => {
        // nothing of a failed change is kept (`finally`: abort throws when the transaction already ended)
        try {
          t.abort();
        } finally {
          throw e;
        }
      }),
      new Promise((ok, no) => {
        t.oncomplete = ok;
        t.onabort = () => no(t.error);
      }),
    ]).then((r) => r[0]);
  };
  return createStore(run, lim);
};
