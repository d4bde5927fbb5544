// Fleet baselines for the reference ingest: every `inference_summary` it stores carries the
// Welford moments of its calls (outputs: `output.{n, mean, m2}`; latency: `latencyMoments`),
// merged here per model and version with Chan et al.'s parallel formula, so the baseline is
// that of all the calls of every page and device, as if one page had seen them all. Served at
// `GET /v1/baselines` as `{ [model]: { mean, std, latencyMs, latencyStdMs, n, version } }` for
// the latest version of each model, the SDK's `baselineUrl`.

/** Calls a model version must have summarized before its baseline is served. */
export const MIN_BASELINE_CALLS = 30;

const moments = () => ({ n: 0, mean: 0, m2: 0 });

/** Adds the moments `b` into `a` (Chan, Golub & LeVeque 1979). */
export const mergeMoments = (a, b) => {
  const n = a.n + b.n;
  if (!b.n) return;
  const delta = b.mean - a.mean;
  a.mean += (delta * b.n) / n;
  a.m2 += b.m2 + (delta * delta * a.n * b.n) / n;
  a.n = n;
};

const valid = (m) => m && Number.isFinite(m.n) && m.n > 0 && Number.isFinite(m.mean) && Number.isFinite(m.m2) && m.m2 >= 0;
const std = (m) => (m.n > 1 ? Math.sqrt(m.m2 / (m.n - 1)) : 0);

export const createBaselines = () => {
  /** model → version → merged moments; `latest` is the version summarized last. */
  const models = new Map();

  /** Merges one stored event when it is a summary with moments. */
  const add = (event) => {
    if (event.type != 'inference_summary' || typeof event.model != 'string') return;
    const version = typeof event.version == 'string' ? event.version : '';
    let model = models.get(event.model);
    if (!model) models.set(event.model, (model = { latest: version, versions: new Map() }));
    model.latest = version;
    let merged = model.versions.get(version);
    if (!merged) model.versions.set(version, (merged = { output: moments(), latency: moments() }));
    if (valid(event.output)) mergeMoments(merged.output, event.output);
    if (valid(event.latencyMoments)) mergeMoments(merged.latency, event.latencyMoments);
  };

  /** The baselines as `GET /v1/baselines` serves them. */
  const serve = () => {
    const out = {};
    for (const [name, model] of models) {
      const { output, latency } = model.versions.get(model.latest);
      const entry = { n: Math.max(output.n, latency.n) };
      if (model.latest) entry.version = model.latest;
      if (output.n >= MIN_BASELINE_CALLS) Object.assign(entry, { mean: output.mean, std: std(output), n: output.n });
      if (latency.n >= MIN_BASELINE_CALLS) Object.assign(entry, { latencyMs: latency.mean, latencyStdMs: std(latency) });
      if (entry.mean !== undefined || entry.latencyMs !== undefined) out[name] = entry;
    }
    return out;
  };

  return { add, serve };
};
