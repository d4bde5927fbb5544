import { utf8Length } from '../lib/utf8';
import type { TelltaleEvent } from '../types';
import type { StoredEvent } from '../internal';

/** Largest event accepted, serialized; bigger ones are dropped as `invalid`. */
export const MAX_EVENT_BYTES = 16_384;

/**
 * Encodes an event once for the buffer, with the envelope context it must travel in;
 * undefined when it is too large to send.
 */
export const encodeEvent = (e: TelltaleEvent, ctx: string): StoredEvent | undefined => {
  const json = JSON.stringify(e);
  const bytes = utf8Length(json);
  return bytes > MAX_EVENT_BYTES ? undefined : { id: e.id, ctx, json, bytes, t: e.t };
};
