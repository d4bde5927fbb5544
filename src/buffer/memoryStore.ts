import { noop } from '../lib/attempt';
import type { EventStore, StoreLimits } from '../internal';
import { createStore } from './store';
import type { Run, TableName, Tx } from './tx';

/** The fallback buffer of one page, when no worker or no IndexedDB is at hand, or the worker's store was lost. */
export const createMemoryStore = (limits: StoreLimits): EventStore => {
  const tables: Record<TableName, Map<number | string, unknown>> = { waiting: new Map(), batches: new Map(), meta: new Map() };
  let nextWaitingKey = 0;
  const tx: Tx = {
    async scan(table, each) {
      for (const [key, row] of tables[table]) if (each(row as never, key as number) === false) return;
    },
    keys: async (table) => [...tables[table].keys()] as number[],
    get: async (table, key) => tables[table].get(key) as never,
    has: async (table, key) => tables[table].has(key),
    put(table, value, key = nextWaitingKey++) {
      tables[table].set(key, value);
    },
    del(table, key) {
      tables[table].delete(key);
    },
    clear(table) {
      tables[table].clear();
    },
  };
  // one change at a time, as IndexedDB transactions over the same tables are
  let queue: Promise<unknown> = Promise.resolve();
  const run: Run = (fn) => {
    const result = queue.then(() => fn(tx));
    queue = result.catch(noop);
    return result;
  };
  return createStore(run, limits);
};
