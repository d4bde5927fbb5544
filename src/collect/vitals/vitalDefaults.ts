// What a `vital` event's optional fields mean when they are missing from the wire (docs/wire.md):
// the SDK leaves out a field at its default, and whoever reads the event (the OTLP encoder, an
// ingest) puts it back.

/** The defaults of a `vital` event's optional fields; `delta` defaults to the event's `value`. */
export const VITAL_DEFAULTS = {
  navigationType: 'navigate',
  /** An attribution duration (or shift value) that is missing was 0. */
  attributionNumber: 0,
} as const;
