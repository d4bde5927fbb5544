// Our OTLP JSON through the OTLP protobuf message definitions (the code protobufjs generated from
// opentelemetry-proto, shipped in @opentelemetry/otlp-transformer 0.212.0, whose LogRecord has
// event_name): JSON → message → bytes → message → JSON gives back what we sent.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeOtlpBatch } from '../../../src/transport/otlp/encodeOtlpBatch';
import { batchOf, EVENTS, SUMMARY } from './fixtures';

interface MessageType {
  fromObject(o: unknown): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  toObject(m: unknown, options: Record<string, unknown>): Record<string, unknown>;
}
const require = createRequire(import.meta.url);
const root = require('../../../node_modules/otlp-transformer-0212/build/src/generated/root.js');
const service = (signal: string, name: string): MessageType => root.opentelemetry.proto.collector[signal].v1[name];

/**
 * proto3 leaves scalars at their default off the wire; the fields of a oneof or `optional` keep
 * their presence, and protobufjs writes the fixed64 zero_count whenever it is set.
 */
const KEPT = new Set(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'asInt', 'asDouble', 'min', 'max', 'sum', 'zeroCount']);
const withoutDefaults = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(withoutDefaults);
  if (!v || typeof v != 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (KEPT.has(k) || !(x === 0 || x === '0' || x === '' || x === false)) out[k] = withoutDefaults(x);
  return out;
};

const roundTrip = (type: MessageType, json: unknown) => {
  const bytes = type.encode(type.fromObject(json)).finish();
  return { bytes, back: type.toObject(type.decode(bytes), { longs: String, enums: Number, bytes: String }) };
};

describe('OTLP JSON through the protobuf definitions', () => {
  it('logs: JSON → ExportLogsServiceRequest → bytes → message → the same JSON', () => {
    const json = JSON.parse(encodeOtlpBatch(batchOf(EVENTS)).body);
    const { bytes, back } = roundTrip(service('logs', 'ExportLogsServiceRequest'), json);
    expect(bytes.length).toBeGreaterThan(500);
    expect(back).toEqual(withoutDefaults(json));
    // the field a definition without event_name would lose
    expect((back as any).resourceLogs[0].scopeLogs[0].logRecords[0].eventName).toBe('browser.web_vital');
  });

  it('metrics: JSON → ExportMetricsServiceRequest → bytes → message → the same JSON', () => {
    const json = JSON.parse(encodeOtlpBatch(batchOf([SUMMARY])).body);
    const { back } = roundTrip(service('metrics', 'ExportMetricsServiceRequest'), json);
    expect(back).toEqual(withoutDefaults(json));
    const point = (back as any).resourceMetrics[0].scopeMetrics[0].metrics[0].exponentialHistogram.dataPoints[0];
    expect(point.positive.bucketCounts.reduce((s: number, c: string) => s + +c, 0)).toBe(400);
  });

  it('would catch a wrong JSON spelling: a snake_case key does not survive', () => {
    const json = JSON.parse(encodeOtlpBatch(batchOf(EVENTS.slice(0, 1))).body);
    const record = json.resourceLogs[0].scopeLogs[0].logRecords[0];
    record.event_name = record.eventName;
    delete record.eventName;
    expect(roundTrip(service('logs', 'ExportLogsServiceRequest'), json).back).not.toEqual(withoutDefaults(json));
  });
});
