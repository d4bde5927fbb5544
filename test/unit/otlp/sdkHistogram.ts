// OpenTelemetry's own exponential histogram aggregation (sdk-metrics), fed values in one DELTA
// collection: the reference our sketch's buckets are checked against.
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ExponentialHistogram,
} from '@opentelemetry/sdk-metrics';

/** A reader whose collect() gives DELTA points, as telltale's summaries are. */
export class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/** The SDK's histogram point of `values` (one histogram, maxSize buckets, no attributes). */
export const sdkHistogram = async (values: number[], maxSize: number): Promise<ExponentialHistogram> => {
  const reader = new DeltaReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [{ instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize, recordMinMax: true } } }],
  });
  const histogram = provider.getMeter('test').createHistogram('latency');
  for (const v of values) histogram.record(v);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const metric = resourceMetrics.scopeMetrics[0].metrics[0];
  if (metric.dataPointType != DataPointType.EXPONENTIAL_HISTOGRAM) throw new Error('not an exponential histogram');
  return metric.dataPoints[0].value;
};

/** Bucket counts keyed by index, downscaled from `scale` to `to` (i >> k), zero buckets left out. */
export const bucketsAt = (offset: number, counts: number[], scale: number, to: number): Map<number, number> => {
  const out = new Map<number, number>();
  counts.forEach((count, i) => {
    const index = (offset + i) >> (scale - to);
    if (count) out.set(index, (out.get(index) ?? 0) + count);
  });
  return out;
};
