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
  /** Ids of the events the caps dropped in this change: the page forgets them too. */
  droppedIds?: string[];
}

/** The store's caps: over any of them the oldest events go first. */
export interface StoreLimits {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
}

/** How a batch is formed: at most `batchSize` events of one envelope context, `maxBytes` of events. */
export interface BatchLimits {
  batchSize: number;
  maxBytes: number;
}

/** What a claim may hand out. */
export interface ClaimRequest extends BatchLimits {
  /** Batches at most (the requests the sender may still start). */
  maxBatches: number;
  /** Events at most, over all the batches (the rate limit's tokens). */
  maxEvents: number;
  /** Retries due by this time (epoch ms) may be handed out. */
  due: number;
  /** A new batch need not be full (a flush, the flush interval). */
  partial: boolean;
}

/** A batch answered for good: `ok`, delivered; otherwise rejected (its events are counted as dropped). */
export interface BatchAnswer {
  batchId: string;
  ok: boolean;
}

/** Batches handed out by a claim, and the store's counts after it. */
export interface ClaimResult {
  batches: ClaimedBatch[];
  counts: StoreCounts;
}

/**
 * Where events wait until a response confirms them: IndexedDB in a worker, shared by
 * the origin's tabs, or memory. Asynchronous, as the worker is. Each method is one transaction.
 */
export interface EventStore {
  /** `dropped`: drops made before the store (too large, ...) to report with the next new batch. */
  append(events: StoredEvent[], dropped?: Partial<DropCounts>): Promise<StoreCounts>;
  /** The batches ready to send, oldest first: retries due by `due`, then new ones (see ClaimRequest). */
  claimBatches(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Batches answered for good (`ok` false: rejected, counted): forgets them all; with `next`,
   * claims the next batches in the same transaction, so answers and claims share round trips.
   */
  ackBatches(answers: BatchAnswer[], next?: ClaimRequest): Promise<ClaimResult>;
  /** Failed: keep it, same id and events, not handed out again before `retryAt`. */
  releaseBatch(batchId: string, retryAt: number): Promise<StoreCounts>;
  /**
   * A batch the page formed itself (at exit, or after the store fell back to memory), so it keeps
   * its id if it must be sent again: its events still waiting move into it, as on the wire.
   */
  adoptBatch(batch: ClaimedBatch): Promise<unknown>;
  counts(): Promise<StoreCounts>;
  /** Raises the shared "send nothing until" time (Retry-After) to `until`; resolves to the stored time. */
  limit(until: number): Promise<number>;
  /** Deletes every event, batch and total of the origin (consent withdrawn); the rate limit stays. */
  purge(): Promise<void>;
}
