import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import { attempt, guard } from '../../lib/attempt';
import { listen } from '../../lib/listen';
import { scrubPath } from '../../privacy/scrub';
import type { CollectOptions, Recorder } from '../../internal';
import { targetOf, toVitalEvent } from './toVitalEvent';

/**
 * Registers web-vitals' five callbacks; each metric it reports becomes a `vital` event whose `page`
 * is the path of the navigation it measures: the page load (`pathAtInit` where the browser gives no
 * navigation URL), the page as restored from the back/forward cache, or a soft navigation's URL
 * where the browser reports soft navigations. web-vitals has no way to unregister: the returned
 * stopper stops recording.
 */
export const measureVitals = (recorder: Recorder, options: CollectOptions, pathAtInit: string): (() => void) => {
  let active = true;
  let restoredPath = pathAtInit;
  // capturing: before web-vitals' own pageshow listener reports the restored page's TTFB
  const stopListening = listen(recorder, window, 'pageshow', (event: PageTransitionEvent) => {
    if (event.persisted) restoredPath = scrubPath(location.href, options.allowParams);
  });
  const pageOf = (metric: MetricWithAttribution): string => {
    if (metric.navigationType == 'back-forward-cache') return restoredPath;
    return metric.navigationURL ? scrubPath(metric.navigationURL, options.allowParams) : pathAtInit;
  };
  const report = guard(recorder, (metric: MetricWithAttribution) => {
    if (active) recorder.record('vital', toVitalEvent(metric, pageOf(metric)));
  });
  const reportOptions = { reportAllChanges: options.vitalsReportAllChanges, reportSoftNavs: true, generateTarget: targetOf };
  // each on its own: one that throws leaves the others measuring
  const registrations = [onLCP, onINP, onCLS, onFCP, onTTFB].map((onMetric) => () => onMetric(report, reportOptions));
  for (const register of registrations) attempt(recorder.internal, register);
  return () => {
    active = false;
    stopListening();
  };
};
