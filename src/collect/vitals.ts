import { guard } from '../lib/attempt';
import { scrubPath } from '../privacy/scrub';
import type { Collector } from '../types';

/**
 * LCP, INP, CLS, FCP and TTFB, measured by web-vitals (attribution build), as `vital` events;
 * again after a back/forward-cache restore. In the ESM build the measuring is a chunk of its own
 * (`telltale.measure.mjs`), loaded in a task after init(): web-vitals reads buffered entries, so
 * nothing that happened meanwhile is missed.
 */
export const vitals: Collector = (recorder, options) => {
  // the URL of this page load, taken now (by the time the chunk runs an SPA may have moved on) and scrubbed then
  const hrefAtInit = location.href;
  let active = true;
  let stopMeasuring: (() => void) | undefined;
  const start = setTimeout(() =>
    import('./vitals/measure').then(
      guard(recorder, (module: typeof import('./vitals/measure')) => {
        if (active) stopMeasuring = module.measureVitals(recorder, options, scrubPath(hrefAtInit, options.allowParams));
      }),
      recorder.internal,
    ),
  );
  return {
    stop() {
      active = false;
      clearTimeout(start);
      stopMeasuring?.();
    },
  };
};
