import type { Input } from './entries';

const counted = () => (performance as { interactionCount?: number }).interactionCount;

/**
 * INP: the longest interactions (at most 10, each its entries with the longest first, which gives
 * its duration); the one at p98 (one in every 50 interactions is let off). After a
 * back/forward-cache restore (`restored`) only the interactions since count.
 */
export const interactions = (restored?: boolean) => {
  const top: Input[][] = [];
  const byId = new Map<number, Input[]>();
  // where the browser does not count interactions: ids grow by 7 per interaction
  let lo = Infinity;
  let hi = 0;
  const base = (restored && counted()) || 0;
  return {
    /** An entry; a `candidate` may be INP, the others are only counted. */
    add(e: Input, candidate = true) {
      const id = e.interactionId;
      if (!id) return;
      lo = Math.min(lo, id);
      hi = Math.max(hi, id);
      if (!candidate) return;
      let i = byId.get(id);
      if (i) i[e.duration > i[0].duration ? 'unshift' : 'push'](e);
      else if (!top[9] || e.duration > top[9][0].duration) byId.set(id, (i = [e])), top.push(i);
      top.sort((a, b) => b[0].duration - a[0].duration);
      for (const [x] of top.splice(10)) byId.delete(x.interactionId);
    },
    inp: (): Input[] | undefined => top[Math.min(top.length - 1, Math.floor(((counted() ?? (hi && (hi - lo) / 7 + 1)) - base) / 50))],
  };
};
