// Types the SDK's parts share and a site never sees: the recorder collectors feed,
// the buffer's events and batches. index.ts does not export them.
import type { DropCounts, EventType } from './types';

/** What collectors read from the options. */
export interface CollectOptions {
  captureText: boolean;
  allowParams: string[];
  vitalsReportAllChanges: boolean;
}

/** The way into the pipeline that collectors and model monitors get; they never store or send. */
export interface Recorder {
  /** Adds an event; costs O(1) on the calling task, the rest happens after it. */
  record(type: EventType, fields: Record<string, unknown>): void;
  /** Counts an error caught inside the SDK; it never reaches the page. */
  internal(error: unknown): void;
}

/** A collector or model monitor the client starts with a Recorder. */
export interface Part {
  /** Emits what it holds (summaries) now: before `flush()` and when the page hides. */
  flush?(): void;
  stop(): void;
}

/** An event as the buffer holds it: encoded once, sent as is on every attempt. */
export interface StoredEvent {
  id: string;
  /** `JSON.stringify(EnvelopeContext)`: events of one batch share it. */
  ctx: string;
  /** The event's wire JSON. */
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
  /** When it was tracked (epoch ms), for the age cap. */
  t: number;
}

/** A batch taken from the buffer; its id and events stay the same on every retry. */
export interface ClaimedBatch {
  id: string;
  ctx: string;
  events: StoredEvent[];
  /** How many times it was sent before. */
  attempts: number;
  /** Drops to report in its envelope, fixed when it was formed so every attempt sends the same body. */
  dropped?: Partial<DropCounts>;
}

export interface BufferCounts {
  buffered: number;
  inFlight: number;
  retrying: number;
}

/** What a store reports after each change. */
export interface StoreCounts {
  /** Events held, of every tab of the origin, in flight or not. */
  buffered: number;
  /** Events this store dropped for its caps, by reason. */
  dropped: Partial<DropCounts>;
}

/** The store's caps: over any of them the oldest events go first. */
export interface StoreLimits {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
}

/**
 * Where events wait until a response confirms them: IndexedDB in a worker, shared by
 * the origin's tabs, or memory. Asynchronous, as the worker is.
 */
export interface EventStore {
  /** `dropped`: drops made before the store (too large, ...) to report with the next new batch. */
  append(events: StoredEvent[], dropped?: Partial<DropCounts>): Promise<StoreCounts>;
  /**
   * The next batch ready to send: a retry due by `due`, or a new one of up to
   * `maxEvents`/`maxBytes` (with `partial`, a new batch need not be full).
   */
  claim(maxEvents: number, maxBytes: number, due: number, partial: boolean): Promise<ClaimedBatch | undefined>;
  /** Answered for good (`ok` false: rejected, counted): forget it. */
  ack(batchId: string, ok: boolean): Promise<StoreCounts>;
  /** Failed: keep it, same id and events, until `retryAt`. */
  release(batchId: string, retryAt: number): Promise<StoreCounts>;
  /** A batch the page formed itself at exit, so it keeps its id if it must be sent again. */
  adopt(batch: ClaimedBatch): Promise<unknown>;
  counts(): Promise<StoreCounts>;
  /** Raises the shared "send nothing until" time (Retry-After) to `until`; resolves to the stored time. */
  limit(until: number): Promise<number>;
}
