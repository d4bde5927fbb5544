/**
 * The buffer's three tables: `waiting` holds groups of events not yet in a batch (one row per
 * append, oldest first: a row costs a round trip to the browser's storage, an event in it almost
 * nothing), `batches` the claimed batches in the order they were made, `meta` the shared totals,
 * the drops not yet reported and the rate limit.
 */
export type TableName = 'waiting' | 'batches' | 'meta';
export const TABLE_NAMES: TableName[] = ['waiting', 'batches', 'meta'];

/** One transaction over the three tables. */
export interface Tx {
  /** Rows of `table` in key order; `each` returns false to stop. */
  scan<Row>(table: 'waiting' | 'batches', each: (row: Row, key: number) => unknown): Promise<void>;
  /** Every key of `table`, in order, without reading the rows (a batch row holds all its events). */
  keys(table: 'waiting' | 'batches'): Promise<number[]>;
  get<Row>(table: TableName, key: number | string): Promise<Row | undefined>;
  /** Whether a row is at `key`, without reading it. */
  has(table: TableName, key: number | string): Promise<boolean>;
  /** Without a key: appended with the next key (in `waiting`). */
  put(table: TableName, value: unknown, key?: number | string): void;
  del(table: TableName, key: number | string): void;
  clear(table: TableName): void;
}

/**
 * Runs `fn` in one transaction and resolves to its result once committed; nothing of a failed
 * `fn` is kept. `fn` may await only the transaction's own calls (IndexedDB commits a transaction
 * left without a pending request).
 */
export type Run = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
