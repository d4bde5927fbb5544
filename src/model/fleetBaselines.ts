// Baselines learned from the whole fleet (option `baselineUrl`): the ingest merges the
// summaries of every page and device per model and version and serves
// `{ [model]: { mean, std, latencyMs, latencyStdMs, n, version } }`. A page fetches them once
// per session (kept in sessionStorage), without credentials, and never makes a call wait for
// them: calls made meanwhile are only held for the aggregates, as while ./monitor loads.
import { attempt, noop } from '../lib/attempt';
import { warn } from '../lib/debug';
import type { Baseline } from '../types';

/** One model's baseline as the fleet learned it. */
export interface FleetBaseline extends Baseline {
  /** Calls it was learned from, across the fleet. */
  n?: number;
  /** The model version it describes; a page running another version learns its own. */
  version?: string;
}

export type FleetBaselines = Record<string, FleetBaseline>;

/** Longest wait for the fleet baselines before the aggregates go on without them, in ms. */
const FETCH_TIMEOUT_MS = 5_000;
const STORAGE_PREFIX = 'telltale:baselines:';

const finite = (v: unknown): v is number => typeof v == 'number' && Number.isFinite(v);

/** The entries of `body` that are usable baselines (others are skipped). */
const usable = (body: unknown): FleetBaselines => {
  const out: FleetBaselines = {};
  if (typeof body != 'object' || !body) return out;
  for (const [model, entry] of Object.entries(body as Record<string, FleetBaseline>)) {
    if (typeof entry != 'object' || !entry) continue;
    const baseline: FleetBaseline = {};
    if (finite(entry.mean) && finite(entry.std) && entry.std >= 0) {
      baseline.mean = entry.mean;
      baseline.std = entry.std;
    }
    if (finite(entry.latencyMs) && entry.latencyMs > 0 && finite(entry.latencyStdMs) && entry.latencyStdMs >= 0) {
      baseline.latencyMs = entry.latencyMs;
      baseline.latencyStdMs = entry.latencyStdMs;
    }
    if (finite(entry.n) && entry.n > 1) baseline.n = entry.n;
    if (typeof entry.version == 'string') baseline.version = entry.version;
    if (baseline.std !== undefined || baseline.latencyMs !== undefined) out[model] = baseline;
  }
  return out;
};

/**
 * The fleet baselines at `url`: from this session's copy, else fetched (and kept for the
 * session). Never rejects: a failure (network, status, body) calls `failed` and resolves empty.
 */
export const loadFleetBaselines = async (url: string, failed: (why: unknown) => void): Promise<FleetBaselines> => {
  const key = STORAGE_PREFIX + url;
  const kept = attempt(noop, () => JSON.parse(sessionStorage.getItem(key) || 'null')) as FleetBaselines | null | undefined;
  if (kept) return usable(kept);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(url, { credentials: 'omit', signal: abort.signal });
    if (!response.ok) throw new Error('status ' + response.status);
    const baselines = usable(await response.json());
    attempt(noop, () => sessionStorage.setItem(key, JSON.stringify(baselines)));
    return baselines;
  } catch (e) {
    warn('baselineUrl: no fleet baselines', e);
    failed(e);
    return {};
  } finally {
    clearTimeout(timer);
  }
};
