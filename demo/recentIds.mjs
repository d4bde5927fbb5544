// The ids an ingest has stored lately, for dedupe: a retry comes within minutes of the
// first try, so ids older than a window (or beyond a count) are forgotten and memory stays bounded.

/** How long an event id is remembered, in ms. */
export const DEDUPE_WINDOW_MS = 15 * 60_000;
/** Most ids remembered at once. */
export const DEDUPE_MAX_IDS = 200_000;

/**
 * @param {{ windowMs?: number, maxIds?: number, now?: () => number }} [o]
 */
export const recentIds = ({ windowMs = DEDUPE_WINDOW_MS, maxIds = DEDUPE_MAX_IDS, now = Date.now } = {}) => {
  // insertion order is age order: the oldest come first
  const addedAt = new Map();
  let forgotten = 0;

  const forgetOld = () => {
    const oldest = now() - windowMs;
    for (const [id, at] of addedAt) {
      if (at >= oldest && addedAt.size <= maxIds) break;
      addedAt.delete(id);
      forgotten++;
    }
  };

  return {
    /** True when `id` was not seen within the window; it is remembered from now on. */
    add(id) {
      forgetOld();
      if (addedAt.has(id)) return false;
      addedAt.set(id, now());
      forgetOld();
      return true;
    },
    /** Forgets `id` (its write failed: the retry must be stored). */
    delete: (id) => addedAt.delete(id),
    stats: () => ({ ids: addedAt.size, forgotten, windowMs, maxIds }),
  };
};
