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
  // the path of this page load, taken now: by the time the chunk runs an SPA may have moved on
  const pathAtInit = scrubPath(location.href, options.allowParams);
  let active = true;
  let stopMeasuring: (() => void) | undefined;
  const start = setTimeout(() =>
    import('./vitals/measure').then(
      guard(recorder, (module: typeof import('./vitals/measure')) => {
        if (active) stopMeasuring = module.measureVitals(recorder, options, pathAtInit);
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
