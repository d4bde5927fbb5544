import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredEvent } from '../internal';
import type { StoredBatch } from './storedBatch';
import { DATABASE_NAME } from './databaseName';
import { TABLE_NAMES } from './tx';

/**
 * 3: tables named for what they hold (`waiting`, `batches`, `meta`). Older versions (pre-release
 * builds: `q`, `b`, `m`) are dropped, not migrated.
 */
export const DATABASE_VERSION = 3;

export interface BufferSchema extends DBSchema {
  waiting: { key: number; value: StoredEvent[] };
  batches: { key: number; value: StoredBatch };
  meta: { key: string; value: unknown };
}

export type BufferDatabase = IDBPDatabase<BufferSchema>;

/** What the connection tells its owner. */
export interface ConnectionEvents {
  /** Another tab holds an older version open: this open waits for it. */
  blocked(): void;
  /** Another tab opens a newer version: this connection was closed to let it in. */
  blocking(): void;
  /** The browser closed the connection (storage cleared, a failing disk). */
  terminated(): void;
}

/** Opens the buffer database, making its tables anew when the version changed. */
export const openBufferDatabase = (events: ConnectionEvents): Promise<BufferDatabase> =>
  openDB<BufferSchema>(DATABASE_NAME, DATABASE_VERSION, {
    upgrade(db) {
      // names of older versions are not in our schema's type
      for (const name of [...(db.objectStoreNames as DOMStringList)]) db.deleteObjectStore(name as never);
      for (const name of TABLE_NAMES) db.createObjectStore(name, name == 'waiting' ? { autoIncrement: true } : undefined);
    },
    blocked: () => events.blocked(),
    blocking(_currentVersion, _blockedVersion, event) {
      // the newer version waits until every older connection is closed: this one goes at once
      (event.target as IDBDatabase).close();
      events.blocking();
    },
    terminated: () => events.terminated(),
  });
