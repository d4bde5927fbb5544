import type { IDBPTransaction } from 'idb';
import { noop } from '../lib/attempt';
import type { EventStore, StoreLimits } from '../internal';
import type { BufferLoss } from '../types';
import { openBufferDatabase, type BufferDatabase, type BufferSchema } from './bufferDatabase';
import { bufferLostError } from './bufferLost';
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

/** What the IndexedDB store tells its owner about its connection. */
export interface StoreWatch {
  /** The connection's events, for the page's debug log. */
  log(message: string): void;
  /** The browser closed the connection and it was reopened. */
  reopened(): void;
  /** The store was given up: every call fails from now, and the page goes on from memory. */
  lost(reason: BufferLoss): void;
}

/** How long a failed transaction waits for the close event that may explain it, and how often it looks, in ms. */
const CLOSE_EVENT_WAIT_MS = 500;
const CLOSE_EVENT_POLL_MS = 25;
/** Opens tried after the browser closed the connection, and the wait between them, in ms. */
const REOPEN_ATTEMPTS = 5;
const REOPEN_RETRY_MS = 100;

const IGNORE_CONNECTION: StoreWatch = { log: noop, reopened: noop, lost: noop };

/**
 * The IndexedDB buffer, shared by every tab of the origin (runs in the worker). A connection the
 * browser closes is reopened once; after a second close, or when a newer version of the database
 * opens in another tab, every call fails: `watch.lost` tells the page, which falls back to memory.
 */
export const createIdbStore = async (limits: StoreLimits, watch: StoreWatch = IGNORE_CONNECTION): Promise<EventStore> => {
  let lost: Error | undefined;
  let reopened = false;
  const giveUp = (reason: BufferLoss, message: string) => {
    lost = bufferLostError(reason);
    watch.log(message);
    watch.lost(reason);
  };
  const open = (): Promise<BufferDatabase> =>
    openBufferDatabase({
      blocked: () => watch.log('the buffer waits for an older tab to close its database'),
      blocking: () => giveUp('newer-version', 'a newer version of the buffer opened in another tab'),
      terminated() {
        if (reopened) return giveUp('closed', 'the browser closed the buffer database twice');
        watch.log('the browser closed the buffer database: the next call reopens it');
        reopened = true;
        connection = undefined;
      },
    });
  /**
   * Reopens the database the browser closed. Not in its close event, and tried again a few times:
   * an open fails while the browser is still deleting the database.
   */
  const reopen = async (): Promise<BufferDatabase> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const db = await open();
        watch.reopened();
        return db;
      } catch (error) {
        if (attempt < REOPEN_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, REOPEN_RETRY_MS));
          continue;
        }
        giveUp('closed', `the buffer database did not reopen: ${error}`);
        throw lost;
      }
    }
  };
  let connection: Promise<BufferDatabase> | undefined = open();
  await connection;

  /**
   * Whether the connection `used` was closed by the browser under a transaction that just failed:
   * the browser aborts the connection's transactions first and fires its close event in a later
   * task (later still on a busy machine), so this waits for it a while before it tells.
   */
  const closedUnder = async (used: Promise<BufferDatabase>): Promise<boolean> => {
    for (let waitedMs = 0; waitedMs < CLOSE_EVENT_WAIT_MS; waitedMs += CLOSE_EVENT_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, CLOSE_EVENT_POLL_MS));
      if (lost !== undefined || connection !== used) return true;
    }
    return false;
  };
  const run: Run = async (fn) => {
    if (lost) throw lost;
    connection ??= reopen();
    const used = connection;
    const db = await used;
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
    try {
      // both settled: after a failed `fn` the abort's rejection is handled too
      const [result] = await Promise.all([changed, transaction.done]);
      return result;
    } catch (error) {
      if (!(await closedUnder(used))) throw error;
      if (lost) throw lost;
      // cut off by a close the store survives (the connection reopens): nothing of it was kept, so it runs again
      return run(fn);
    }
  };
  return createStore(run, limits);
};
