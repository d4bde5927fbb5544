// Our OTLP metrics against OpenTelemetry's own: the same summary recorded with
// @opentelemetry/sdk-metrics (DELTA, exponential histogram in seconds) and serialized by
// @opentelemetry/otlp-transformer's JsonMetricsSerializer, compared field by field.
import { ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/lib/version';
import { MAX_BUCKETS } from '../../../src/model/sketch';
import { encodeOtlpBatch } from '../../../src/transport/otlp/encodeOtlpBatch';
import { batchOf, LATENCIES_MS, normalize, SUMMARY } from './fixtures';
import { DeltaReader } from './sdkHistogram';

const DURATION = 'telltale.model.inference.duration';

const sdkBody = async () => {
  const reader = new DeltaReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.version': '1.4.2', 'deployment.environment.name': 'production', 'telemetry.sdk.name': 'telltale', 'telemetry.sdk.language': 'webjs', 'telemetry.sdk.version': VERSION }),
    readers: [reader],
    views: [{ instrumentName: DURATION, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: MAX_BUCKETS, recordMinMax: true } } }],
  });
  const meter = provider.getMeter('telltale', VERSION);
  const model = { 'telltale.model.name': 'rank', 'telltale.model.version': '2', 'telltale.model.backend': 'webgpu' };
  const duration = meter.createHistogram(DURATION, { unit: 's', description: 'On-device model inference duration' });
  for (const ms of LATENCIES_MS) duration.record(ms / 1000, model);
  meter.createCounter('telltale.model.calls', { unit: '{call}', valueType: ValueType.INT }).add(400, model);
  meter.createCounter('telltale.model.errors', { unit: '{call}', valueType: ValueType.INT }).add(4, model);
  meter.createCounter('telltale.model.fallbacks', { unit: '{call}', valueType: ValueType.INT }).add(2, model);
  meter.createCounter('telltale.model.timeouts', { unit: '{call}', valueType: ValueType.INT }).add(1, model);
  meter.createGauge('telltale.model.health', { unit: '1' }).record(80, model);
  meter.createGauge('telltale.model.drift.mean_shift_z', { unit: '1' }).record(3.2, model);
  meter.createGauge('telltale.model.drift.variance_ratio', { unit: '1' }).record(1.4, model);
  meter.createGauge('telltale.model.drift.latency_z', { unit: '1' }).record(-0.5, model);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return JSON.parse(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(resourceMetrics)));
};

type Json = Record<string, any>;
const metricsOf = (body: Json): Json[] => body.resourceMetrics[0].scopeMetrics[0].metrics;
const pointOf = (metric: Json): Json => (metric.exponentialHistogram ?? metric.sum ?? metric.gauge).dataPoints[0];

describe('OTLP metrics', () => {
  it('equal, field by field, what OpenTelemetry JS records and serializes for the same calls', async () => {
    const ours = encodeOtlpBatch(batchOf([SUMMARY]));
    expect(ours.path).toBe('/v1/metrics');
    const body = JSON.parse(ours.body);
    const sdk = await sdkBody();
    // the SDK's histogram starts at scale 20 and stops where the range fits: the same buckets one scale or more finer
    const sdkHistogram = pointOf(metricsOf(sdk)[0]);
    expect(sdkHistogram.scale).toBeGreaterThanOrEqual(pointOf(metricsOf(body)[0]).scale);
    // only the times differ (the SDK stamps its own clock): ours are the summary's window
    for (const metric of metricsOf(sdk)) {
      const point = pointOf(metric);
      Object.assign(point, { startTimeUnixNano: pointOf(metricsOf(body)[0]).startTimeUnixNano, timeUnixNano: pointOf(metricsOf(body)[0]).timeUnixNano });
      if (metric.exponentialHistogram) {
        const shift = point.scale - pointOf(metricsOf(body)[0]).scale;
        const counts = new Map<number, number>();
        point.positive.bucketCounts.forEach((c: number, i: number) => counts.set((point.positive.offset + i) >> shift, (counts.get((point.positive.offset + i) >> shift) ?? 0) + +c));
        const offset = Math.min(...counts.keys());
        Object.assign(point, { scale: point.scale - shift, positive: { offset, bucketCounts: Array.from({ length: Math.max(...counts.keys()) - offset + 1 }, (_, i) => counts.get(offset + i) ?? 0) } });
        // floating point: the SDK adds in another order
        expect(point.sum).toBeCloseTo(pointOf(metricsOf(body)[0]).sum, 12);
        point.sum = pointOf(metricsOf(body)[0]).sum;
      }
    }
    expect(normalize(body)).toEqual(normalize(sdk));
  });

  it('says DELTA, monotonic, seconds, and the window of the summary', () => {
    const [duration, calls] = metricsOf(JSON.parse(encodeOtlpBatch(batchOf([SUMMARY])).body));
    expect(duration).toMatchObject({ unit: 's', exponentialHistogram: { aggregationTemporality: 1 } });
    expect(pointOf(duration)).toMatchObject({ count: '400', zeroCount: '0', startTimeUnixNano: String(SUMMARY.t - 60_000) + '000000', timeUnixNano: String(SUMMARY.t) + '000000', min: 0.003, max: Math.max(...LATENCIES_MS) / 1000 });
    expect(calls).toMatchObject({ sum: { aggregationTemporality: 1, isMonotonic: true } });
    expect(pointOf(calls).asInt).toBe('400');
  });
});
