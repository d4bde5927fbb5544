import { encodeEvent } from './buffer/encodeEvent';
import { openStore } from './buffer/openStore';
import { attempt, noop } from './lib/attempt';
import { clean } from './lib/clean';
import { warn } from './lib/debug';
import { randomId } from './lib/id';
import { listen } from './lib/listen';
import { createModels } from './model/models';
import type { Config } from './options';
import { sampled, sampleScore } from './privacy/sampling';
import { scrubPath } from './privacy/scrub';
import { scrubEvent } from './privacy/scrubEvent';
import { hashUser } from './privacy/userHash';
import { createSession } from './session';
import { createSender, type Delivery, type Sender } from './transport/sender';
import type {
  Client,
  ClientEvents,
  CollectorName,
  Collector,
  DisabledReason,
  EventType,
  Part,
  Recorder,
  RemovedCounts,
  Signal,
  Stats,
  StoredEvent,
  TelltaleEvent,
} from './types';

// Room left for `track()` data inside the 16 KB event cap, in bytes.
const MAX_DATA_BYTES = 15_000;
const MAX_NAME_CHARS = 200;

/**
 * The pipeline: collectors and monitors → privacy gate → buffer → sender. Given a `disabled`
 * reason (SSR, Do-Not-Track) it is the same client stopped before anything starts: every call
 * is accepted and does nothing, and nothing below the client object runs.
 */
export const createClient = (
  cfg: Config,
  collectors: { [K in CollectorName]?: Collector },
  onShutdown: () => void,
  disabled?: DisabledReason,
): Client => {
  // the site's listeners: [event type, listener]
  const listeners = new Set<[keyof ClientEvents, (value: never) => void]>();
  const delivery: Delivery = {
    sent: 0,
    rejected: 0,
    rateLimitedUntil: 0,
    dropped: { age: 0, size: 0, count: 0, rejected: 0, rate: 0, invalid: 0 },
  };
  const removed: RemovedCounts = { sampled: 0, consent: 0, beforeSend: 0, maxErrors: 0 };
  let cleaned = 0;
  let internalErrors = 0;
  let stopped = !!disabled;
  let sender: Sender | undefined;
  let buffer: Stats['buffer'] = 'none';
  // the envelope context, rebuilt only when the session or the user changes
  let ctx = '';
  let sid = '';
  let user: string | undefined;
  let userCalls = 0;
  // where the session falls for sampling
  let score = 0;
  // the page path, scrubbed again only when the URL changes
  let href = '';
  let page = '/';
  // events of the current task, past consent: checked and handed to the buffer together, after the task
  let pending: TelltaleEvent[] = [];
  // while consent is required and not given, events wait here, in memory only
  let held: TelltaleEvent[] | undefined = cfg.requireConsent ? [] : undefined;

  const internal = (e: unknown) => {
    internalErrors++;
    warn('internal error', e);
  };
  /** Tells the site's listeners; one that throws is only reported (debug). */
  const emit = <K extends keyof ClientEvents>(type: K, value: ClientEvents[K]) =>
    listeners.forEach(([t, f]) => t == type && attempt((e) => warn('listener threw', e), f, value as never));
  // `stats` listeners (when there are any) hear of changes once per task, however many there were
  let statsDue = false;
  const changed = () => {
    for (const [t] of listeners)
      if (t == 'stats' && !statsDue) {
        statsDue = true;
        return void setTimeout(() => {
          statsDue = false;
          emit('stats', client.stats());
        });
      }
  };
  const setContext = () => (ctx = JSON.stringify({ app: { name: cfg.app, release: cfg.release, env: cfg.env }, session: sid, user }));

  const client: Client = {
    track(name, data) {
      if (stopped) return;
      if (typeof name != 'string' || !name.trim()) {
        delivery.dropped.invalid++;
        return warn('track() needs a name, got', name);
      }
      // `data` is a required field of `custom` events (SPEC §4): {} when none was given (or none was kept)
      const c = clean(data, MAX_DATA_BYTES);
      if (c.changed) cleaned++, warn('track() data cleaned:', name);
      record('custom', { name: name.slice(0, MAX_NAME_CHARS), data: c.value ?? {} });
    },
    setUser(id) {
      if (stopped) return;
      if (id !== null && (typeof id != 'string' || !id)) return warn('setUser() needs a string or null, got', id);
      const call = ++userCalls;
      // until the new hash is ready, events carry no user rather than the previous one
      user = undefined;
      setContext();
      if (id !== null) hashUser(id, cfg.userSalt ?? cfg.app).then((h) => call == userCalls && ((user = h), setContext()), internal);
    },
    setConsent(choice) {
      if (stopped) return;
      if (choice != 'granted' && choice != 'denied') return warn('setConsent() needs granted or denied, got', choice);
      if (cfg.onConsent) attempt(internal, cfg.onConsent, choice);
      const h = held || [];
      held = undefined;
      if (choice == 'granted') h.forEach(admit);
      else {
        (removed.consent += h.length), (pending = []);
        // what telltale stored on the device goes too, in every tab of the origin
        sender?.purge().catch(internal);
        halt('consent');
      }
    },
    on(type, listener) {
      if (typeof listener != 'function') return warn('on() needs a function'), noop;
      const l: [keyof ClientEvents, (value: never) => void] = [type, listener];
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    stats: () => ({
      buffered: 0,
      inFlight: 0,
      retrying: 0,
      ...sender?.counts(),
      ...delivery,
      dropped: { ...delivery.dropped },
      cleaned,
      internalErrors,
      removed: { ...removed },
      buffer,
      disabled: disabled || (sid && !sampled(score, cfg.sampleRate) ? 'sampled' : undefined),
    }),
    async flush() {
      if (stopped) return;
      try {
        // the model aggregates, if loading, hold calls their summary must count
        await models.ready();
        if (stopped) return;
        settle();
        await sender?.flush();
      } catch (e) {
        internal(e);
      }
    },
    wrapInference: (fn, options) => (stopped ? fn : models.wrap(fn, options)),
    recordInference: (r) => stopped || models.record(r),
    setBaseline: (model, b) => stopped || models.baseline(model, b),
    async shutdown() {
      if (stopped) return;
      await client.flush();
      halt();
    },
  };
  if (stopped) return client;

  // The buffer opens with the first event past the privacy gate (at once unless consent is
  // required): no IndexedDB database exists before the site may store anything.
  const open = (): Sender => {
    if (sender) return sender;
    buffer = 'memory';
    const opened = openStore(
      { maxEvents: cfg.maxBufferEvents, maxBytes: cfg.maxBufferBytes, maxAgeMs: cfg.maxAgeMs },
      cfg.workerUrl && new URL(cfg.workerUrl, location.href).href,
      cfg.debug,
    );
    opened.shared.then((idb) => idb && (buffer = 'indexeddb'));
    // the worker's store was given up (it stopped answering, IndexedDB closed): memory from then on
    opened.lost.then(() => {
      buffer = 'memory';
    });
    return (sender = createSender(cfg, opened, delivery, (info) => emit('batch', info), changed, internal));
  };
  if (!cfg.requireConsent) open();
  const session = createSession();

  // encoded here, not in the worker: the page must hold the wire JSON to send it at exit
  const drain = () => {
    const group = pending;
    pending = [];
    if (group.length)
      attempt(internal, () => {
        const list: StoredEvent[] = [];
        for (let e of group) {
          if (!pass(e)) continue;
          scrubEvent(e);
          // the site's own filter runs last, on the scrubbed event
          const r = cfg.beforeSend ? attempt(internal, cfg.beforeSend, e) : e;
          if (r === null || r === false) removed.beforeSend++;
          else {
            if (r && typeof r == 'object') e = r;
            const s = encodeEvent(e, ctx);
            s ? list.push(s) : delivery.dropped.invalid++;
            // listeners see what is stored and sent: scrubbed, past beforeSend
            emit('event', e);
            if (e.type == 'alert') emit('alert', e);
          }
        }
        open().add(list);
      });
  };

  /**
   * Past consent, after the task (the first storage access of a page costs milliseconds): the
   * session is touched and sampling and the error cap apply.
   */
  const pass = (e: TelltaleEvent): boolean => {
    const s = session.at(e.t);
    if (s.id != sid) (sid = s.id), (score = sampleScore(sid)), setContext();
    // a signal's rate is named by its event type in the plural (`inference` as it is)
    if (!sampled(score, cfg.sampleRate, cfg.sampling[(e.type + 's') as Signal] ?? cfg.sampling[e.type as Signal]))
      return removed.sampled++, false;
    if (e.type == 'error') {
      // the cap holds for the session, across its pages
      if ((s.errors ||= 0) >= cfg.maxErrors) return removed.maxErrors++, false;
      s.errors++;
      session.save();
    }
    return true;
  };

  const admit = (e: TelltaleEvent) => {
    if (!pending.length) queueMicrotask(drain);
    pending.push(e);
  };

  /** The one way an event enters the pipeline. O(1): the costly steps run after the task. */
  const record = (type: EventType, fields: Record<string, unknown>): void => {
    if (stopped) return;
    if (location.href !== href) page = scrubPath((href = location.href), cfg.allowParams);
    const e: TelltaleEvent = { id: randomId(), type, t: Date.now(), page, ...fields };
    // past the buffer's cap, the oldest held event goes first
    if (!held) admit(e);
    else if (held.push(e) > cfg.maxBufferEvents) held.shift(), delivery.dropped.count++;
  };

  const recorder: Recorder = { record, internal };
  // collectors and monitors, each fed by the recorder
  const models = createModels(recorder, cfg, () => delivery.dropped.invalid++);
  const parts: Part[] = [models];
  let name: CollectorName;
  for (name in collectors)
    if (cfg.collect[name]) {
      const part = attempt(internal, collectors[name]!, recorder, cfg);
      if (part) parts.push(part);
    }
  /** What the parts hold goes to the buffer now. */
  const settle = () => {
    for (const p of parts) attempt(internal, p.flush || noop);
    drain();
  };

  // Hidden or frozen, the page may come back: a keepalive fetch, whose answer can confirm it.
  // Pagehide not kept in the back/forward cache is an unload: beacons. Not capturing, at the event's
  // target: after every capturing listener (the vitals report there), whenever it was added.
  const exit = (e: Event) => {
    if (e.type != 'visibilitychange' || document.visibilityState == 'hidden')
      settle(), sender?.exit(e.type == 'pagehide' && !(e as PageTransitionEvent).persisted);
  };
  parts.push({ stop: listen(recorder, document, 'visibilitychange freeze', exit, false) }, { stop: listen(recorder, window, 'pagehide', exit, false) });

  /** Stops everything at once; nothing more is recorded, held or sent. */
  const halt = (why?: DisabledReason) => {
    stopped = true;
    disabled = why;
    for (const p of parts) attempt(internal, p.stop);
    sender?.stop();
    onShutdown();
  };
  return client;
};
