import { SDK } from '../lib/version';
import type { ClaimedBatch } from '../internal';

/** Largest request body: under the 64 KiB keepalive/beacon quota with room for the page's own. */
export const MAX_BODY_BYTES = 60_000;
/** Room for the envelope's head (ids, app, session, user, dropped) next to the events. */
const HEAD_BYTES = 600;
/** Bytes of events in one batch at most: with its head, a body stays under MAX_BODY_BYTES. */
export const MAX_BATCH_EVENT_BYTES = MAX_BODY_BYTES - HEAD_BYTES;

/**
 * The request body of a batch (SPEC §4). Events are already JSON, so the body
 * is assembled by concatenation rather than re-serialized on every attempt.
 */
export const encodeBatch = (batch: ClaimedBatch): string => {
  const head = JSON.stringify({ v: 1, batch: batch.id, sentAt: Date.now(), sdk: SDK, ...JSON.parse(batch.ctx), dropped: batch.dropped });
  return head.slice(0, -1) + ',"events":[' + batch.events.map((event) => event.json).join(',') + ']}';
};
