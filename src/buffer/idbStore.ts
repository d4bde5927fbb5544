import type { IDBPTransaction } from 'idb';
import { noop } from '../lib/attempt';
import type { EventStore, StoreLimits } from '../internal';
import { openBufferDatabase, type BufferDatabase, type BufferSchema } from './bufferDatabase';
import { createStore } from './store';
import { TABLE_NAMES, type Run, type TableName, type Tx } from './tx';

/** A scan reads rows in pages that grow by this factor: it usually stops at the first row, a claim reads a batch in a few pages. */
const SCAN_PAGE_GROWTH = 4;

type BufferTransaction = IDBPTransaction<BufferSchema, TableName[], 'readwrite'>;

/** The transaction's calls, as the shared store logic makes them. */
const txOf = (transaction: BufferTransaction): Tx => {
  const table = (name: TableName) => transaction.objectStore(name) as unknown as IDBPTransaction<BufferSchema, ['meta'], 'readwrite'>['store'];
  // writes are not awaited: a failed one aborts the transaction, which `run` reports
  const write = (request: Promise<unknown>) => void request.catch(noop);
  return {
    async scan(name, each) {
      const store = table(name);
      let from: IDBKeyRange | undefined;
      for (let pageSize = 1; ; pageSize *= SCAN_PAGE_GROWTH) {
        const [rows, keys] = await Promise.all([store.getAll(from, pageSize), store.getAllKeys(from, pageSize)]);
        for (let index = 0; index < rows.length; index++) if (each(rows[index] as never, keys[index] as unknown as number) === false) return;
        if (rows.length < pageSize) return;
        from = IDBKeyRange.lowerBound(keys[rows.length - 1], true);
      }
    },
    keys: (name) => table(name).getAllKeys() as unknown as Promise<number[]>,
    get: (name, key) => table(name).get(key as string) as Promise<never>,
    has: async (name, key) => (await table(name).getKey(key as string)) !== undefined,
    put: (name, value, key) => write(table(name).put(value, key as string)),
    del: (name, key) => write(table(name).delete(key as string)),
    clear: (name) => write(table(name).clear()),
  };
};

/**
 * The IndexedDB buffer, shared by every tab of the origin (runs in the worker). A connection the
 * browser closes is reopened once; after a second close, or when a newer version of the database
 * opens in another tab, every call fails: the page then falls back to memory.
 * @param log where the connection's events are told (the page's debug log)
 */
export const createIdbStore = async (limits: StoreLimits, log: (message: string) => void = noop): Promise<EventStore> => {
  let lost: Error | undefined;
  let reopened = false;
  const open = (): Promise<BufferDatabase> =>
    openBufferDatabase({
      blocked: () => log('the buffer waits for an older tab to close its database'),
      blocking() {
        lost = new Error('a newer version of the buffer opened in another tab');
        log(lost.message);
      },
      terminated() {
        log('the browser closed the buffer database');
        if (reopened) lost = new Error('the browser closed the buffer database twice');
        else {
          reopened = true;
          connection = open();
          // a failed reopen is told by the next call
          connection.catch(noop);
        }
      },
    });
  let connection = open();
  await connection;

  const run: Run = async (fn) => {
    if (lost) throw lost;
    const db = await connection;
    // relaxed: the commit does not wait for the disk flush; a crash of the browser still keeps it
    const transaction = db.transaction(TABLE_NAMES, 'readwrite', { durability: 'relaxed' });
    const changed = fn(txOf(transaction)).catch((error) => {
      // nothing of a failed change is kept (abort throws when the transaction already ended)
      try {
        transaction.abort();
      } catch {
        // it had already ended
      }
      throw error;
    });
    // both settled: after a failed `fn` the abort's rejection is handled too
    const [result] = await Promise.all([changed, transaction.done]);
    return result;
  };
  return createStore(run, limits);
};
