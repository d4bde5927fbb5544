// What the reference ingest exposes on GET /metrics (Prometheus text format 0.0.4), from either
// wire: per model calls, errors, fallbacks (counters), inference duration (a histogram) and
// health (a gauge); per web vital a histogram whose bucket bounds are web-vitals' thresholds.

/** Classic histogram bounds of the duration: the sketch's own buckets at this scale (base 2^(1/8), 9%). */
const DURATION_SCALE = 3;
/** Bounds from 2^-10 s (~1 ms) to 2^7 s (128 s). */
const DURATION_LOW = -10 * 2 ** DURATION_SCALE;
const DURATION_HIGH = 7 * 2 ** DURATION_SCALE;
/** Upper bound of each duration bucket, in seconds: bucket i of scale 3 is (2^(i/8), 2^((i+1)/8)]. */
const DURATION_BOUNDS = Array.from({ length: DURATION_HIGH - DURATION_LOW }, (_, i) => 2 ** ((DURATION_LOW + i + 1) / 2 ** DURATION_SCALE));

/** web-vitals' good / poor thresholds (ms; CLS unitless). */
export const VITAL_BOUNDS = { LCP: [2500, 4000], INP: [200, 500], CLS: [0.1, 0.25], FCP: [1800, 3000], TTFB: [800, 1800] };

const escape = (v) => String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels) => Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');

/** A classic histogram: counts per bound (not cumulative), +Inf, sum and count. */
const createHistogram = (bounds) => ({ counts: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 });

/** The bucket (of DURATION_BOUNDS, or the +Inf one) of a duration bucket `index` at `scale` in seconds. */
const durationSlot = (index, scale) => {
  const at = scale >= DURATION_SCALE ? index >> (scale - DURATION_SCALE) : Math.ceil((index + 1) * 2 ** (DURATION_SCALE - scale)) - 1;
  return Math.min(Math.max(at - DURATION_LOW, 0), DURATION_BOUNDS.length);
};

export const createPrometheus = () => {
  /** key → { labels, calls, errors, fallbacks, health, duration } */
  const models = new Map();
  /** key → { name, labels, histogram } */
  const vitals = new Map();

  const model = (labels) => {
    const key = JSON.stringify(labels);
    if (!models.has(key)) models.set(key, { labels, calls: 0, errors: 0, fallbacks: 0, health: undefined, duration: createHistogram(DURATION_BOUNDS) });
    return models.get(key);
  };

  const vital = (app, name, value) => {
    const bounds = VITAL_BOUNDS[name];
    if (!bounds || typeof value != 'number') return;
    const key = app + '\n' + name;
    if (!vitals.has(key)) vitals.set(key, { name, labels: { app }, histogram: createHistogram(bounds) });
    const { histogram } = vitals.get(key);
    const slot = bounds.findIndex((b) => value <= b);
    histogram.counts[slot < 0 ? bounds.length : slot]++;
    histogram.sum += value;
    histogram.count++;
  };

  /**
   * One model summary. Buckets of a sketch in seconds land whole in the histogram's buckets (the
   * same mapping, coarser); those of a sketch in ms (the telltale wire) by their upper bound, in
   * the bucket holding it: within one sketch bucket (0.5%) of where an exact rebucketing would put them.
   */
  const summary = (labels, { calls, errors, fallbacks, health, sketch, sumSeconds }) => {
    const m = model(labels);
    m.calls += calls;
    m.errors += errors;
    m.fallbacks += fallbacks;
    if (typeof health == 'number') m.health = health;
    if (!sketch) return;
    const seconds = sketch.unit == 's';
    const base = 2 ** 2 ** -sketch.scale;
    m.duration.counts[0] += sketch.zeroCount;
    sketch.counts.forEach((count, i) => {
      const index = sketch.offset + i;
      const slot = seconds ? durationSlot(index, sketch.scale) : durationSlot(Math.ceil(Math.log2(base ** (index + 1) / 1000) * 2 ** DURATION_SCALE) - 1, DURATION_SCALE);
      m.duration.counts[slot] += count;
    });
    m.duration.count += sketch.zeroCount + sketch.counts.reduce((s, c) => s + c, 0);
    m.duration.sum += sumSeconds;
  };

  /** Events of the telltale wire (SPEC §4), already deduplicated. */
  const telltaleEvents = (app, events) => {
    for (const e of events) {
      if (e.type == 'vital') vital(app, e.name, e.value);
      if (e.type == 'inference_summary')
        summary(
          { app, model: e.model },
          { calls: e.count, errors: e.errors, fallbacks: e.fallbacks ?? 0, health: e.health?.score, sketch: e.sketch, sumSeconds: (e.latency.mean * e.count) / 1000 },
        );
    }
  };

  /** Log records of an ExportLogsServiceRequest: the web vitals. */
  const otlpLogs = (app, records) => {
    for (const r of records) {
      if (r.eventName != 'browser.web_vital') continue;
      const attrs = Object.fromEntries(r.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
      vital(app, String(attrs['browser.web_vital.name']).toUpperCase(), Number(attrs['browser.web_vital.value']));
    }
  };

  /** Metrics of an ExportMetricsServiceRequest (DELTA), summed per model. */
  const otlpMetrics = (app, metrics) => {
    const points = new Map();
    const pointOf = (p) => {
      const attrs = Object.fromEntries((p.attributes || []).map((a) => [a.key, Object.values(a.value)[0]]));
      const labels = { app, model: attrs['telltale.model.name'] };
      const key = JSON.stringify(labels);
      if (!points.has(key)) points.set(key, { labels, calls: 0, errors: 0, fallbacks: 0, sumSeconds: 0 });
      return points.get(key);
    };
    const FIELDS = { 'telltale.model.calls': 'calls', 'telltale.model.errors': 'errors', 'telltale.model.fallbacks': 'fallbacks' };
    for (const metric of metrics) {
      const data = metric.sum ?? metric.gauge ?? metric.exponentialHistogram;
      for (const p of data?.dataPoints || []) {
        const at = pointOf(p);
        if (FIELDS[metric.name]) at[FIELDS[metric.name]] += Number(p.asInt ?? p.asDouble);
        if (metric.name == 'telltale.model.health') at.health = Number(p.asDouble ?? p.asInt);
        if (metric.exponentialHistogram) {
          at.sketch = { unit: 's', scale: p.scale, zeroCount: Number(p.zeroCount || 0), offset: p.positive?.offset || 0, counts: (p.positive?.bucketCounts || []).map(Number) };
          at.sumSeconds = p.sum || 0;
        }
      }
    }
    for (const { labels, ...point } of points.values()) summary(labels, point);
  };

  const histogramLines = (name, labels, bounds, h) => {
    const lines = [];
    let cumulative = 0;
    bounds.forEach((b, i) => {
      cumulative += h.counts[i];
      lines.push(`${name}_bucket{${labelText({ ...labels, le: b })}} ${cumulative}`);
    });
    lines.push(`${name}_bucket{${labelText({ ...labels, le: '+Inf' })}} ${h.count}`, `${name}_sum{${labelText(labels)}} ${h.sum}`, `${name}_count{${labelText(labels)}} ${h.count}`);
    return lines;
  };

  /** The exposition, text format 0.0.4. */
  const text = () => {
    const out = [];
    for (const [field, help] of [['calls', 'Model calls'], ['errors', 'Model calls that failed'], ['fallbacks', 'Model calls served by the fallback']]) {
      out.push(`# HELP telltale_model_${field}_total ${help}.`, `# TYPE telltale_model_${field}_total counter`);
      for (const m of models.values()) out.push(`telltale_model_${field}_total{${labelText(m.labels)}} ${m[field]}`);
    }
    out.push('# HELP telltale_model_health Model health score, 0..100, of the last summary.', '# TYPE telltale_model_health gauge');
    for (const m of models.values()) if (m.health !== undefined) out.push(`telltale_model_health{${labelText(m.labels)}} ${m.health}`);
    out.push('# HELP telltale_model_inference_duration_seconds On-device model inference duration.', '# TYPE telltale_model_inference_duration_seconds histogram');
    for (const m of models.values()) out.push(...histogramLines('telltale_model_inference_duration_seconds', m.labels, DURATION_BOUNDS, m.duration));
    for (const name of Object.keys(VITAL_BOUNDS)) {
      const metric = `telltale_web_vital_${name.toLowerCase()}` + (name == 'CLS' ? '' : '_milliseconds');
      out.push(`# HELP ${metric} ${name} as web-vitals measures it, bucketed by its good and poor thresholds.`, `# TYPE ${metric} histogram`);
      for (const v of vitals.values()) if (v.name == name) out.push(...histogramLines(metric, v.labels, VITAL_BOUNDS[name], v.histogram));
    }
    return out.join('\n') + '\n';
  };

  return { telltaleEvents, otlpLogs, otlpMetrics, text };
};
