import { encodeEvent } from './buffer/encodeEvent';
import { attempt } from './lib/attempt';
import { randomId } from './lib/id';
import type { EnvelopeContext } from './envelopeContext';
import type { StoredEvent } from './internal';
import type { ConsentHold } from './privacy/consent';
import type { PrivacyGate } from './privacy/privacyGate';
import { otlpContext } from './transport/otlp/otlpContext';
import { scrubPath } from './privacy/scrub';
import type { ClientEvents, DropCounts, EventType, TelltaleEvent } from './types';

/** The record → drain path between the collectors and the buffer. */
export interface Pipeline {
  /** Adds an event: O(1) on the calling task; the gate, encoding and storage run after it. */
  record(type: EventType, fields: Record<string, unknown>): void;
  /** Takes what was recorded through the privacy gate to the buffer now. */
  drain(): void;
  /** Consent given: the events held for it go on. */
  release(): void;
  /** Drops every event recorded and not stored yet (held or queued); returns how many. */
  discard(): number;
}

export interface PipelineParts {
  allowParams: string[];
  consent: ConsentHold;
  gate: PrivacyGate;
  context: EnvelopeContext;
  /** The wire protocol: in OTLP mode an event's stored context also names its destination. */
  protocol: 'telltale' | 'otlp';
  /** Hands encoded events to the buffer; never called with none. */
  store(events: StoredEvent[]): void;
  /** Tells the site's listeners. */
  emit<K extends keyof ClientEvents>(type: K, value: ClientEvents[K]): void;
  /**
   * Runs the drain in a later task: called when the first event of a group is queued. Events
   * recorded meanwhile join the group, so the calling task only queues them.
   */
  scheduleDrain(drain: () => void): void;
  /** `stats().dropped`, raised for events too large to send. */
  dropped: DropCounts;
  onError(error: unknown): void;
}

/**
 * `record` gives the event its id, time and page and queues it (or holds it until consent);
 * the first event of a group schedules the drain (`scheduleDrain`), so the group's events reach
 * the gate, the encoder and the buffer together, after the tasks that recorded them. Events are
 * encoded here, not in the worker: the page must hold their wire JSON to send them at exit.
 */
export const createPipeline = ({ allowParams, consent, gate, context, protocol, store, emit, scheduleDrain, dropped, onError }: PipelineParts): Pipeline => {
  let queue: TelltaleEvent[] = [];
  // the page path, scrubbed again only when the URL changes
  let lastHref = '';
  let page = '/';

  const drain = () => {
    const group = queue;
    queue = [];
    if (!group.length) return;
    attempt(onError, () => {
      const encoded: StoredEvent[] = [];
      for (const recorded of group) {
        const event = gate.check(recorded);
        if (!event) continue;
        const stored = encodeEvent(event, protocol == 'otlp' ? otlpContext(context.json(), event.type) : context.json());
        if (!stored) {
          dropped.invalid++;
          continue;
        }
        encoded.push(stored);
        // listeners see what is stored and sent: scrubbed, past beforeSend
        emit('event', event);
        if (event.type == 'alert') emit('alert', event);
      }
      if (encoded.length) store(encoded);
    });
  };

  const enqueue = (event: TelltaleEvent) => {
    if (!queue.length) scheduleDrain(drain);
    queue.push(event);
  };

  return {
    record(type, fields) {
      if (location.href !== lastHref) {
        lastHref = location.href;
        page = scrubPath(lastHref, allowParams);
      }
      const event: TelltaleEvent = { id: randomId(), type, t: Date.now(), page, ...fields };
      if (!consent.hold(event)) enqueue(event);
    },
    drain,
    release: () => consent.release().forEach(enqueue),
    discard() {
      const dropped = consent.release().length + queue.length;
      queue = [];
      return dropped;
    },
  };
};
