// A DDSketch-style quantile sketch (Masson et al., VLDB 2019). Bucket i holds the
// values in (γ^(i-1), γ^i] with γ = (1+α)/(1-α); answering a quantile with
// 2γ^i/(γ+1) is then within a relative error α of the true value in that bucket.
// The buckets are a window of M counters: when the values span more than γ^M
// (27,000× here), the lowest buckets are collapsed into one, so only the low
// quantiles lose accuracy and memory never grows (M × 4 bytes = 2 KB).

/** Relative accuracy. */
export const ALPHA = 0.01;
const G = (1 + ALPHA) / (1 - ALPHA);
const LG = Math.log(G);
/** Counters per sketch. */
export const M = 512;
/** Values below this (ms) count as zero. */
const MIN = 1e-6;

export interface Sketch {
  /** Counters: slot j is bucket `lo + j`. */
  c: Uint32Array;
  lo: number;
  /** Highest bucket used. */
  hi: number;
  /** Values counted as zero. */
  z: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export const createSketch = (): Sketch => ({ c: new Uint32Array(M), lo: 0, hi: -Infinity, z: 0, n: 0, sum: 0, min: Infinity, max: -Infinity });

/** Moves the window to start at bucket `lo`; buckets below it go into its first slot. */
const move = (s: Sketch, lo: number) => {
  const old = s.c.slice();
  s.c.fill(0);
  for (let j = 0; j < M; j++) if (old[j]) s.c[Math.max(0, j + s.lo - lo)] += old[j];
  s.lo = lo;
};

/** Adds `k` values in bucket `i`. */
const put = (s: Sketch, i: number, k: number) => {
  if (s.hi < i) {
    // first bucket: room on both sides
    if (s.hi == -Infinity) s.lo = i - M / 2;
    s.hi = i;
  }
  // keep the highest M buckets: collapse the lowest when the top grows past the window,
  // widen downwards while the top leaves room
  if (i >= s.lo + M) move(s, s.hi - M + 1);
  else if (i < s.lo && s.hi - M + 1 < s.lo) move(s, Math.max(i, s.hi - M + 1));
  s.c[Math.max(0, i - s.lo)] += k;
};

/** O(1), except when the window moves (amortised O(1)). */
export const sketchAdd = (s: Sketch, x: number): void => {
  s.n++;
  s.sum += x;
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
  if (x < MIN) s.z++;
  else put(s, Math.ceil(Math.log(x) / LG), 1);
};

/** Adds every value of `b` to `a`, as if `a` had been fed both streams. */
export const sketchMerge = (a: Sketch, b: Sketch): void => {
  for (let j = 0; j < M; j++) if (b.c[j]) put(a, b.lo + j, b.c[j]);
  a.z += b.z;
  a.n += b.n;
  a.sum += b.sum;
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
};

/** The q-quantile (0..1) within relative error α; NaN when empty. */
export const sketchQuantile = (s: Sketch, q: number): number => {
  if (!s.n) return NaN;
  const rank = q * (s.n - 1);
  let seen = s.z;
  if (rank < seen) return 0;
  for (let j = 0; j < M; j++)
    if ((seen += s.c[j]) > rank) return Math.min(s.max, Math.max(s.min, (2 * G ** (s.lo + j)) / (G + 1)));
  return s.max;
};

/** The counters as they go on the wire: first bucket index, then counts from it, dense. */
export const sketchBins = (s: Sketch): { a: number; i: number; c: number[]; z: number } => {
  let f = 0;
  let l = M - 1;
  while (f < M && !s.c[f]) f++;
  while (l > f && !s.c[l]) l--;
  return { a: ALPHA, i: s.lo + f, c: Array.from(s.c.subarray(f, l + 1)), z: s.z };
};
