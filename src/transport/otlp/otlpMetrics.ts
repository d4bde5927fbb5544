// `inference_summary` events as an OTLP ExportMetricsServiceRequest (SPEC §4b): per model
// (`telltale.model.name|version|backend`) the inference duration as an ExponentialHistogram in
// seconds, calls/errors/fallbacks/timeouts as monotonic Sums, health and drift z-scores as
// Gauges, all DELTA over the summary's window.
import type { SketchBuckets } from '../../model/sketch';
import type { EnvelopeContext, TelltaleEvent } from '../../types';
import { attributes, resource, SCOPE, unixNano, type KeyValue } from './otlpValue';

/** AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA */
const DELTA = 1;

interface Point {
  attributes: KeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  [field: string]: unknown;
}

/** Counters: metric name, the summary field, unit. */
const SUMS = [
  ['telltale.model.calls', 'count', '{call}'],
  ['telltale.model.errors', 'errors', '{call}'],
  ['telltale.model.fallbacks', 'fallbacks', '{call}'],
  ['telltale.model.timeouts', 'timeouts', '{call}'],
] as const;

/** Gauges: metric name, unit, how to read it from the summary. */
const GAUGES: [string, string, (summary: TelltaleEvent) => unknown][] = [
  ['telltale.model.health', '1', (s) => (s.health as { score?: number } | undefined)?.score],
  ['telltale.model.drift.mean_shift_z', '1', (s) => (s.drift as { meanShiftZ?: number } | undefined)?.meanShiftZ],
  ['telltale.model.drift.variance_ratio', '1', (s) => (s.drift as { varianceRatio?: number } | undefined)?.varianceRatio],
  ['telltale.model.drift.latency_z', '1', (s) => (s.drift as { latencyZ?: number } | undefined)?.latencyZ],
];

const isNumber = (v: unknown): v is number => typeof v == 'number' && isFinite(v);

/**
 * The histogram point of a sketch recorded in seconds. A sketch in ms (queued under the telltale
 * protocol before the site switched) has no exact form in seconds: none then.
 */
const histogramPoint = (sketch: SketchBuckets | undefined, count: number) =>
  sketch?.unit == 's' && {
    count: String(count),
    sum: sketch.sum,
    min: sketch.min,
    max: sketch.max,
    scale: sketch.scale,
    zeroCount: String(sketch.zeroCount),
    positive: { offset: sketch.offset, bucketCounts: sketch.counts.map(String) },
  };

/** A batch's summaries (one envelope context) as the body of `POST /v1/metrics`. */
export const encodeMetrics = (summaries: TelltaleEvent[], ctx: EnvelopeContext): string => {
  const durations: Point[] = [];
  const sums = SUMS.map((): Point[] => []);
  const gauges = GAUGES.map((): Point[] => []);
  for (const s of summaries) {
    // the window: from the sketch's start (the previous summary, or the first call) to the summary
    const sketch = s.sketch as SketchBuckets | undefined;
    const point = {
      attributes: attributes({ 'telltale.model.name': s.model, 'telltale.model.version': s.version, 'telltale.model.backend': s.backend }),
      startTimeUnixNano: unixNano(sketch?.start ?? s.t),
      timeUnixNano: unixNano(s.t),
    };
    const histogram = histogramPoint(sketch, s.count as number);
    if (histogram) durations.push({ ...point, ...histogram });
    SUMS.forEach(([, field], i) => {
      if (isNumber(s[field])) sums[i].push({ ...point, asInt: String(s[field]) });
    });
    GAUGES.forEach(([, , read], i) => {
      const value = read(s);
      if (isNumber(value)) gauges[i].push({ ...point, asDouble: value });
    });
  }
  const metrics: unknown[] = [];
  if (durations.length)
    metrics.push({
      name: 'telltale.model.inference.duration',
      unit: 's',
      description: 'On-device model inference duration',
      exponentialHistogram: { dataPoints: durations, aggregationTemporality: DELTA },
    });
  SUMS.forEach(([name, , unit], i) => {
    if (sums[i].length) metrics.push({ name, unit, sum: { dataPoints: sums[i], aggregationTemporality: DELTA, isMonotonic: true } });
  });
  GAUGES.forEach(([name, unit], i) => {
    if (gauges[i].length) metrics.push({ name, unit, gauge: { dataPoints: gauges[i] } });
  });
  return JSON.stringify({ resourceMetrics: [{ resource: resource(ctx), scopeMetrics: [{ scope: SCOPE, metrics }] }] });
};
