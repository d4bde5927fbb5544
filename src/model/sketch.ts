// A latency histogram in OpenTelemetry's base-2 exponential bucket mapping: at scale s the base
// is 2^(2^-s) and bucket i holds the values in (base^i, base^(i+1)]. The same buckets are an
// OTLP ExponentialHistogram and a Prometheus native histogram (schema = scale), so sketches of
// many pages and devices merge exactly. Scale 6 (relative error 0.54%) while the values' range
// fits in the ring; past that the scale drops (bucket i becomes i >> k) until it fits.
// The counters are a ring addressed by index modulo its size (a power of two: the low bits,
// negative indices too): the range never exceeds the ring, so two live buckets never share a
// slot. The ring is 4 KB either way: MAX_BUCKETS 16-bit counters (at scale 6 a range of ×2^32,
// any latencies), until one bucket would pass NARROW_COUNT_LIMIT; then WIDE_BUCKETS 32-bit ones
// (×65,536 at scale 6), the scale dropping if the range needs it.

/** Highest scale: base 2^(1/64), relative error (base − 1) / (base + 1) = 0.541%. */
export const MAX_SCALE = 6;
/** Buckets of the 16-bit ring (2 bytes each: 4 KB), a power of two: at scale 6, 32 octaves. */
export const MAX_BUCKETS = 2048;
/** Buckets of the 32-bit ring (4 bytes each: 4 KB) once a bucket outgrows 16 bits: 16 octaves at scale 6. */
export const WIDE_BUCKETS = 1024;
/** Largest count a 16-bit counter holds. */
const NARROW_COUNT_LIMIT = 0xffff;

/** A ring of bucket counters: 16-bit until a count needs more. */
type Counters = Uint16Array | Uint32Array;

export interface Sketch {
  /** Milliseconds per unit the buckets count in: 1 (ms, the telltale wire) or 1000 (s, OTLP). */
  unitMs: number;
  /** When it was created (epoch ms): the start of the window it covers. */
  start: number;
  scale: number;
  /** Ring of counters: bucket i at slot i mod its length. */
  counts: Counters;
  /** Lowest and highest bucket index holding a count (0 and -1 while no bucket does). */
  low: number;
  high: number;
  /** Values of 0 (or below): the zero bucket. */
  zeroCount: number;
  n: number;
  /** Sum, min and max of the values in ms. */
  sum: number;
  min: number;
  max: number;
}

/** The sketch as it goes on the wire (SPEC §4): counts of buckets `offset`, `offset + 1`, … */
export interface SketchBuckets {
  scale: number;
  zeroCount: number;
  offset: number;
  counts: number[];
  /**
   * Only for a sketch in seconds (recorded for OTLP, whose histogram is in seconds: ms buckets
   * cannot be rebucketed exactly, log2(1000) being irrational), with the exact sum, min and max
   * and the window's start (epoch ms).
   */
  unit?: 's';
  start?: number;
  sum?: number;
  min?: number;
  max?: number;
}

export const createSketch = (unitMs = 1): Sketch => ({
  unitMs,
  start: Date.now(),
  scale: MAX_SCALE,
  counts: new Uint16Array(MAX_BUCKETS),
  low: 0,
  high: -1,
  zeroCount: 0,
  n: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
});

/**
 * The bucket of a positive value at `scale`, computed as OpenTelemetry JS does (a power of two
 * exactly, others by floor(ln(v)·log2(e)·2^scale)), so the indices agree to the last bit.
 */
export const bucketIndex = (value: number, scale: number): number => {
  const exponent = Math.round(Math.log2(value));
  // ln(v)·(log2(e)·2^s) rounds like (ln(v)·log2(e))·2^s: a power of two scales without rounding
  const finest = 2 ** Math.max(scale, 0);
  const index = 2 ** exponent == value ? exponent * finest - 1 : Math.floor(Math.log(value) * Math.LOG2E * finest);
  return scale > 0 ? index : index >> -scale;
};

const slot = (counts: Counters, index: number) => index & (counts.length - 1);

/** Moves the live counts into the empty ring `into`, `by` scales lower (each 2^by neighbours merged). */
const moveCounts = (s: Sketch, by: number, into: Counters) => {
  for (let index = s.low; index <= s.high; index++) into[slot(into, index >> by)] += s.counts[slot(s.counts, index)];
  s.counts = into;
  s.scale -= by;
  s.low >>= by;
  s.high >>= by;
};

/** How much the scale must drop for buckets `low..high` (at the current scale) to fit `capacity` slots. */
const shrinkFor = (low: number, high: number, capacity: number): number => {
  let by = 0;
  while ((high >> by) - (low >> by) >= capacity) by++;
  return by;
};

/** Switches to 32-bit counters (WIDE_BUCKETS of them), lowering the scale if the range needs it. */
const widen = (s: Sketch) => moveCounts(s, shrinkFor(s.low, s.high, WIDE_BUCKETS), new Uint32Array(WIDE_BUCKETS));

/**
 * Lowers the scale by `by`. Merged 16-bit buckets may outgrow 16 bits: they are merged in 32
 * bits, kept in 16 when they fit, else the sketch widens.
 */
const downscale = (s: Sketch, by: number) => {
  if (!by) return;
  const narrow = s.counts instanceof Uint16Array;
  moveCounts(s, by, new Uint32Array(s.counts.length));
  if (!narrow) return;
  if (s.counts.every((count) => count <= NARROW_COUNT_LIMIT)) s.counts = Uint16Array.from(s.counts);
  else widen(s);
};

/** Adds `count` values in bucket `index` (at scale `scale` ≥ the sketch's). */
const addToBucket = (s: Sketch, index: number, scale: number, count: number) => {
  let at = index >> (scale - s.scale);
  if (s.low <= s.high) {
    downscale(s, shrinkFor(Math.min(s.low, at), Math.max(s.high, at), s.counts.length));
    at = index >> (scale - s.scale);
    s.low = Math.min(s.low, at);
    s.high = Math.max(s.high, at);
  } else s.low = s.high = at;
  if (s.counts instanceof Uint16Array && s.counts[slot(s.counts, at)] + count > NARROW_COUNT_LIMIT) {
    widen(s);
    at = index >> (scale - s.scale);
  }
  s.counts[slot(s.counts, at)] += count;
};

/** Counts one duration in ms. O(1), except when the scale drops. */
export const sketchAdd = (s: Sketch, ms: number): void => {
  s.n++;
  s.sum += ms;
  if (ms < s.min) s.min = ms;
  if (ms > s.max) s.max = ms;
  if (ms > 0) addToBucket(s, bucketIndex(ms / s.unitMs, s.scale), s.scale, 1);
  else s.zeroCount++;
};

/** Adds every value of `b` to `a` (same unit): the same buckets as one sketch fed both streams. */
export const sketchMerge = (a: Sketch, b: Sketch): void => {
  if (b.scale < a.scale) downscale(a, a.scale - b.scale);
  for (let index = b.low; index <= b.high; index++) {
    const count = b.counts[slot(b.counts, index)];
    if (count) addToBucket(a, index, b.scale, count);
  }
  a.zeroCount += b.zeroCount;
  a.n += b.n;
  a.sum += b.sum;
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
};

/**
 * The q-quantile (0..1) in ms: the value of rank q·(n − 1) is in bucket (L, U]; 2LU / (L + U) is within
 * (base − 1) / (base + 1) of anything there. Clamped to the exact min and max; NaN when empty.
 */
export const sketchQuantile = (s: Sketch, q: number): number => {
  if (!s.n) return NaN;
  const rank = q * (s.n - 1);
  let seen = s.zeroCount;
  if (rank < seen) return 0;
  const base = 2 ** 2 ** -s.scale;
  for (let index = s.low; index <= s.high; index++)
    if ((seen += s.counts[slot(s.counts, index)]) > rank) return Math.min(s.max, Math.max(s.min, (2 * s.unitMs * base ** (index + 1)) / (base + 1)));
  return s.max;
};

/** The buckets from the lowest to the highest holding a count, dense (SPEC §4). */
export const sketchBuckets = (s: Sketch): SketchBuckets => {
  const counts: number[] = [];
  for (let index = s.low; index <= s.high; index++) counts.push(s.counts[slot(s.counts, index)]);
  const buckets: SketchBuckets = { scale: s.scale, zeroCount: s.zeroCount, offset: s.low, counts };
  if (s.unitMs > 1) Object.assign(buckets, { unit: 's', start: s.start, sum: s.sum / 1000, min: s.min / 1000, max: s.max / 1000 });
  return buckets;
};
