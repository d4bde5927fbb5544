import type { MetricWithAttribution } from 'web-vitals/attribution';
import { scrubPath } from '../../privacy/scrub';
import { selector } from '../selector';
import { VITAL_DEFAULTS } from '../../buffer/encodeEvent';

/** 4 significant digits: keeps a small CLS, drops the noise of fractions of a millisecond. */
const round = (value: number): number => +value.toPrecision(4);

/**
 * Our privacy-safe selector for the element web-vitals attributes a metric to. web-vitals calls it
 * as it processes each entry, while the element is still in the page. A text node (a layout shift's
 * source) is named by its parent. '' for none, never undefined: web-vitals would then use its own
 * selector, which keeps ids and classes as they are.
 */
export const targetOf = (node: Node | null): string => {
  const element = node instanceof Element ? node : node?.parentElement;
  return element ? selector(element) : '';
};

/** web-vitals' attribution fields worth sending, by metric: what a developer acts on, none of the raw entries. */
const SENT: Record<MetricWithAttribution['name'], string[]> = {
  LCP: ['target', 'url', 'timeToFirstByte', 'resourceLoadDelay', 'resourceLoadDuration', 'elementRenderDelay'],
  INP: ['interactionTarget', 'interactionType', 'inputDelay', 'processingDuration', 'presentationDelay', 'loadState'],
  CLS: ['largestShiftTarget', 'largestShiftValue', 'largestShiftTime', 'loadState'],
  FCP: ['timeToFirstByte', 'firstByteToFCP', 'loadState'],
  TTFB: ['waitingDuration', 'dnsDuration', 'connectionDuration', 'requestDuration'],
};

/**
 * The attribution as sent, in web-vitals' names: numbers rounded, the LCP resource's URL as its
 * path only (never a query or fragment), fields web-vitals left empty (no target, a text LCP's
 * url) or at their default (a duration of 0) left out. Targets are already our selectors (`targetOf`).
 */
const attributionOf = (metric: MetricWithAttribution): Record<string, string | number> => {
  const given = metric.attribution as unknown as Record<string, unknown>;
  const sent: Record<string, string | number> = {};
  for (const key of SENT[metric.name]) {
    const value = given[key];
    if (typeof value == 'number') {
      const rounded = round(value);
      if (rounded !== VITAL_DEFAULTS.attributionNumber) sent[key] = rounded;
    }
    else if (key == 'url' && typeof value == 'string' && value) sent[key] = scrubPath(value);
    else if (typeof value == 'string' && value) sent[key] = value;
  }
  return sent;
};

/**
 * A web-vitals metric as the fields of our `vital` event (SPEC §4): name, value, rating, delta,
 * navigation type, attribution, and `page`, the path of the navigation the metric measures, which
 * overrides the route current when it is reported. Fields at their default (`VITAL_DEFAULTS`) are
 * left out: most vitals are reported once, on a plain navigation, and a backend reads them back.
 */
export const toVitalEvent = (metric: MetricWithAttribution, page: string): Record<string, unknown> => {
  const value = round(metric.value);
  const delta = round(metric.delta);
  const attribution = attributionOf(metric);
  const event: Record<string, unknown> = { name: metric.name, value, rating: metric.rating };
  if (delta !== value) event.delta = delta;
  if (metric.navigationType != VITAL_DEFAULTS.navigationType) event.navigationType = metric.navigationType;
  if (Object.keys(attribution).length) event.attribution = attribution;
  event.page = page;
  return event;
};
