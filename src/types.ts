// The types a site sees: options, the client, its events and stats, the wire format.
// Types only the SDK's own parts share (the recorder, the buffer's) live in internal.ts.
import type { CollectOptions, Part, Recorder } from './internal';

/** The kinds of event on the wire (SPEC §4); each has its own required fields. */
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
  /** Random id, the same on every retry: a backend dedupes by it. */
  id: string;
  /** Which kind of event, and so which fields it carries. */
  type: EventType;
  /** Epoch milliseconds. */
  t: number;
  /** Scrubbed path of the page the event happened on. */
  page: string;
  [field: string]: unknown;
}

/** What the envelope says about the app; one per batch. */
export interface AppInfo {
  /** The `app` option. */
  name: string;
  /** The `release` option, when given. */
  release?: string;
  /** The `env` option, when given. */
  env?: string;
}

/**
 * The envelope fields an event must share with every other event of its batch.
 * Stored beside each event so a batch never mixes sessions, users or releases.
 */
export interface EnvelopeContext {
  /** Who sent the events. */
  app: AppInfo;
  /** Random session id (sessionStorage; renewed after 30 min idle or 4 h). */
  session: string;
  /** Salted SHA-256 (hex) of the `setUser` id, only after `setUser`. */
  user?: string;
}

/** Reasons an event can be dropped before delivery; each is counted in `stats().dropped`. */
export type DropReason = 'age' | 'size' | 'count' | 'rejected' | 'rate' | 'invalid';

/** Events dropped, by reason (`stats().dropped`). */
export type DropCounts = Record<DropReason, number>;

/** The body of one request (SPEC §4, version 1). */
export interface Envelope extends EnvelopeContext {
  /** Wire format version. */
  v: 1;
  /** Batch id, the same on every retry: a backend dedupes by it. */
  batch: string;
  /** When the request left, epoch ms. */
  sentAt: number;
  /** `telltale/<version>`. */
  sdk: string;
  /** Events dropped since the last delivered batch, by reason (only when any were). */
  dropped?: Partial<DropCounts>;
  /** The batch's events, in the order they were recorded. */
  events: TelltaleEvent[];
}

/**
 * Why the SDK does nothing (`stats().disabled`): server-side rendering, Do-Not-Track, Global
 * Privacy Control, consent denied, the session sampled out, a bad script-tag attribute, or `shutdown()`.
 */
/**
 * Why an IndexedDB buffer was given up for memory: a tab of a newer release opened a newer schema
 * (`newer-version`), the browser closed the connection a second time (`closed`: storage cleared, a
 * failing disk), or a call to the worker failed or went unanswered for 5 s (`failed`).
 */
export type BufferLoss = 'newer-version' | 'closed' | 'failed';

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

/** What `stats()` returns: where every event is, and why any was dropped or removed. */
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
  /** Times the browser closed the IndexedDB connection and it was reopened (once at most: a second close means memory). */
  bufferReopened: number;
  /** Why the IndexedDB buffer was given up for memory, once it was. */
  bufferLost?: BufferLoss;
  /** Model monitoring: the cap and the fleet baselines. */
  models: ModelStats;
  /** Why the SDK does nothing, when it does nothing. */
  disabled?: DisabledReason;
}

/** Model monitoring's counts in `stats().models`. */
export interface ModelStats {
  /** Models past `maxModels`: their calls send `inference` events but get no summary, drift or alerts. */
  overCap: number;
  /** Models the fleet baselines of `baselineUrl` named, once they arrived. */
  fleetBaselines: number;
  /** Fetches of `baselineUrl` that failed (network, status, body); the models then learn their own. */
  fleetBaselineFailures: number;
}

/** What a `batch` listener hears of each request. */
export interface BatchInfo {
  /** The batch id (the envelope's `batch`). */
  batch: string;
  /** Events in the batch. */
  events: number;
  /** Bytes of the request body. */
  bytes: number;
  /** HTTP status; 0 for a network failure or a beacon (nothing confirms it). */
  status: number;
  /** How the batch left: a fetch whose answer was read, or a beacon that cannot be confirmed. */
  via: 'fetch' | 'beacon';
}

/** What each `on()` listener type receives. */
export interface ClientEvents {
  /** Each event as it is stored and sent: scrubbed, past `beforeSend`. */
  event: TelltaleEvent;
  /** Each request and its answer. */
  batch: BatchInfo;
  /** Each `alert` event of model monitoring (raised or cleared). */
  alert: TelltaleEvent;
  /** `stats()` after delivery changed, at most once per task. */
  stats: Stats;
}

/** What `init()` takes; every option is checked, and a bad one throws a TypeError naming it. */
export interface Options {
  /** Ingest URL (http or https, absolute or relative to the page). Required. */
  endpoint: string;
  /**
   * Wire format. `'telltale'` (default): one JSON envelope per batch to `endpoint`, no preflight.
   * `'otlp'`: OTLP/HTTP JSON to `{endpoint}/v1/logs` and `{endpoint}/v1/metrics` (`endpoint` is an
   * OpenTelemetry Collector's base URL; `application/json` is preflighted, so its receiver lists
   * the site in `cors.allowed_origins`). Script tag: `data-protocol`.
   */
  protocol?: 'telltale' | 'otlp';
  /** App name sent in every envelope. Required. */
  app: string;
  /** App release (a version, a commit) sent in every envelope. Default none. */
  release?: string;
  /** Environment (`production`, `staging`...) sent in every envelope. Default none. */
  env?: string;
  /** Share of sessions kept, 0..1. Default 1. */
  sampleRate?: number;
  /** Honour Do-Not-Track and Global Privacy Control. Default true. */
  respectDoNotTrack?: boolean;
  /** Print debug warnings to the console. Default false. */
  debug?: boolean;
  /** Events per batch, 1..500 (a batch also ends before 60,000 bytes). Default 500: fewer, fuller requests. */
  batchSize?: number;
  /** Longest wait before a non-full batch leaves, in ms. Default 5000. */
  flushIntervalMs?: number;
  /** Most events held in the buffer; the oldest go first. Default 5000. */
  maxBufferEvents?: number;
  /** Collectors to start (each on by default when the build includes it). */
  collect?: { [K in CollectorName]?: boolean };
  /** Send a vital each time web-vitals sees it change (its `reportAllChanges`), not only its final value. Default false. */
  vitalsReportAllChanges?: boolean;
  /** Per-signal rates, 0..1, nested inside the session's `sampleRate`. Default 1 each. */
  sampling?: { [K in Signal]?: number };
  /** Hold events in memory until `setConsent('granted')`. Default false. */
  requireConsent?: boolean;
  /** Called with every `setConsent()` choice, for the site to persist it (telltale does not). Default none. */
  onConsent?: (choice: Consent) => void;
  /** Record the text of clicked elements (e-mails and digit runs masked). Default false. */
  captureText?: boolean;
  /** Query parameters kept in recorded URLs (their values scrubbed). Default none. */
  allowParams?: string[];
  /**
   * Salt of the `setUser` hash, and what makes that hash hard to reverse: a value of the site that
   * events never carry. Without it the app name salts the hash; as every envelope carries the app
   * name, anyone holding the events can hash a dictionary of likely ids (e-mails) and match them,
   * so the default hash is pseudonymous only (`debug` warns once when `setUser` is called without it).
   */
  userSalt?: string;
  /** Sees every event last, after scrubbing; returns it (changed or not), or null/false to drop it. Default none. */
  beforeSend?: (event: TelltaleEvent) => TelltaleEvent | null | false | undefined | void;
  /** Most `error` events per session. Default 100. */
  maxErrors?: number;
  /** How often each model's `inference_summary` goes out, in ms; 0: only on flush and page hide. Default 60000. */
  summaryIntervalMs?: number;
  /**
   * Calls a model's drift baseline is learned from when neither `setBaseline` nor `baselineUrl`
   * gave one; a stream whose calls depend on each other learns from more (up to 10×). Default 200.
   */
  baselineSize?: number;
  /**
   * URL of baselines learned from the whole fleet, `{ [model]: { mean, std, latencyMs,
   * latencyStdMs, n, version } }` (the reference ingest serves them at `GET /v1/baselines`).
   * Fetched once per session without credentials, never delaying a call; the models it names
   * are measured against it from their first calls. `setBaseline` wins over it. Script tag:
   * `data-baseline-url`. Default none: each model learns its own baseline.
   */
  baselineUrl?: string;
  /**
   * Models monitored at once (summaries, drift, alerts); calls of later models still send
   * their `inference` events, and the models are counted in `stats().models.overCap`. Default 32.
   */
  maxModels?: number;
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
  /** URL of a self-hosted copy of the worker script, for a CSP without `blob:` workers. Default none: the worker is started from the SDK's own code. */
  workerUrl?: string;
}

/** How `wrapInference` describes and protects one model's calls. */
export interface InferenceOptions<F extends (...args: any[]) => any> {
  /** Model name: summaries, drift and alerts are kept per model. Required. */
  model: string;
  /** Model version, sent with each call and summary. Default none. */
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
  /** Model name. Required. */
  model: string;
  /** How long the call took, in ms. Required. */
  durationMs: number;
  /** False when the model threw, rejected or timed out. Required. */
  ok: boolean;
  /** Who served the result; default 'model'. */
  source?: 'model' | 'fallback';
  /** Model version. */
  version?: string;
  /** Where it ran (wasm, webgpu, webgl, cpu...). */
  backend?: string;
  /** The backend that was asked for, when it may differ from the one used. */
  backendRequested?: string;
  /** Error class (its name) when it failed; 'Timeout' when the fallback took over after `timeoutMs`. */
  error?: string;
  /** Error message, scrubbed of personal data. */
  message?: string;
  /** Size of the input (elements, characters...). */
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
  /** Mean of the `summarize` outputs. */
  mean?: number;
  /** Standard deviation of the outputs. */
  std?: number;
  /** Typical latency, in ms. */
  latencyMs?: number;
  /** Standard deviation of the latency, in ms. */
  latencyStdMs?: number;
}

/** How far a model drifted: `medium` from |z| ≥ 2, `high` from 3, while a CUSUM says something changed. */
export type DriftSeverity = 'none' | 'medium' | 'high';

/** A summary's `drift`: the severity and the statistics behind it. */
export interface DriftReport {
  /** The highest severity of the checks. */
  severity: DriftSeverity;
  /** Mean of the last 100 outputs against the baseline, in standard errors. */
  meanShiftZ?: number;
  /** Variance of the last 100 outputs over the baseline's. */
  varianceRatio?: number;
  /**
   * Lag-1 autocorrelation of the outputs the tests are scaled by (the baseline's or the last
   * 100 calls', whichever is higher): near 0 for independent calls, near 1 for consecutive
   * video frames.
   */
  autocorrelation?: number;
  /** Mean log-latency of the last 100 calls against the baseline, in standard errors. */
  latencyZ?: number;
}

/** The collectors `init()` starts; each can be switched off in `collect`. */
export type CollectorName = 'vitals' | 'interactions' | 'routes' | 'errors' | 'longTasks';
/** Signals with their own sampling rate. */
export type Signal = 'vitals' | 'interactions' | 'errors' | 'inference';
/** A consent choice for `setConsent()`. */
export type Consent = 'granted' | 'denied';

/** Starts a collector: it feeds the recorder, never stores or sends. */
export type Collector = (recorder: Recorder, options: CollectOptions) => Part;

/** What `init()` returns (the script tag's `Telltale.client`). Only `init()` throws; no method does. */
export interface Client {
  /** Records a `custom` event; `data` is cleaned (cycles cut, capped) and scrubbed, a bad name dropped and counted. */
  track(name: string, data?: Record<string, unknown>): void;
  /** Attaches a SHA-256 hash of the id, salted with `userSalt`, to later events; null detaches it. */
  setUser(id: string | null): void;
  /**
   * 'granted' releases held events. 'denied' deletes what telltale keeps on the device (events
   * held or buffered for this origin, the session in sessionStorage), tells the origin's other
   * tabs, which stop too, and stops the SDK: nothing more is recorded or sent.
   */
  setConsent(choice: Consent): void;
  /** Listens to events, batches, alerts or stats; returns the function that removes the listener. */
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => void;
  /** Counts of where every event is and why any was dropped; `disabled` says why the SDK does nothing. */
  stats(): Stats;
  /** Sends what may be sent now (and model summaries); resolves when those requests settled. */
  flush(): Promise<void>;
  /** Flushes, then stops: nothing more is recorded; `init()` may start a new client. */
  shutdown(): Promise<void>;
  /** A function with the same signature that times and records every call of `fn`. */
  wrapInference<F extends (...args: any[]) => any>(fn: F, options: InferenceOptions<F>): F;
  /** Records an inference timed by the caller. */
  recordInference(record: InferenceRecord): void;
  /** Sets what drift is measured against for `model` (fields left out are learned from its first calls). */
  setBaseline(model: string, baseline: Baseline): void;
}
