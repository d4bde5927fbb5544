import { eventIds } from '../buffer/formBatches';
import type { ClaimedBatch, StoredEvent } from '../internal';

/** A batch this page claimed or formed; `onWire`: sent and not answered, `keepalive`: sent so it outlives the page. */
export interface HeldBatch extends ClaimedBatch {
  onWire?: boolean;
  keepalive?: boolean;
}

/**
 * What this page holds of its own: its events no response has confirmed (for the page's exit, and
 * to hand to memory if the worker's store is lost), and the batches it has claimed.
 */
export interface PageEvents {
  held: Map<string, HeldBatch>;
  /** Keeps this page's new events, at most `cap` of them: the oldest go first, as in the store. */
  remember(events: StoredEvent[]): void;
  /** Another tab, a cap or a response took care of these. */
  forget(ids: Iterable<string>): void;
  /** The batch is answered for good: neither it nor its events are held. */
  confirm(batch: ClaimedBatch): void;
  unconfirmed(): StoredEvent[];
  /** Unconfirmed events in no held batch, oldest first. */
  notInBatches(): StoredEvent[];
  /** Events in held batches: on the wire, and waiting for a retry. */
  counts(): { inFlight: number; retrying: number };
  clear(): void;
}

export const createPageEvents = (cap: number): PageEvents => {
  const unconfirmed = new Map<string, StoredEvent>();
  const held = new Map<string, HeldBatch>();
  const forget = (ids: Iterable<string>) => {
    for (const id of ids) unconfirmed.delete(id);
  };
  return {
    held,
    remember(events) {
      for (const event of events) unconfirmed.set(event.id, event);
      for (const id of unconfirmed.keys()) {
        if (unconfirmed.size <= cap) break;
        unconfirmed.delete(id);
      }
    },
    forget,
    confirm(batch) {
      held.delete(batch.id);
      forget(eventIds(batch));
    },
    unconfirmed: () => [...unconfirmed.values()],
    notInBatches() {
      const inBatches = new Set<string>();
      for (const batch of held.values()) for (const event of batch.events) inBatches.add(event.id);
      return [...unconfirmed.values()].filter((event) => !inBatches.has(event.id));
    },
    counts() {
      let inFlight = 0;
      let retrying = 0;
      for (const batch of held.values()) {
        if (batch.onWire) inFlight += batch.events.length;
        else retrying += batch.events.length;
      }
      return { inFlight, retrying };
    },
    clear() {
      unconfirmed.clear();
      held.clear();
    },
  };
};
