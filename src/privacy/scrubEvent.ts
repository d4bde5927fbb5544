import { clean } from '../lib/clean';
import type { TelltaleEvent } from '../types';
import { scrubber } from './scrub';

// Fields the SDK fills with ids or with paths already scrubbed (their allow-listed query kept).
const OWN = ['id', 'page', 'from', 'to'];

/**
 * Replaces personal data in every string of an event, keys included, and redacts the values
 * under keys that name secrets (at any depth: track data, inference fields, error fields),
 * before it is stored.
 */
export const scrubEvent = (e: TelltaleEvent): TelltaleEvent => {
  for (const k in e) if (!OWN.includes(k)) e[k] = scrubber.redact(k) ?? scrubValue(e[k]);
  return e;
};

/** A field's value scrubbed: a string or a plain number or boolean at once (most fields), the rest walked by `clean`. */
const scrubValue = (value: unknown): unknown => {
  if (typeof value == 'string') return scrubber.text(value);
  if (typeof value == 'boolean' || (typeof value == 'number' && isFinite(value))) return value;
  return clean(value, Infinity, scrubber).value;
};
