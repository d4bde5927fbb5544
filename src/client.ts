import { openStore, type OpenedStore } from './buffer/openStore';
import { createEnvelopeContext } from './envelopeContext';
import type { Part, Recorder } from './internal';
import { attempt } from './lib/attempt';
import { clean } from './lib/clean';
import { warn } from './lib/debug';
import { startLifecycle } from './lifecycle';
import { createListeners } from './listeners';
import { createModels, noModelStats, type Models } from './model/models';
import type { Config } from './options';
import { createPipeline } from './pipeline';
import { createConsentHold, isConsent } from './privacy/consent';
import { createPrivacyGate } from './privacy/privacyGate';
import { createUserIdentity } from './privacy/userIdentity';
import { createSession } from './session';
import { createCounters, snapshotStats } from './stats';
import { createDrainSchedule } from './drainSchedule';
import { whenIdle } from './lib/whenIdle';
import { createSender, type Sender } from './transport/sender';
import type { BatchInfo, BufferLoss, Client, Collector, CollectorName, DisabledReason, Stats, TelltaleEvent } from './types';

// Room left for `track()` data inside the 16 KB event cap, in bytes.
const MAX_DATA_BYTES = 15_000;
const MAX_NAME_CHARS = 200;
/** The buffer, the worker and the observers of buffered entries start once the page is idle, or after this long, in ms. */
const START_TIMEOUT_MS = 1_000;
/** Collectors that read buffered performance entries: they miss nothing by starting after init(). */
const STARTED_LATER: CollectorName[] = ['longTasks'];

/**
 * Starts the collectors the options switch on, of those `now` asks for (the ones that must
 * listen from init(), or the ones started later); one that throws when it starts is counted and
 * left out. Adds them to `parts`.
 */
const startCollectors = (recorder: Recorder, config: Config, collectors: { [K in CollectorName]?: Collector }, now: boolean, parts: Part[]) => {
  let name: CollectorName;
  for (name in collectors) {
    const collector = collectors[name];
    if (!config.collect[name] || !collector || STARTED_LATER.includes(name) == now) continue;
    const part = attempt(recorder.internal, collector, recorder, config);
    if (part) parts.push(part);
  }
};

/**
 * A running client. It only wires the pipeline: collectors and model monitors → the record
 * queue (./pipeline) → the privacy gate (./privacy) → the buffer (./buffer) → the sender
 * (./transport), with the page-exit and halt lifecycle (./lifecycle). Its task only reads the
 * options and adds the listeners of what cannot be observed later (clicks, errors, navigations,
 * the page's exit); the buffer, the worker and the other observers start when the page is idle,
 * and what is recorded before waits in the record queue.
 * @param onShutdown it has stopped (shutdown, consent denied): init() may start another
 */
export const createClient = (config: Config, collectors: { [K in CollectorName]?: Collector }, onShutdown: () => void): Client => {
  const counters = createCounters();
  const { delivery, removed } = counters;
  let stopped = false;
  let disabled: DisabledReason | undefined;
  let sender: Sender | undefined;
  let buffer: Stats['buffer'] = 'none';
  let bufferLost: BufferLoss | undefined;
  let opened: OpenedStore | undefined;

  const internal = (error: unknown) => {
    counters.internalErrors++;
    warn('internal error', error);
  };
  const listeners = createListeners(() => client.stats());
  const context = createEnvelopeContext({ name: config.app, release: config.release, env: config.env });
  const session = createSession();
  const gate = createPrivacyGate(config, session, removed, internal, context.setSession);
  const setUser = createUserIdentity(config.userSalt, config.app, context.setUser, internal);

  // The buffer opens with the first event past the privacy gate (at once unless consent is
  // required): no IndexedDB database exists before the site may store anything.
  /** @param onlyIfStored to purge: the worker's store opens only where the origin has its database */
  const openSender = (onlyIfStored?: boolean): Sender => {
    if (sender) return sender;
    const limits = { maxEvents: config.maxBufferEvents, maxBytes: config.maxBufferBytes, maxAgeMs: config.maxAgeMs };
    buffer = 'memory';
    opened = openStore(limits, config.workerUrl && new URL(config.workerUrl, location.href).href, config.debug, onlyIfStored);
    opened.shared.then((isIndexedDb) => {
      if (isIndexedDb) buffer = 'indexeddb';
    });
    // the worker's store was given up (a newer version in another tab, closed twice, no answer): memory from then on
    opened.lost.then((reason) => {
      buffer = 'memory';
      bufferLost = reason;
    });
    const onBatch = (info: BatchInfo) => listeners.emit('batch', info);
    sender = createSender(config, opened, delivery, onBatch, listeners.statsChanged, internal, () => withdrawConsent(false));
    return sender;
  };

  const drains = createDrainSchedule();
  /**
   * `track()`'s data, cleaned after the task that tracked it: read then, not when `track()` was
   * called. `data` is a required field of `custom` events (SPEC §4): {} when none was given (or
   * none was kept).
   */
  const cleanTrackData = (event: TelltaleEvent) => {
    if (event.type != 'custom') return;
    const cleaned = clean(event.data, MAX_DATA_BYTES);
    if (cleaned.changed) {
      counters.cleaned++;
      warn('track() data cleaned:', event.name);
    }
    event.data = cleaned.value ?? {};
  };

  const pipeline = createPipeline({
    allowParams: config.allowParams,
    consent: createConsentHold(config.requireConsent, config.maxBufferEvents, () => delivery.dropped.count++),
    gate,
    context,
    protocol: config.protocol,
    cleanPageData: cleanTrackData,
    store: (events) => openSender().add(events),
    emit: listeners.emit,
    scheduleDrain: drains.schedule,
    dropped: delivery.dropped,
    onError: internal,
  });

  const recorder: Recorder = {
    record(type, fields) {
      if (!stopped) pipeline.record(type, fields);
    },
    internal,
  };
  // model monitoring's state is made with the page's first model call: a page without models holds none
  let models: Models | undefined;
  const modelsNow = () => (models ??= createModels(recorder, config, () => delivery.dropped.invalid++));
  const modelsPart: Part = { flush: () => models?.flush?.(), stop: () => models?.stop() };
  const parts: Part[] = [modelsPart];
  startCollectors(recorder, config, collectors, true, parts);
  const lifecycle = startLifecycle(recorder, parts, pipeline.drain, () => sender, onShutdown);

  /**
   * The rest of the start, after init()'s task (or at `flush()`, which cannot wait): the buffer
   * (unless consent is pending), the later collectors, the first drain.
   */
  let started = false;
  const startRest = () => {
    if (stopped || started) return;
    started = true;
    if (!config.requireConsent) openSender();
    startCollectors(recorder, config, collectors, false, parts);
    drains.start();
  };
  // a client halted before then starts nothing
  whenIdle(startRest, START_TIMEOUT_MS);

  const halt = (reason?: DisabledReason) => {
    stopped = true;
    disabled = reason;
    drains.stop();
    lifecycle.halt();
  };

  /**
   * Consent withdrawn, here or in another tab of the origin: what telltale keeps on the device
   * goes (the events held or queued in memory, the session in sessionStorage, the origin's
   * buffered events) and nothing more is recorded or sent.
   * @param here denied by this page: the sender deletes the buffered events and tells the other tabs
   */
  const withdrawConsent = (here: boolean) => {
    if (stopped) return;
    removed.consent += pipeline.discard();
    session.remove();
    // what an earlier page of the origin stored goes too: a page that never opened the buffer opens
    // it to purge it, where the origin has a buffer database (none is created only to be emptied)
    if (here) (sender ?? openSender(true)).purge().catch(internal);
    halt('consent');
  };

  const client: Client = {
    track(name, data) {
      if (stopped) return;
      if (typeof name != 'string' || !name.trim()) {
        delivery.dropped.invalid++;
        return warn('track() needs a name, got', name);
      }
      // the data is cleaned with the task's other events (cleanTrackData)
      recorder.record('custom', { name: name.slice(0, MAX_NAME_CHARS), data });
    },
    setUser(id) {
      if (!stopped) setUser(id);
    },
    setConsent(choice) {
      if (stopped) return;
      if (!isConsent(choice)) return warn('setConsent() needs granted or denied, got', choice);
      if (config.onConsent) attempt(internal, config.onConsent, choice);
      if (choice == 'granted') pipeline.release();
      else withdrawConsent(true);
    },
    on: listeners.on,
    stats() {
      const bufferState = { buffer, bufferReopened: opened?.reopened() ?? 0, bufferLost };
      return snapshotStats(counters, sender?.counts(), bufferState, disabled ?? (gate.sampledOut() ? 'sampled' : undefined), models?.stats() ?? noModelStats());
    },
    async flush() {
      if (stopped) return;
      try {
        startRest();
        // the model aggregates, if loading, hold calls their summary must count
        await models?.ready();
        if (stopped) return;
        lifecycle.settle();
        await sender?.flush();
      } catch (error) {
        internal(error);
      }
    },
    wrapInference: (fn, options) => (stopped ? fn : modelsNow().wrap(fn, options)),
    recordInference(record) {
      if (!stopped) modelsNow().record(record);
    },
    setBaseline(model, baseline) {
      if (!stopped) modelsNow().baseline(model, baseline);
    },
    async shutdown() {
      if (stopped) return;
      await client.flush();
      halt();
    },
  };
  return client;
};
