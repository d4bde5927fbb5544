import { openDB } from 'idb';
import { createStore, type Run } from './store';
import type { EventStore, StoreLimits } from '../types';

/** The IndexedDB buffer, shared by every tab of the origin (runs in the worker). */
export const createIdbStore = async (lim: StoreLimits): Promise<EventStore> => {
  const db = await openDB('telltale', 1, {
    upgrade(d) {
      d.createObjectStore('q', { autoIncrement: true });
      d.createObjectStore('b');
      d.createObjectStore('m');
    },
  });
  const run: Run = async (fn) => {
    const t = db.transaction(['q', 'b', 'm'], 'readwrite');
    try {
      const r = await fn({
        async scan(table, each) {
          for (let c = await t.objectStore(table).openCursor(); c && each(c.value as never, c.key as number) !== false; )
            c = await c.continue();
        },
        get: (table, key) => t.objectStore(table).get(key),
        put: (table, value, key) => void t.objectStore(table).put(value, key).catch(() => {}),
        del: (table, key) => void t.objectStore(table).delete(key).catch(() => {}),
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
