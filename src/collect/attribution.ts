import type { MetricType } from 'web-vitals';
import { selector } from './selector';

// 4 significant digits: keeps a small CLS, drops noise from milliseconds
export const round = (v: number) => +v.toPrecision(4);

// durations from differences of clocks (event durations come rounded to 8 ms): never below 0, never NaN
const ms = (v: number) => round(Math.max(v, 0) || 0);

// our privacy-safe selector; none for an element removed since (the browser gives null for it)
const target = (n: Node | null | undefined) => (n instanceof Element ? selector(n) : undefined);

// every event entry of an interaction, by any of them (the same objects web-vitals is given)
const together = new WeakMap<PerformanceEntry, PerformanceEventTiming[]>();
let group: PerformanceEventTiming[] = [];

/**
 * Groups event entries by interaction: web-vitals keeps only an interaction's longest
 * entries, and on a busy page the pointerdown (the earliest, so the longest) hides the
 * click handlers run before the same paint. Its callback runs before web-vitals' (theirs
 * waits a microtask).
 */
export const groupEvents = () => {
  const o = new PerformanceObserver((l) => {
    for (const e of l.getEntries() as PerformanceEventTiming[])
      if (e.interactionId) {
        if (group[0]?.interactionId != e.interactionId) group = [];
        group.push(e);
        together.set(e, group);
      }
  });
  // where Event Timing is missing there is no INP either (and observe() would warn)
  if (PerformanceObserver.supportedEntryTypes.includes('event')) o.observe({ type: 'event', buffered: true, durationThreshold: 16 });
  return o;
};

/**
 * What a developer acts on, in web-vitals' names: the element (INP, LCP, CLS), the INP
 * phases, the LCP sub-parts (they add up to its value), TTFB before and after the connection.
 * None for FCP: its one cheap split is the TTFB its navigation sends anyway. None after a
 * back/forward-cache restore (no entries): no navigation of its own to split.
 * Never the LCP image's URL.
 */
export const attribution = (m: MetricType): Record<string, unknown> | undefined => {
  if (!m.entries.length) return;
  // times count from activation for a prerendered page, as web-vitals' values do
  const nav = performance.getEntriesByType('navigation')[0];
  const from = nav?.activationStart || 0;
  const ttfb = Math.max((nav?.responseStart || 0) - from, 0);
  switch (m.name) {
    case 'INP': {
      // the interaction's entries presented by the same paint as the first one INP counts (durations are rounded to 8 ms)
      const [e] = m.entries;
      const paint = e.startTime + e.duration;
      const ran = (together.get(e) || m.entries).filter((x) => Math.abs(x.startTime + x.duration - paint) <= 8);
      const start = Math.min(...ran.map((x) => x.processingStart));
      const end = Math.min(paint, Math.max(...ran.map((x) => x.processingEnd)));
      return {
        target: target(ran.find((x) => x.target)?.target),
        inputDelay: ms(start - e.startTime),
        processingDuration: ms(end - start),
        presentationDelay: ms(paint - end),
      };
    }
    case 'LCP': {
      const [e] = m.entries;
      // the image's first fetch, found by its URL (a text LCP has none, its url is ''; past the
      // browser's 250 resource entries none either: the load then counts as render delay)
      const [r] = performance.getEntriesByName(e.url, 'resource') as PerformanceResourceTiming[];
      const req = r ? Math.max(ttfb, (r.requestStart || r.startTime) - from) : ttfb;
      const end = r ? Math.max(req, r.responseEnd - from) : ttfb;
      return {
        target: target(e.element),
        timeToFirstByte: ms(ttfb),
        resourceLoadDelay: ms(req - ttfb),
        resourceLoadDuration: ms(end - req),
        elementRenderDelay: ms(m.value - end),
      };
    }
    case 'CLS': {
      const e = m.entries.reduce((a, b) => (b.value > a.value ? b : a));
      const t = e.sources.map((s) => target(s.node)).find(Boolean);
      return t ? { target: t } : undefined;
    }
    case 'TTFB':
      // redirects and service worker start-up before the fetch; the server's time after the connection
      return nav && { waitingDuration: ms((nav.workerStart || nav.fetchStart) - from), requestDuration: ms(m.value - Math.max(nav.connectEnd - from, 0)) };
  }
};
