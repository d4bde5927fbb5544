import { hashId } from '../lib/id';
import type { BatchLimits, ClaimedBatch, StoredEvent } from '../internal';

/**
 * Splits events, in order, into batches: a batch ends at `batchSize` events, before the event that
 * would take it over `maxBytes`, and where the envelope context changes (one session, user and
 * release per envelope). The one grouping of the SDK: the store's claims and the page's exit use it.
 */
export const formBatches = (events: Iterable<StoredEvent>, limits: BatchLimits): StoredEvent[][] => {
  const batches: StoredEvent[][] = [];
  let current: StoredEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const fits =
      current.length > 0 && event.ctx == current[0].ctx && current.length < limits.batchSize && bytes + event.bytes <= limits.maxBytes;
    if (!fits && current.length) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += event.bytes;
  }
  if (current.length) batches.push(current);
  return batches;
};

/** A new batch of `events`; its id comes from them, so a page that re-forms the same batch sends the same id. */
export const newBatch = (events: StoredEvent[]): ClaimedBatch => ({
  id: hashId(events.map((event) => event.id).join()),
  ctx: events[0].ctx,
  events,
  attempts: 0,
});

/** The ids of a batch's events. */
export const eventIds = (batch: ClaimedBatch): string[] => batch.events.map((event) => event.id);
