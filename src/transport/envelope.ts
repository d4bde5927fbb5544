import { SDK } from '../lib/version';
import type { ClaimedBatch } from '../internal';

/** Largest request body: under the 64 KiB keepalive/beacon quota with room for the page's own. */
export const MAX_BODY_BYTES = 60_000;

/**
 * The request body of a batch (SPEC §4). Events are already JSON, so the body
 * is assembled by concatenation rather than re-serialized on every attempt.
 */
export const encodeBatch = (b: ClaimedBatch): string => {
  const head = JSON.stringify({ v: 1, batch: b.id, sentAt: Date.now(), sdk: SDK, ...JSON.parse(b.ctx), dropped: b.dropped });
  return head.slice(0, -1) + ',"events":[' + b.events.map((e) => e.json).join(',') + ']}';
};
