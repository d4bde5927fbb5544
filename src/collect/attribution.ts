import { selector } from './selector';
import { navigation, type Input, type Name, type Shift } from './vitals/entries';

// 4 significant digits: keeps a small CLS, drops noise from milliseconds
export const round = (v: number) => +v.toPrecision(4);

// durations from differences of clocks (event durations come rounded to 8 ms): never below 0, never NaN
const ms = (v: number) => round(Math.max(v, 0) || 0);

// our privacy-safe selector; none for an element removed since (the browser gives null for it)
const target = (n: Node | null | undefined) => (n instanceof Element ? selector(n) : undefined);

/**
 * What a developer acts on, in web-vitals' names: the element (INP, LCP, CLS), the INP
 * phases, the LCP sub-parts (they add up to its value), TTFB before and after the connection.
 * None for FCP: its one cheap split is the TTFB its navigation sends anyway. None after a
 * back/forward-cache restore (no entries): no navigation of its own to split.
 * Never the LCP image's URL.
 */
export const attribution = (name: Name, value: number, entries: PerformanceEntry[]): Record<string, unknown> | undefined => {
  if (!entries.length) return;
  // times count from activation for a prerendered page, as the values do
  const nav = navigation();
  const from = nav?.activationStart || 0;
  const ttfb = Math.max((nav?.responseStart || 0) - from, 0);
  switch (name) {
    case 'INP': {
      // the interaction's entries presented by the same paint as its longest, which INP counts (durations are
      // rounded to 8 ms): on a busy page the pointerdown, the earliest, hides the click handlers run before that paint
      const [e] = entries as Input[];
      const paint = e.startTime + e.duration;
      const ran = (entries as Input[]).filter((x) => Math.abs(x.startTime + x.duration - paint) <= 8);
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
      const [e] = entries as LargestContentfulPaint[];
      // the image's first fetch, found by its URL (a text LCP has none, its url is ''; past the
      // browser's 250 resource entries none either: the load then counts as render delay)
      const [r] = performance.getEntriesByName(e.url, 'resource') as PerformanceResourceTiming[];
      const req = r ? Math.max(ttfb, (r.requestStart || r.startTime) - from) : ttfb;
      const end = r ? Math.min(value, Math.max(req, r.responseEnd - from)) : ttfb;
      return {
        target: target(e.element),
        timeToFirstByte: ms(ttfb),
        resourceLoadDelay: ms(req - ttfb),
        resourceLoadDuration: ms(end - req),
        elementRenderDelay: ms(value - end),
      };
    }
    case 'CLS': {
      const e = (entries as Shift[]).reduce((a, b) => (b.value > a.value ? b : a));
      const t = e.sources.map((s) => target(s.node)).find(Boolean);
      return t ? { target: t } : undefined;
    }
    case 'TTFB':
      // redirects and service worker start-up before the fetch; the server's time after the connection
      return nav && { waitingDuration: ms((nav.workerStart || nav.fetchStart) - from), requestDuration: ms(value - Math.max(nav.connectEnd - from, 0)) };
  }
};
