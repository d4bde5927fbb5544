import { guard } from '../lib/attempt';
import type { Collector } from '../types';

/**
 * LCP, INP, CLS, FCP and TTFB (again after a back/forward-cache restore) as `vital` events
 * with a short attribution, measured by our own code (./vitals): a third of web-vitals' bytes.
 * In the ESM build it is a chunk of its own, loaded in a task after init(): its observers read
 * buffered entries, so nothing that happened meanwhile is missed.
 */
export const vitals: Collector = (r) => {
  let on = true;
  let stop: (() => void) | undefined;
  const start = setTimeout(() =>
    import('./vitals/measure').then(
      guard(r, (m: typeof import('./vitals/measure')) => on && (stop = m.measureWhenActive(r))),
      r.internal,
    ),
  );
  return {
    stop() {
      on = false;
      clearTimeout(start);
      stop?.();
    },
  };
};
