import { eventIds } from '../buffer/formBatches';
import { utf8Length } from '../lib/utf8';
import type { BatchAnswer, ClaimRequest, ClaimResult } from '../internal';
import { createBucket } from './bucket';
import type { HeldBatch } from './pageEvents';
import { backoffDelay, DEFAULT_RATE_LIMIT_MS, parseRetryAfter } from './retry';
import { beacon, hasKeepaliveFetch, post, type Answer } from './send';
import type { ClaimLoopContext } from './claimLoopContext';

export type { ClaimLoopContext, TabMessage } from './claimLoopContext';

/** Requests in flight at once while the page is visible. */
const MAX_IN_FLIGHT = 4;
/** A forced claim that found nothing (retries not due yet, another tab's batches) is not tried again sooner than this. */
const MIN_RETRY_CLAIM_MS = 1_000;

export interface ClaimLoop {
  /** Claims what may be sent now and sends it; `force`: partial batches too. Resolves to the batches claimed. */
  pump(force?: boolean, due?: number): Promise<number>;
  /** Sends a batch; at exit by keepalive (beacon where keepalive fetch does not exist). False when it does not fit the keepalive quota. */
  send(batch: HeldBatch, atExit: boolean): boolean;
  inFlight: Set<Promise<void>>;
  /** Runs the loop at `at` (epoch ms) unless it runs sooner. */
  wakeAt(at: number): void;
  /** Back online: a failed batch's backoff no longer holds. */
  resume(): void;
  stop(): void;
}

/** Claims batches from the store and sends them, within the rate limits, one claim loop at a time. */
export const createClaimLoop = (context: ClaimLoopContext): ClaimLoop => {
  const { config, store, page, delivery } = context;
  const inFlight = new Set<Promise<void>>();
  const eventTokens = createBucket(config.maxEventsPerMinute);
  const requestTokens = createBucket(config.maxRequestsPerMinute);
  // after a failure nothing new is sent until the failed batch's retry time
  let pausedUntil = 0;
  // request slots promised to claims not answered yet
  let reserved = 0;
  // requests sent and not answered yet: each holds a request slot
  let awaitingAnswer = 0;
  // batches answered for good, not yet acknowledged in the store: the next store call carries them all
  const answered: BatchAnswer[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let last: Promise<number> = Promise.resolve(0);
  let queued = false;
  let stopped = false;

  const limitTo = (at: number) => {
    delivery.rateLimitedUntil = Math.max(delivery.rateLimitedUntil, at);
  };

  const wakeAt = (at: number) => {
    if (stopped || at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timerAt = Infinity;
      pump(true);
    }, at - Date.now());
  };

  /** What a claim may take now; undefined when nothing may be sent (then the loop wakes when it may). */
  const nextRequest = (partial: boolean, due: number): ClaimRequest | undefined => {
    const now = Date.now();
    const slots = MAX_IN_FLIGHT - awaitingAnswer - reserved;
    if (!context.sends() || navigator.onLine === false || slots <= 0) return;
    // Retry-After, a failed batch's backoff and the token buckets all delay; nothing is dropped
    const until = Math.max(delivery.rateLimitedUntil, pausedUntil, now + Math.max(eventTokens.wait(now), requestTokens.wait(now)));
    if (until > now) {
      wakeAt(until);
      return;
    }
    const maxBatches = Math.min(slots, Math.floor(requestTokens.have(now)));
    return { maxBatches, maxEvents: Math.floor(eventTokens.have(now)), batchSize: config.batchSize, maxBytes: context.maxEventBytes(), due, partial };
  };

  /** Runs a claim with its request slots reserved meanwhile, and sends what it hands out. */
  const claimWith = async (request: ClaimRequest, claim: (request: ClaimRequest) => Promise<ClaimResult>): Promise<number> => {
    reserved += request.maxBatches;
    let result: ClaimResult;
    try {
      result = await claim(request);
    } finally {
      reserved -= request.maxBatches;
    }
    context.tally(result.counts);
    for (const batch of result.batches) {
      eventTokens.take(batch.events.length);
      requestTokens.take(1);
      page.held.set(batch.id, batch);
      context.tell({ taken: eventIds(batch) });
      send(batch, false);
    }
    const { inFlight: onWire, retrying } = page.counts();
    // events wait (of this tab or another): a partial batch leaves after the flush interval
    if (context.buffered() > onWire + retrying) {
      const foundNothing = request.partial && !result.batches.length;
      wakeAt(Date.now() + (foundNothing ? Math.max(config.flushIntervalMs, MIN_RETRY_CLAIM_MS) : config.flushIntervalMs));
    }
    return result.batches.length;
  };

  const handleAnswer = async (batch: HeldBatch, [status, retryAfter, answerBody]: Answer, bytes: number) => {
    const now = Date.now();
    const wait = parseRetryAfter(retryAfter, now);
    const outcome = context.protocol().outcome(status, wait);
    const count = batch.events.length;
    context.onBatch({ batch: batch.id, events: count, bytes, status, via: 'fetch' });
    if (outcome == 'ok' || outcome == 'rejected') {
      page.confirm(batch);
      // a 2xx may refuse part of the batch (OTLP's partialSuccess): those count as rejected, never retried
      const refused = outcome == 'ok' ? context.protocol().refused(answerBody, count) : count;
      delivery.sent += count - refused;
      delivery.rejected += refused;
      delivery.dropped.rejected += refused;
      // acknowledged with the other answers in, and the next claim of, the next store call
      answered.push({ batchId: batch.id, ok: outcome == 'ok' });
      await pump();
      return;
    }
    const limited = outcome == 'rate-limited';
    const retryAt = now + (limited ? (wait ?? DEFAULT_RATE_LIMIT_MS) : backoffDelay(batch.attempts));
    if (limited) {
      // kept in the store and told to the other tabs: no page of the origin sends before then
      limitTo(retryAt);
      store.limit(retryAt).catch(context.fail);
      context.tell({ rateLimitedUntil: retryAt });
    }
    pausedUntil = Math.max(pausedUntil, retryAt);
    batch.attempts++;
    batch.onWire = false;
    // while another tab sends, it retries the batch from the store
    if (!context.sends()) page.confirm(batch);
    context.tally(await store.releaseBatch(batch.id, retryAt));
    wakeAt(retryAt);
  };

  const send = (batch: HeldBatch, atExit: boolean): boolean => {
    const protocol = context.protocol();
    const { url, body, json } = protocol.request(batch);
    const bytes = utf8Length(body);
    // a protocol whose requests a beacon cannot carry (OTLP: credentials, a JSON type) tries fetch even there
    if (atExit && protocol.beacon && !hasKeepaliveFetch()) {
      // nothing confirms a beacon: a later page sends the batch again, same id
      if (!beacon(url, body)) return false;
      batch.onWire = true;
      batch.keepalive = true;
      context.onBatch({ batch: batch.id, events: batch.events.length, bytes, status: 0, via: 'beacon' });
      return true;
    }
    // a request that outlives the page when it fits the quota; at exit only then
    const keepalive = context.keepalive.fits(bytes);
    if (atExit && !keepalive) return false;
    if (keepalive) context.keepalive.take(bytes);
    batch.onWire = true;
    batch.keepalive = keepalive;
    context.changed();
    awaitingAnswer++;
    const request: Promise<void> = post(url, body, keepalive, json)
      .then((answer) => {
        // answered: its slot is free for the next claim
        awaitingAnswer--;
        return handleAnswer(batch, answer, bytes);
      })
      .catch(context.fail)
      .finally(() => {
        if (keepalive) context.keepalive.give(bytes);
        inFlight.delete(request);
      });
    inFlight.add(request);
    return true;
  };

  /** One store call: the answers waiting for their acknowledgement, and the claim of what may be sent now. */
  const run = async (force: boolean, due: number): Promise<number> => {
    const answers = answered.splice(0);
    const request = nextRequest(force, due);
    if (request) return claimWith(request, (request) => (answers.length ? store.ackBatches(answers, request) : store.claimBatches(request)));
    if (answers.length) context.tally((await store.ackBatches(answers)).counts);
    return 0;
  };

  /** One store call at a time; a call while one waits to start joins it (and its answers go along). */
  const pump = (force = false, due = Date.now()): Promise<number> => {
    if (queued && !force) return last;
    queued = true;
    last = last
      .then(() => {
        queued = false;
        return run(force, due);
      })
      .catch((error) => {
        context.fail(error);
        return 0;
      });
    return last;
  };

  return {
    pump,
    send,
    inFlight,
    wakeAt,
    resume() {
      pausedUntil = 0;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
