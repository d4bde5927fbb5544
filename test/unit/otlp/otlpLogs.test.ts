// Our OTLP logs against OpenTelemetry's own: the same events built with @opentelemetry/sdk-logs
// (attributes written out by hand from the semantic conventions) and serialized by
// @opentelemetry/otlp-transformer's JsonLogsSerializer, compared field by field.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/lib/version';
import { encodeOtlpBatch } from '../../../src/transport/otlp/encodeOtlpBatch';
import { batchOf, CTX, EVENTS, normalize, T } from './fixtures';

const common = (id: string, page: string) => ({ 'telltale.event.id': id, 'session.id': CTX.session, 'user.hash': CTX.user!, 'url.path': page });

/** What the semantic conventions and SPEC §4b say each fixture event becomes. */
const EXPECTED: [eventName: string, attributes: Record<string, string | number | boolean>, severity?: [number, string]][] = [
  ['browser.web_vital', { ...common('e1', '/cart'), 'browser.web_vital.name': 'lcp', 'browser.web_vital.value': 2400.5, 'browser.web_vital.delta': 2400.5, 'browser.web_vital.id': 'e1', 'browser.web_vital.rating': 'good', 'browser.web_vital.navigation_type': 'navigate', 'telltale.vital.attribution.element': 'img.hero', 'telltale.vital.attribution.resource_load_delay': 12 }],
  ['browser.web_vital', { ...common('e2', '/cart'), 'browser.web_vital.name': 'cls', 'browser.web_vital.value': 0.12, 'browser.web_vital.delta': 0.02, 'browser.web_vital.id': 'e2', 'browser.web_vital.rating': 'needs-improvement', 'browser.web_vital.navigation_type': 'reload' }],
  ['exception', { ...common('e3', '/cart'), 'exception.type': 'TypeError', 'exception.message': 'x is undefined', 'exception.stacktrace': 'TypeError: x is undefined\n    at f (app.js:3:7)', 'code.file.path': 'https://shop.example/app.js', 'code.line.number': 3, 'code.column.number': 7, 'telltale.error.source': 'error' }, [17, 'ERROR']],
  ['telltale.interaction', { ...common('e4', '/cart'), 'telltale.interaction.action': 'click', 'telltale.interaction.target': 'button#buy', 'telltale.interaction.rage': true }],
  ['telltale.route', { ...common('e5', '/done'), 'telltale.route.from': '/cart', 'telltale.route.to': '/done' }],
  ['telltale.inference', { ...common('e6', '/cart'), 'telltale.inference.model': 'rank', 'telltale.inference.duration_ms': 12.5, 'telltale.inference.ok': true, 'telltale.inference.source': 'model', 'telltale.inference.backend': 'wasm', 'telltale.inference.input_size': 3 }],
  ['telltale.alert', { ...common('e7', '/cart'), 'telltale.alert.model': 'rank', 'telltale.alert.rule': 'error_rate', 'telltale.alert.severity': 'critical', 'telltale.alert.value': 0.12, 'telltale.alert.threshold': 0.05, 'telltale.alert.status': 'raised' }, [17, 'ERROR']],
  ['telltale.custom', { ...common('e8', '/cart'), 'telltale.custom.name': 'checkout', 'telltale.custom.data.total': 42, 'telltale.custom.data.currency': 'EUR' }],
];

const sdkBody = () => {
  const records: ReadWriteLogRecord[] = [];
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.version': '1.4.2', 'deployment.environment.name': 'production', 'telemetry.sdk.name': 'telltale', 'telemetry.sdk.language': 'webjs', 'telemetry.sdk.version': VERSION }),
    processors: [{ onEmit: (r) => void records.push(r), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const logger = provider.getLogger('telltale', VERSION);
  EXPECTED.forEach(([eventName, attributes, severity], i) =>
    logger.emit({ eventName, attributes, timestamp: T + i, observedTimestamp: T + i, ...(severity && { severityNumber: severity[0], severityText: severity[1] }) }),
  );
  return JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records)));
};

describe('OTLP logs', () => {
  it('equal, field by field, what OpenTelemetry JS serializes for the same events', () => {
    const ours = encodeOtlpBatch(batchOf(EVENTS));
    expect(ours.path).toBe('/v1/logs');
    const body = JSON.parse(ours.body);
    expect(normalize(body)).toEqual(normalize(sdkBody()));
  });

  it('follow the OTLP/JSON rules: 64-bit integers as decimal strings, one AnyValue variant, lowerCamelCase keys', () => {
    const text = encodeOtlpBatch(batchOf(EVENTS)).body;
    const record = JSON.parse(text).resourceLogs[0].scopeLogs[0].logRecords[2];
    expect(record.timeUnixNano).toBe('1732349999002000000');
    expect(record.attributes.find((a: { key: string }) => a.key == 'code.line.number').value).toEqual({ intValue: '3' });
    for (const [, key] of text.matchAll(/"([^"]+)":/g)) if (!/[.\s]/.test(key)) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
    for (const [value] of text.matchAll(/"value":\{[^{}]*\}/g)) expect(Object.keys(JSON.parse(value.slice(8)))).toHaveLength(1);
    // no deprecated event.name attribute, the top-level eventName instead
    expect(text).not.toContain('"event.name"');
  });

  it('leave user.hash out before setUser', () => {
    const batch = batchOf(EVENTS.slice(0, 1));
    batch.ctx = JSON.stringify({ ...CTX, user: undefined });
    expect(encodeOtlpBatch(batch).body).not.toContain('user.hash');
  });
});
