// Median and range of repeated runs.
export const summary = (values) => {
  const v = values.filter((x) => typeof x == 'number' && isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], n: v.length, runs: values };
};

/** Pairwise differences of two equally long series (runs interleaved, so each pair saw the same load). */
export const minus = (a, b) => a.map((x, i) => x - b[i]);
