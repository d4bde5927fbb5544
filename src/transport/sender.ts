import { lossOf } from '../buffer/bufferLost';
import type { OpenedStore } from '../buffer/openStore';
import { noop } from '../lib/attempt';
import type { Config } from '../options';
import type { BatchInfo } from '../types';
import type { BufferCounts, StoreCounts, StoredEvent } from '../internal';
import { createAppendQueue } from './appendQueue';
import type { ClaimLoop, TabMessage } from './claimLoop';
import type { Delivery } from './delivery';
import { MAX_BATCH_EVENT_BYTES } from './envelope';
import { deliverAtExit } from './exitDelivery';
import { createKeepaliveBudget } from './keepaliveBudget';
import { lead } from './lead';
import { createPageEvents } from './pageEvents';
import { loadOtlpProtocol, telltaleProtocol, type Protocol } from './protocol';

export type { Delivery } from './delivery';

/** The origin's tabs sharing the store talk on this channel. */
const CHANNEL_NAME = 'telltale';

export interface Sender {
  /** This page's events, encoded: into the store, and kept here until confirmed for the page's exit. */
  add(events: StoredEvent[]): void;
  /** Sends everything that may be sent now; resolves when those requests have settled. */
  flush(): Promise<void>;
  /** The page hides (it may come back) or unloads: hand what is left to the browser now, synchronously. */
  exit(unload: boolean): void;
  counts(): BufferCounts;
  /**
   * Consent withdrawn: stops sending, deletes everything telltale stored for the origin (events,
   * batches, totals; the rate limit stays), forgets what the page holds, and tells the origin's
   * other tabs, which stop and forget theirs too.
   */
  purge(): Promise<void>;
  stop(): void;
}

/**
 * @param opened the store, whether it is shared with the origin's other tabs, and whether it was lost
 * @param delivery counters the sender updates (shared with `stats()`)
 * @param changed its counts changed (buffered, in flight, sent, dropped...)
 * @param failed an error inside the SDK (a store call failed, other than for the worker's store being given up)
 * @param onPurged another tab of the origin withdrew consent: this page's client stops too
 */
export const createSender = (
  config: Config,
  opened: OpenedStore,
  delivery: Delivery,
  onBatch: (info: BatchInfo) => void,
  changed: () => void,
  failed: (error: unknown) => void,
  onPurged: () => void,
): Sender => {
  const { store } = opened;
  // a call the given-up worker store could not answer: what it held goes to memory (below), nothing failed
  const fail = (error: unknown) => {
    if (!lossOf(error)) failed(error);
  };
  const page = createPageEvents(config.maxBufferEvents);
  const keepalive = createKeepaliveBudget();
  // opened once the store is known to be shared: a memory store is not
  let channel: BroadcastChannel | undefined;
  let leader = false;
  let stopped = false;
  let buffered = 0;
  let toldInvalid = 0;
  // bytes of this page's events appended since the sender last claimed: a batch may be full by bytes
  let bytesSinceClaim = 0;
  // OTLP's encoders load lazily: this tab sends only once `started`, which waits for them; an exit before sends nothing (the next page does)
  let protocol: Protocol | undefined;
  // stored event bytes a batch may hold: its request body stays under the body cap
  let maxEventBytes = MAX_BATCH_EVENT_BYTES;
  const useProtocol = (loaded: Protocol) => {
    protocol = loaded;
    maxEventBytes = MAX_BATCH_EVENT_BYTES / loaded.expansion;
  };
  const protocolLoaded = config.protocol == 'otlp' ? loadOtlpProtocol(config).then(useProtocol) : Promise.resolve(useProtocol(telltaleProtocol(config)));

  const tell = (message: TabMessage) => channel?.postMessage(message);
  const tally = (counts: StoreCounts) => {
    buffered = counts.buffered;
    if (counts.droppedIds) page.forget(counts.droppedIds);
    Object.assign(delivery.dropped, counts.dropped);
    changed();
  };
  // The claim loop loads after init()'s task, as OTLP's encoders do: this tab leads, and so sends,
  // only once `started`, which waits for it. An exit before it loaded sends nothing: the page's
  // events are handed to the store, and what reached IndexedDB goes with the next page.
  let loop: ClaimLoop | undefined;
  const loopLoaded = import('./claimLoop').then(({ createClaimLoop }) => {
    loop = createClaimLoop({
      config,
      protocol: () => protocol!,
      maxEventBytes: () => maxEventBytes,
      store,
      page,
      keepalive,
      delivery,
      sends: () => leader && !stopped,
      buffered: () => buffered,
      tally,
      tell,
      onBatch,
      changed,
      fail,
    });
    // stopped while it loaded: its timers never start
    if (stopped) loop.stop();
    return loop;
  });
  const appends = createAppendQueue(
    store,
    (counts) => {
      tally(counts);
      if (!leader) return tell({ appended: true });
      // a leader's loop has loaded: `started` waited for it
      const leading = loop!;
      const { inFlight, retrying } = page.counts();
      // short of a full batch (by count or bytes) nothing could be claimed now: no round trip, the flush interval sends it
      if (buffered - inFlight - retrying >= config.batchSize || bytesSinceClaim >= maxEventBytes) {
        bytesSinceClaim = 0;
        leading.pump();
      } else leading.wakeAt(Date.now() + config.flushIntervalMs);
    },
    fail,
  );

  /** Stops sending and forgets everything this page holds. */
  const halt = () => {
    stopped = true;
    loop?.stop();
    appends.clear();
    page.clear();
    buffered = 0;
    quit.abort();
  };
  /** Halts, then deletes what the store holds once this page's appends are in (they would write it again). */
  const purgeStore = async () => {
    halt();
    await appends.settled();
    await store.purge();
    changed();
  };

  const takeLead = () => {
    leader = true;
    loop!.pump();
  };
  // stop() aborts it: the online listener goes, the Web Lock is released
  const quit = new AbortController();
  // the Web Lock is held for the shared store only: aborted when the client stops or the store is lost
  const sharedLead = new AbortController();
  quit.signal.addEventListener('abort', () => sharedLead.abort());
  addEventListener(
    'online',
    () => {
      loop?.resume();
      loop?.pump(true, Infinity);
    },
    { signal: quit.signal },
  );

  const started = Promise.all([opened.shared, protocolLoaded, loopLoaded]).then(async ([shared]) => {
    delivery.rateLimitedUntil = Math.max(delivery.rateLimitedUntil, await store.limit(0));
    if (!shared) return takeLead();
    if (stopped) return;
    if (typeof BroadcastChannel == 'function') {
      channel = new BroadcastChannel(CHANNEL_NAME);
      channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
        if (data.taken) page.forget(data.taken);
        if (data.rateLimitedUntil) delivery.rateLimitedUntil = Math.max(delivery.rateLimitedUntil, data.rateLimitedUntil);
        if (data.appended && leader) loop!.pump();
        if (data.purged) {
          halt();
          onPurged();
        }
      };
    }
    return lead(takeLead, sharedLead.signal);
  });
  // a lazy chunk that did not load (offline): counted; the events wait in the store for a later page
  started.catch(fail);

  // the worker's store was lost: what this page holds goes to the memory store that replaced it,
  // which this page alone sends; the origin's other tabs may lead the shared store without it
  opened.lost.then(async () => {
    if (stopped) return;
    sharedLead.abort();
    // its own unconfirmed events, and every event of the batches it claimed and has not sent: a
    // leader's claims hold other tabs' events too, which those tabs forgot when it took them
    const toMemory = new Map<string, StoredEvent>();
    for (const event of page.unconfirmed()) toMemory.set(event.id, event);
    for (const batch of page.held.values()) {
      if (batch.onWire) continue;
      for (const event of batch.events) toMemory.set(event.id, event);
      page.held.delete(batch.id);
    }
    appends.push([...toMemory.values()]);
    appends.startNow();
    for (const batch of page.held.values()) store.adoptBatch(batch).catch(fail);
    // it sends once the protocol is loaded and the lead is settled
    await started.catch(noop);
    if (!stopped && loop) takeLead();
  });

  return {
    add(events) {
      if (stopped) return;
      page.remember(events);
      for (const event of events) bytesSinceClaim += event.bytes;
      const invalid = delivery.dropped.invalid - toldInvalid;
      toldInvalid += invalid;
      // an empty group with nothing to report makes no store call
      if (events.length || invalid) appends.push(events, invalid ? { invalid } : undefined);
    },
    async flush() {
      await started;
      const claims = await loopLoaded;
      await appends.settled();
      // until a claim with nothing on the wire finds nothing more to send now
      for (;;) {
        const claimed = await claims.pump(true);
        if (!claimed && !claims.inFlight.size) return;
        await Promise.all(claims.inFlight);
      }
    },
    exit(unload) {
      if (stopped) return;
      // this page's events still on their way to the store get there, even when nothing can be sent
      // now (a page that only hides keeps its worker), and before the store adopts the exit's batches
      appends.startNow();
      if (!protocol || !loop || Date.now() < delivery.rateLimitedUntil || navigator.onLine === false) return;
      deliverAtExit(page, loop, store, { batchSize: config.batchSize, maxBytes: maxEventBytes }, unload, fail);
    },
    counts: () => ({ buffered, ...page.counts() }),
    async purge() {
      // the other tabs are told even before this one knows whether the store is shared
      if (channel) tell({ purged: true });
      else if (typeof BroadcastChannel == 'function') {
        const once = new BroadcastChannel(CHANNEL_NAME);
        once.postMessage({ purged: true } satisfies TabMessage);
        once.close();
      }
      channel?.close();
      await purgeStore();
    },
    stop() {
      stopped = true;
      loop?.stop();
      quit.abort();
      channel?.close();
    },
  };
};
