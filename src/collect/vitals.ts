import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import { guard } from '../lib/attempt';
import type { Collector } from '../types';
import { selector } from './selector';

// 4 significant digits: keeps a small CLS, drops noise from milliseconds
const round = (v: number) => +v.toPrecision(4);

/**
 * LCP, INP, CLS, FCP and TTFB (again after a back/forward-cache restore, as
 * web-vitals reports them) as `vital` events with a short attribution: its
 * numbers (INP phases, LCP sub-parts, ...) and strings, targets as our selector.
 */
export const vitals: Collector = (r) => {
  let on = true;
  const report = guard(r, (m: MetricWithAttribution) => {
    const attribution: Record<string, unknown> = {};
    // entries and other objects are left out: they are large and may hold page data
    for (const [k, v] of Object.entries(m.attribution))
      if (typeof v == 'number') attribution[k] = round(v);
      else if (typeof v == 'string') attribution[k] = v;
    // an empty one (a CLS of 0) is left out: 17 bytes on every such event
    const a = Object.keys(attribution).length ? attribution : undefined;
    if (on) r.record('vital', { name: m.name, value: round(m.value), rating: m.rating, delta: round(m.delta), navigationType: m.navigationType, attribution: a });
  });
  const opts = { generateTarget: (el: Node | null) => (el instanceof Element ? selector(el) : undefined) };
  // set up in a task of its own, not inside init() (about 5 ms): its observers read buffered entries,
  // so nothing that happened meanwhile is missed
  const start = setTimeout(
    guard(r, () => {
      for (const f of [onCLS, onFCP, onINP, onLCP, onTTFB]) f(report, opts);
    }),
  );
  // web-vitals cannot unsubscribe: reports after stop() are ignored
  return {
    stop() {
      on = false;
      clearTimeout(start);
    },
  };
};
