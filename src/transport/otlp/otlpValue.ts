// The OTLP/JSON value rules (opentelemetry-proto's JSON mapping): lowerCamelCase keys, exactly one
// AnyValue variant, 64-bit integers as decimal strings, times in nanoseconds since the epoch.
import { VERSION } from '../../lib/version';
import type { EnvelopeContext } from '../../types';

export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** Deepest nesting flattened into dotted keys; deeper objects go as their JSON string. */
const MAX_DEPTH = 4;

/**
 * One value as an AnyValue, as OpenTelemetry JS encodes it: a whole number as `intValue`
 * (a decimal string), any other number as `doubleValue`; undefined for null, undefined and
 * non-finite numbers, which have no OTLP form.
 */
export const anyValue = (v: unknown): AnyValue | undefined => {
  if (typeof v == 'string') return { stringValue: v };
  if (typeof v == 'boolean') return { boolValue: v };
  if (typeof v == 'number') return Number.isSafeInteger(v) ? { intValue: String(v) } : isFinite(v) ? { doubleValue: v } : undefined;
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue).filter((x): x is AnyValue => !!x) } };
  return v == null ? undefined : { stringValue: JSON.stringify(v) };
};

/** A field name as OpenTelemetry spells attribute names: dotted, lowercase, snake_case words. */
export const attributeName = (field: string): string => field.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/** Appends `fields` as attributes under `prefix` (`prefix.field`), nested objects as dotted keys. */
export const addAttributes = (out: KeyValue[], prefix: string, fields: Record<string, unknown>, depth = 0): KeyValue[] => {
  for (const field in fields) {
    const v = fields[field];
    const key = prefix + '.' + attributeName(field);
    if (v && typeof v == 'object' && !Array.isArray(v) && depth < MAX_DEPTH) addAttributes(out, key, v as Record<string, unknown>, depth + 1);
    else {
      const value = anyValue(v);
      if (value) out.push({ key, value });
    }
  }
  return out;
};

/** Attributes of known names; those without a value are left out. */
export const attributes = (fields: Record<string, unknown>): KeyValue[] => {
  const out: KeyValue[] = [];
  for (const key in fields) {
    const value = anyValue(fields[key]);
    if (value) out.push({ key, value });
  }
  return out;
};

/** Epoch milliseconds as OTLP's fixed64 nanoseconds: a decimal string. */
export const unixNano = (ms: number): string => (Math.round(ms * 1000) || 0) + '000';

/** The resource every request describes (SPEC §4b): the app, its release and environment, and us. */
export const resource = (ctx: EnvelopeContext): { attributes: KeyValue[] } => ({
  attributes: attributes({
    'service.name': ctx.app.name,
    'service.version': ctx.app.release,
    'deployment.environment.name': ctx.app.env,
    'telemetry.sdk.name': 'telltale',
    'telemetry.sdk.language': 'webjs',
    'telemetry.sdk.version': VERSION,
  }),
});

/** The instrumentation scope of every record. */
export const SCOPE = { name: 'telltale', version: VERSION };
