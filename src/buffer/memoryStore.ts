import { noop } from '../lib/attempt';
import { createStore, type Run, type Tx } from './store';
import type { EventStore, StoreLimits } from '../internal';

/** The fallback buffer of one page, when no worker or no IndexedDB is at hand. */
export const createMemoryStore = (lim: StoreLimits): EventStore => {
  const tables: Record<string, Map<number | string, any>> = { q: new Map(), b: new Map(), m: new Map() };
  let next = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const tx: Tx = {
    async scan(table, each) {
      for (const [k, row] of tables[table]) if (each(row as never, k as number) === false) break;
    },
    get: async (table, key) => tables[table].get(key),
    put: (table, value, key = next++) => void tables[table].set(key, value),
    del: (table, key) => void tables[table].delete(key),
  };
  // one change at a time, as IndexedDB transactions over the same tables are
  const run: Run = (fn) => {
    const p = queue.then(() => fn(tx));
    queue = p.catch(noop);
    return p;
  };
  return createStore(run, lim);
};
