// Every type that crosses a folder boundary lives here, so the data flow
// (collect/model -> privacy -> buffer -> transport) reads from one place.

export type EventType =
  | 'vital'
  | 'interaction'
  | 'route'
  | 'error'
  | 'inference'
  | 'inference_summary'
  | 'alert'
  | 'custom';

/** One event as it goes on the wire (SPEC §4). */
export interface TelltaleEvent {
  id: string;
  type: EventType;
  /** Epoch milliseconds. */
  t: number;
  /** Scrubbed path of the page the event happened on. */
  page: string;
  [field: string]: unknown;
}

/** What the envelope says about the app; one per batch. */
export interface AppInfo {
  name: string;
  release?: string;
  env?: string;
}

/**
 * The envelope fields an event must share with every other event of its batch.
 * Stored beside each event so a batch never mixes sessions, users or releases.
 */
export interface EnvelopeContext {
  app: AppInfo;
  session: string;
  user?: string;
}

/** Reasons an event can be dropped before delivery; each is counted in `stats().dropped`. */
export type DropReason = 'age' | 'size' | 'count' | 'rejected' | 'rate' | 'invalid';

export type DropCounts = Record<DropReason, number>;

/** The body of one request (SPEC §4, version 1). */
export interface Envelope extends EnvelopeContext {
  v: 1;
  batch: string;
  sentAt: number;
  sdk: string;
  /** Events dropped since the last delivered batch, by reason (only when any were). */
  dropped?: Partial<DropCounts>;
  events: TelltaleEvent[];
}

export type DisabledReason = 'ssr' | 'dnt' | 'gpc' | 'consent' | 'sampled' | 'options' | 'shutdown';

/** Events the privacy gate removed before storage, by gate; each is counted in `stats().removed`. */
export interface RemovedCounts {
  /** Out of the session sample or a per-signal rate. */
  sampled: number;
  /** Held waiting for consent, then denied. */
  consent: number;
  /** Dropped by the site's `beforeSend`. */
  beforeSend: number;
  /** Errors over `maxErrors` in the session. */
  maxErrors: number;
}

export interface Stats {
  /** Events waiting in the buffer, in flight or waiting for a retry. */
  buffered: number;
  /** Events in batches currently on the wire. */
  inFlight: number;
  /** Events a 2xx response confirmed. */
  sent: number;
  /** Events in batches that failed and wait for their next attempt. */
  retrying: number;
  /** Events dropped, by reason. */
  dropped: DropCounts;
  /** Events in batches the endpoint answered with a 4xx other than 408/429. */
  rejected: number;
  /** Events whose data had to be cleaned (truncated, cycles cut, bad values removed). */
  cleaned: number;
  /** Errors caught inside the SDK itself; never thrown into the page. */
  internalErrors: number;
  /** Epoch ms until which nothing is sent to the endpoint (429 / 503 Retry-After); 0 if none. */
  rateLimitedUntil: number;
  /** Events the privacy gate removed, by gate. */
  removed: RemovedCounts;
  /** Which buffer holds events. */
  buffer: 'memory' | 'indexeddb' | 'none';
  /** Why the SDK does nothing, when it does nothing. */
  disabled?: DisabledReason;
}

export interface BatchInfo {
  batch: string;
  events: number;
  bytes: number;
  status: number;
  /** How the batch left: a fetch whose answer was read, or a beacon that cannot be confirmed. */
  via: 'fetch' | 'beacon';
}

export interface ClientEvents {
  event: TelltaleEvent;
  batch: BatchInfo;
  alert: TelltaleEvent;
  stats: Stats;
}

export interface Options {
  /** Ingest URL (http or https, absolute or relative to the page). Required. */
  endpoint: string;
  /** App name sent in every envelope. Required. */
  app: string;
  release?: string;
  env?: string;
  /** Share of sessions kept, 0..1. Default 1. */
  sampleRate?: number;
  /** Honour Do-Not-Track and Global Privacy Control. Default true. */
  respectDoNotTrack?: boolean;
  /** Print debug warnings to the console. Default false. */
  debug?: boolean;
  /** Events per batch, 1..500. Default 50. */
  batchSize?: number;
  /** Longest wait before a non-full batch leaves, in ms. Default 5000. */
  flushIntervalMs?: number;
  /** Most events held in the buffer; the oldest go first. Default 5000. */
  maxBufferEvents?: number;
  /** Collectors to start (each on by default when the build includes it). */
  collect?: { [K in CollectorName]?: boolean };
  /** Per-signal rates, 0..1, nested inside the session's `sampleRate`. Default 1 each. */
  sampling?: { [K in Signal]?: number };
  /** Hold events in memory until `setConsent('granted')`. Default false. */
  requireConsent?: boolean;
  /** Called with every `setConsent()` choice, for the site to persist it. */
  onConsent?: (choice: Consent) => void;
  /** Record the text of clicked elements (e-mails and digit runs masked). Default false. */
  captureText?: boolean;
  /** Query parameters kept in recorded URLs (their values scrubbed). Default none. */
  allowParams?: string[];
  /** Salt of the `setUser` hash. Default the app name. */
  userSalt?: string;
  /** Sees every event last, after scrubbing; returns it (changed or not), or null/false to drop it. */
  beforeSend?: (event: TelltaleEvent) => TelltaleEvent | null | false | undefined | void;
  /** Most `error` events per session. Default 100. */
  maxErrors?: number;
  /** How often each model's `inference_summary` goes out, in ms; 0: only on flush and page hide. Default 60000. */
  summaryIntervalMs?: number;
  /** Calls a model's drift baseline is learned from when `setBaseline` gave none. Default 200. */
  baselineSize?: number;
  /** Mean latency a model may take before its health drops, in ms. Default 100. */
  latencyBudgetMs?: number;
  /** Critical alert when the error rate of the last 100 calls is over this; 1 turns it off. Default 0.05. */
  alertErrorRate?: number;
  /** Warning alert when the mean latency of the last 100 calls is over this, in ms; 0 turns it off. Default 500. */
  alertLatencyMs?: number;
  /** Warning alert when the model served less than this share of the last 100 calls; 0 turns it off. Default 0.95. */
  alertServedRate?: number;
  /** Critical alert from this drift severity on. Default 'high'. */
  alertDrift?: 'high' | 'medium' | 'off';
  /** Most bytes held in the buffer; the oldest go first. Default 5,000,000. */
  maxBufferBytes?: number;
  /** Events older than this are dropped, sent or not, in ms. Default 86,400,000 (24 h). */
  maxAgeMs?: number;
  /** Events sent per minute at most; more wait in the buffer. Default 6000. */
  maxEventsPerMinute?: number;
  /** Requests per minute at most; more wait. Default 120. */
  maxRequestsPerMinute?: number;
  /** URL of a self-hosted copy of the worker script, for a CSP without `blob:` workers. */
  workerUrl?: string;
}

/** How `wrapInference` describes and protects one model's calls. */
export interface InferenceOptions<F extends (...args: any[]) => any> {
  model: string;
  version?: string;
  /** Where it runs (wasm, webgpu, webgl, cpu...). */
  backend?: string;
  /** The backend that was asked for, when it may differ from the one used. */
  backendRequested?: string;
  /** Size of the input (elements, characters...) from the call's arguments. */
  inputSize?: (args: Parameters<F>) => number;
  /** One number that describes an output (a score, a mean); what drift is measured on. */
  summarize?: (output: Awaited<ReturnType<F>>) => number | undefined;
  /** Called with the same `this` and arguments when the model fails or is slower than `timeoutMs`. */
  fallback?: F;
  /** With a fallback: a promise-returning call not settled after this many ms is served by the fallback. */
  timeoutMs?: number;
}

/** One inference as `recordInference` takes it and the `inference` event carries it. */
export interface InferenceRecord {
  model: string;
  durationMs: number;
  ok: boolean;
  /** Who served the result; default 'model'. */
  source?: 'model' | 'fallback';
  version?: string;
  backend?: string;
  backendRequested?: string;
  /** Error class (its name) when it failed; 'Timeout' when the fallback took over after `timeoutMs`. */
  error?: string;
  /** Error message, scrubbed of personal data. */
  message?: string;
  inputSize?: number;
  /** The number `summarize` made of the output. */
  output?: number;
  /** Time spent in kernels (TensorFlow.js `tf.time`), when measured. */
  kernelMs?: number;
  /** Set by telltale on the first call of a model in this page. */
  cold?: boolean;
}

/** What a model's outputs and latency normally look like; drift is measured against it. */
export interface Baseline {
  mean?: number;
  std?: number;
  latencyMs?: number;
  latencyStdMs?: number;
}

export type DriftSeverity = 'none' | 'medium' | 'high';

export interface DriftReport {
  severity: DriftSeverity;
  /** Mean of the last 100 outputs against the baseline, in standard errors. */
  meanShiftZ?: number;
  /** Variance of the last 100 outputs over the baseline's. */
  varianceRatio?: number;
  /** Mean log-latency of the last 100 calls against the baseline, in standard errors. */
  latencyZ?: number;
}

export type CollectorName = 'vitals' | 'interactions' | 'routes' | 'errors' | 'longTasks';
/** Signals with their own sampling rate. */
export type Signal = 'vitals' | 'interactions' | 'errors' | 'inference';
export type Consent = 'granted' | 'denied';

/** What collectors read from the options. */
export interface CollectOptions {
  captureText: boolean;
  allowParams: string[];
}

/** Starts a collector: it feeds the recorder, never stores or sends. */
export type Collector = (recorder: Recorder, options: CollectOptions) => Part;

export interface Client {
  track(name: string, data?: Record<string, unknown>): void;
  /** Attaches a SHA-256 hash (salted per app) of the id to later events; null detaches it. */
  setUser(id: string | null): void;
  /** 'granted' releases held events; 'denied' discards them and stops the SDK. */
  setConsent(choice: Consent): void;
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => void;
  stats(): Stats;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /** A function with the same signature that times and records every call of `fn`. */
  wrapInference<F extends (...args: any[]) => any>(fn: F, options: InferenceOptions<F>): F;
  /** Records an inference timed by the caller. */
  recordInference(record: InferenceRecord): void;
  /** Sets what drift is measured against for `model` (fields left out are learned from its first calls). */
  setBaseline(model: string, baseline: Baseline): void;
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
   * Answered for good (`ok` false: rejected, counted): forget it; with `next`, claims the next
   * batches in the same transaction.
   */
  ackBatch(batchId: string, ok: boolean, next?: ClaimRequest): Promise<ClaimResult>;
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
