import { utf8Length } from '../lib/utf8';
import type { Config } from '../options';
import { batchId } from '../buffer/store';
import type { BatchInfo, DropCounts } from '../types';
import type { BufferCounts, ClaimedBatch, EventStore, StoreCounts, StoredEvent } from '../internal';
import { createBucket } from './bucket';
import { MAX_BODY_BYTES } from './envelope';
import { lead } from './lead';
import { loadOtlpProtocol, telltaleProtocol, type Protocol } from './protocol';
import { backoffDelay, DEFAULT_RATE_LIMIT_MS, parseRetryAfter } from './retry';
import { beacon, post, type Answer } from './send';

// Requests in flight at once while the page is visible.
const MAX_IN_FLIGHT = 4;
// The browser's keepalive quota is 64 KiB for all of a page's keepalive
// requests and beacons together; stay under it and leave room for the page.
const KEEPALIVE_BYTES = 60_000;
const KEEPALIVE_REQUESTS = 9;
// The envelope head (ids, app, session, user, dropped) next to the events.
const HEAD_BYTES = 600;
const EVENT_BYTES = MAX_BODY_BYTES - HEAD_BYTES;

export interface Delivery {
  sent: number;
  rejected: number;
  rateLimitedUntil: number;
  dropped: DropCounts;
}

export interface Sender {
  /** This page's events, encoded: into the store, and kept here until confirmed for the page's exit. */
  add(events: StoredEvent[]): void;
  /** Sends everything that may be sent now; resolves when those requests have settled. */
  flush(): Promise<void>;
  /** The page hides (it may come back) or unloads: hand what is left to the browser now, synchronously. */
  exit(unload: boolean): void;
  counts(): BufferCounts;
  stop(): void;
  /** Consent withdrawn: deletes the origin's buffered events and tells the other tabs (stub until the delivery engine's). */
  purge(): Promise<void>;
}

/**
 * A batch this page claimed or sent itself; `fl`: on the wire, `ka`: by keepalive or beacon (outlives
 * the page). The flags ride along into the store with `adopt`, harmlessly: `send` sets both anew.
 */
interface Held extends ClaimedBatch {
  fl?: boolean;
  ka?: boolean;
}

/**
 * @param shared resolves true when the store is IndexedDB, shared with the origin's other tabs
 * @param delivery counters the sender updates (shared with `stats()`)
 * @param changed its counts changed (buffered, in flight, sent, dropped...)
 * @param fail an error inside the SDK (a store call failed)
 * @param onPurged another tab withdrew consent (stub: never called until the delivery engine's purge)
 */
export const createSender = (
  o: Config,
  store: EventStore,
  shared: Promise<boolean>,
  delivery: Delivery,
  onBatch: (info: BatchInfo) => void,
  changed: () => void,
  fail: (e: unknown) => void,
  _onPurged: () => void,
): Sender => {
  // OTLP's encoders load lazily: nothing is sent before (only the lead sends, after `started`; exit waits)
  let protocol: Protocol | undefined;
  // stored event bytes a claimed batch may hold: its request body stays under MAX_BODY_BYTES
  let eventBytes = EVENT_BYTES;
  const use = (p: Protocol) => {
    protocol = p;
    eventBytes = EVENT_BYTES / p.expansion;
  };
  const loaded = o.protocol == 'otlp' ? loadOtlpProtocol(o).then(use) : use(telltaleProtocol(o));
  const held = new Map<string, Held>();
  // this page's events no response has confirmed, oldest first
  const mine = new Map<string, StoredEvent>();
  const inFlight = new Set<Promise<void>>();
  const events = createBucket(o.maxEventsPerMinute);
  const requests = createBucket(o.maxRequestsPerMinute);
  // tabs sharing the store tell each other: f = events another tab took care of, r = rate limited
  // until, n = new events (opened once the store is known to be shared: a memory store is not)
  let channel: BroadcastChannel | undefined;
  let leader = false;
  let stopped = false;
  let buffered = 0;
  let toldInvalid = 0;
  // after a failure nothing new is sent until the failed batch's retry time
  let pausedUntil = 0;
  let keepaliveBytes = 0;
  let keepaliveRequests = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let last: Promise<unknown> = Promise.resolve();
  let queued = false;
  // bytes handed to the store since the last claim loop
  let unsentBytes = 0;

  const tally = (c: StoreCounts) => {
    buffered = c.buffered;
    Object.assign(delivery.dropped, c.dropped);
    changed();
  };
  const forget = (ids: string[]) => ids.forEach((id) => mine.delete(id));
  const ids = (b: ClaimedBatch) => b.events.map((e) => e.id);
  const limitTo = (at: number) => (delivery.rateLimitedUntil = Math.max(delivery.rateLimitedUntil, at));

  const wakeAt = (at: number) => {
    if (stopped || at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timerAt = Infinity;
      pump(true);
    }, at - Date.now());
  };

  const settle = async (b: Held, [status, retryAfter, answerBody]: Answer, bytes: number) => {
    const now = Date.now();
    const wait = parseRetryAfter(retryAfter, now);
    const outcome = protocol!.outcome(status, wait);
    const n = b.events.length;
    onBatch({ batch: b.id, events: n, bytes, status, via: 'fetch' });
    if (outcome == 'ok' || outcome == 'rejected') {
      held.delete(b.id);
      forget(ids(b));
      // a 2xx may refuse part of the batch (OTLP partialSuccess): those count as rejected, never retried
      const refused = outcome == 'ok' ? protocol!.refused(answerBody, n) : n;
      delivery.sent += n - refused;
      delivery.rejected += refused;
      delivery.dropped.rejected += refused;
      return tally(await store.ack(b.id, outcome == 'ok'));
    }
    const limited = outcome == 'rate-limited';
    const at = now + (limited ? (wait ?? DEFAULT_RATE_LIMIT_MS) : backoffDelay(b.attempts));
    if (limited) {
      // kept in the store and told to the other tabs: no page of the origin sends before then
      limitTo(at);
      store.limit(at).catch(fail);
      channel?.postMessage({ r: at });
    }
    pausedUntil = Math.max(pausedUntil, at);
    b.attempts++;
    b.fl = false;
    // another tab sends: it retries the batch from the store
    if (!leader) held.delete(b.id), forget(ids(b));
    tally(await store.release(b.id, at));
    wakeAt(at);
  };

  /** Sends a held batch; at exit by keepalive fetch, or on unload by beacon where the protocol allows (nothing confirms it). */
  const send = (b: Held, unload?: boolean) => {
    const { url, body, json } = protocol!.request(b);
    const bytes = utf8Length(body);
    b.fl = true;
    changed();
    if (unload) {
      b.ka = true;
      // a refused beacon (quota) may still fit as a keepalive fetch
      if (!protocol!.beacon || !beacon(url, body)) post(url, body, true, json);
      return onBatch({ batch: b.id, events: b.events.length, bytes, status: 0, via: 'beacon' });
    }
    const ka = (b.ka = keepaliveBytes + bytes <= KEEPALIVE_BYTES && keepaliveRequests < KEEPALIVE_REQUESTS);
    if (ka) (keepaliveBytes += bytes), keepaliveRequests++;
    const p = post(url, body, ka, json)
      .then((a) => settle(b, a, bytes))
      .catch(fail)
      .finally(() => {
        if (ka) (keepaliveBytes -= bytes), keepaliveRequests--;
        inFlight.delete(p);
        pump();
      });
    inFlight.add(p);
  };

  const run = async (force: boolean, due: number) => {
    unsentBytes = 0;
    let claimed = 0;
    for (;; claimed++) {
      const now = Date.now();
      if (stopped || !leader || navigator.onLine === false || inFlight.size >= MAX_IN_FLIGHT) return;
      // Retry-After, a failed batch's backoff and the token buckets all delay; nothing is dropped
      const until = Math.max(delivery.rateLimitedUntil, pausedUntil, now + Math.max(events.wait(now), requests.wait(now)));
      if (until > now) return wakeAt(until);
      const b = await store.claim(Math.min(o.batchSize, events.have(now) | 0), eventBytes, due, force);
      if (!b) break;
      events.take(b.events.length);
      requests.take(1);
      held.set(b.id, b);
      channel?.postMessage({ f: ids(b) });
      send(b);
    }
    tally(await store.counts());
    let mineHeld = 0;
    for (const b of held.values()) mineHeld += b.events.length;
    // events wait (of this tab or another): a partial batch leaves after the flush interval; when
    // even a forced claim found nothing (retries not due yet, another tab's batches) not at once again
    if (buffered > mineHeld) wakeAt(Date.now() + (force && !claimed ? Math.max(o.flushIntervalMs, 1000) : o.flushIntervalMs));
  };

  /** One claim loop at a time; a call while one waits to start joins it. */
  const pump = (force = false, due = Date.now()): Promise<unknown> => {
    if (queued && !force) return last;
    queued = true;
    return (last = last
      .then(() => {
        queued = false;
        return run(force, due);
      })
      .catch(fail));
  };

  const takeLead = () => {
    leader = true;
    pump();
  };
  // stop() aborts it: the online listener goes, the Web Lock is released
  const quit = new AbortController();
  addEventListener(
    'online',
    () => {
      pausedUntil = 0;
      pump(true, Infinity);
    },
    { signal: quit.signal },
  );

  const started = Promise.all([shared, loaded]).then(async ([shared]) => {
    limitTo(await store.limit(0));
    if (!shared) return takeLead();
    if (stopped) return;
    if (typeof BroadcastChannel == 'function')
      (channel = new BroadcastChannel('telltale')).onmessage = ({ data: d }) => {
        if (d.f) forget(d.f);
        if (d.r) limitTo(d.r);
        if (d.n && leader) pump();
      };
    return lead(takeLead, quit.signal);
  });

  return {
    add(list) {
      for (const e of list) {
        mine.set(e.id, e);
        unsentBytes += e.bytes;
      }
      // kept for the page's exit: at most what the buffer holds
      for (const id of mine.keys()) {
        if (mine.size <= o.maxBufferEvents) break;
        mine.delete(id);
      }
      const invalid = delivery.dropped.invalid - toldInvalid;
      toldInvalid += invalid;
      store.append(list, invalid ? { invalid } : undefined).then((c) => {
        tally(c);
        // short of a full batch (by count or bytes) nothing could be claimed now: no round trip,
        // the flush interval (or a retry's own timer) sends it
        if (leader) buffered < o.batchSize && unsentBytes < eventBytes ? wakeAt(Date.now() + o.flushIntervalMs) : pump();
        else channel?.postMessage({ n: 1 });
      }, fail);
    },
    async flush() {
      await started;
      do {
        await pump(true);
        await Promise.all(inFlight);
      } while (inFlight.size);
    },
    exit(unload) {
      if (!protocol || stopped || Date.now() < delivery.rateLimitedUntil || navigator.onLine === false) return;
      const list: Held[] = [];
      const covered = new Set<string>();
      for (const b of held.values()) {
        for (const e of b.events) covered.add(e.id);
        // keepalive requests outlive the page; others end with it, and go again
        if (!b.ka && !(b.fl && !unload)) list.push(b);
      }
      // this page's events in no batch yet: new batches, grouped as the store would, which it adopts
      let b: Held | undefined;
      let bytes = 0;
      for (const e of mine.values())
        if (!covered.has(e.id)) {
          if (!b || e.ctx != b.ctx || b.events.length >= o.batchSize || bytes + e.bytes > eventBytes)
            list.push((b = { id: '', ctx: e.ctx, events: [], attempts: 0 })), (bytes = 0);
          b.events.push(e);
          bytes += e.bytes;
        }
      let room = KEEPALIVE_BYTES - keepaliveBytes;
      for (const b of list) {
        b.id ||= batchId(b.events);
        const size = b.events.reduce((s, e) => s + (e.bytes + 1) * protocol!.expansion, HEAD_BYTES);
        if (size > room || (!unload && keepaliveRequests >= KEEPALIVE_REQUESTS)) break;
        room -= size;
        held.set(b.id, b);
        store.adopt(b).catch(fail);
        send(b, unload);
      }
    },
    counts() {
      let inFlight = 0;
      let retrying = 0;
      for (const b of held.values()) b.fl ? (inFlight += b.events.length) : (retrying += b.events.length);
      return { buffered, inFlight, retrying };
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      quit.abort();
      channel?.close();
    },
    purge: async () => {},
  };
};
