import { encodeEvent } from './buffer/encodeEvent';
import { attempt } from './lib/attempt';
import { randomId } from './lib/id';
import { createWorkGroup } from './lib/workGroup';
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
  /** Turns the page's own data in an event (track()'s) into plain JSON data, before the gate. */
  cleanPageData(event: TelltaleEvent): void;
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
 * Something that changes whenever the page's URL does, cheap to read on every event: the
 * Navigation API's current entry (a new object on every push, replace and traversal), where
 * there is one, else the URL itself (reading it builds a new string each time).
 */
const urlMarker = (): unknown => (self as { navigation?: { currentEntry: object | null } }).navigation?.currentEntry ?? location.href;

/** An event as the calling task records it: its time and page now, its id and the rest after the task. */
export interface RecordedEvent {
  type: EventType;
  t: number;
  page: string;
  fields: Record<string, unknown>;
}

/**
 * `record` notes the event's time and page and queues it (or holds it until consent); the first
 * event of a group schedules the drain (`scheduleDrain`), so the group's events get their ids and
 * reach the cleaner, the gate, the encoder and the buffer together, after the tasks that recorded them. Events are encoded here,
 * not in the worker: the page must hold their wire JSON to send them at exit.
 */
export const createPipeline = (parts: PipelineParts): Pipeline => {
  const { allowParams, consent, gate, context, protocol, cleanPageData, store, emit, scheduleDrain, dropped, onError } = parts;
  // the page path, scrubbed again only when the URL changes
  let lastMarker: unknown;
  let page = '/';

  const processGroup = (group: RecordedEvent[]) =>
    attempt(onError, () => {
      const encoded: StoredEvent[] = [];
      for (const { type, t, page, fields } of group) {
        const recorded: TelltaleEvent = { id: randomId(), type, t, page, ...fields };
        cleanPageData(recorded);
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
  const queue = createWorkGroup(processGroup, scheduleDrain);

  return {
    record(type, fields) {
      const marker = urlMarker();
      if (marker !== lastMarker) {
        lastMarker = marker;
        page = scrubPath(location.href, allowParams);
      }
      const recorded: RecordedEvent = { type, t: Date.now(), page, fields };
      if (!consent.hold(recorded)) queue.add(recorded);
    },
    drain: queue.drain,
    release: () => consent.release().forEach(queue.add),
    discard: () => consent.release().length + queue.take().length,
  };
};
