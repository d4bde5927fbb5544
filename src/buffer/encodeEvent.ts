import { utf8Length } from '../lib/utf8';
import type { TelltaleEvent } from '../types';
import type { StoredEvent } from '../internal';

/** Largest event accepted, serialized; bigger ones are dropped as `invalid`. */
export const MAX_EVENT_BYTES = 16_384;

/**
 * The defaults of a `vital` event's optional fields on the wire (docs/wire.md): the SDK leaves out
 * a field at its default, and whoever reads the event (the OTLP encoder, an ingest) puts it back.
 * `delta` defaults to the event's `value`. They live beside the encoder, in the entry, because the
 * vitals chunk and the OTLP chunk both read them.
 */
export const VITAL_DEFAULTS = {
  navigationType: 'navigate',
  /** An attribution duration (or shift value) that is missing was 0. */
  attributionNumber: 0,
} as const;

/**
 * Encodes an event once for the buffer, with the envelope context it must travel in;
 * undefined when it is too large to send.
 */
export const encodeEvent = (e: TelltaleEvent, ctx: string): StoredEvent | undefined => {
  const json = JSON.stringify(e);
  const bytes = utf8Length(json);
  return bytes > MAX_EVENT_BYTES ? undefined : { id: e.id, ctx, json, bytes, t: e.t };
};
