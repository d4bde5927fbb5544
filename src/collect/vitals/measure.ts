import { listen } from '../../lib/listen';
import { guard } from '../../lib/attempt';
import type { Recorder } from '../../internal';
import { attribution, round } from '../attribution';
import { sessionWindows } from './cls';
import { interactions } from './inp';
import { rating } from './rating';
import { navigation, type Input, type Name, type Page, type Shift } from './entries';

/**
 * LCP, INP, CLS, FCP and TTFB as web-vitals defines them, recorded as `vital` events when final
 * (CLS and INP at every hide where they changed); again after a back/forward-cache restore.
 * Returns the stopper.
 */
const measure = (r: Recorder) => {
  const page = document as Page;
  const nav = navigation();
  // a prerendered page counts from its activation
  const from = nav?.activationStart || 0;
  const isHidden = () => page.visibilityState == 'hidden';
  // LCP and FCP count only what painted before the page was first hidden (a background tab: never)
  let hidden = performance.getEntriesByType('visibility-state').find((e) => e.name == 'hidden' && e.startTime >= from)?.startTime ?? (isHidden() ? 0 : Infinity);
  let type = !nav ? 'navigate' : from > 0 ? 'prerender' : page.wasDiscarded ? 'restore' : nav.type.replace(/_/g, '-');
  // the values reported for this page (a restore starts afresh): deltas, and no value twice
  let last: Partial<Record<Name, number>> = {};
  let on = true;

  const report = (name: Name, value: number, entries: PerformanceEntry[] = []) => {
    if (on && last[name] !== value) {
      r.record('vital', { name, value: round(value), rating: rating(name, value), delta: round(value - (last[name] || 0)), navigationType: type, attribution: attribution(name, value, entries) });
      last[name] = value;
    }
  };
  const since = (t: number) => Math.max(t - from, 0);

  // buffered: entries from before this module was loaded too
  const observers: [PerformanceObserver, (e: PerformanceEntry) => void][] = [];
  const observe = <E extends PerformanceEntry>(type: string, each: (e: E) => void, durationThreshold?: number) => {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) return;
    const f = each as (e: PerformanceEntry) => void;
    const o = new PerformanceObserver(guard(r, (l: PerformanceObserverEntryList) => l.getEntries().forEach(f)));
    o.observe({ type, buffered: true, durationThreshold } as PerformanceObserverInit);
    observers.push([o, f]);
    return o;
  };
  // what the browser has queued for the observers yet, at once
  const take = () => observers.forEach(([o, f]) => o.takeRecords().forEach(f));

  const fcp = observe('paint', (e) => e.name == 'first-contentful-paint' && e.startTime < hidden && report('FCP', since(e.startTime)));

  let cls = sessionWindows();
  const shifts = observe<Shift>('layout-shift', (e) => cls.add(e));

  // candidates from 40 ms (the first input's from any), as web-vitals'; the entries from 16 ms (the
  // least the browser gives) only count interactions where it does not count them itself
  let inp = interactions();
  for (const t of ['event', 'first-input']) observe<Input>(t, (e) => inp.add(e, e.duration >= 40 || t != 'event'), 'interactionCount' in performance ? 40 : 16);

  // LCP: the last candidate painted before a hide; final at the first input (it stops the browser's)
  let lcp: LargestContentfulPaint | undefined;
  const paints = observe<LargestContentfulPaint>('largest-contentful-paint', (e) => {
    if (e.startTime < hidden) lcp = e;
  });
  const endLCP = () => {
    take();
    paints?.disconnect();
    if (lcp) report('LCP', since(lcp.startTime), [lcp]);
    lcp = undefined;
  };

  const ttfb = () => nav && report('TTFB', since(nav.responseStart), [nav]);

  // not inside the page's own input handler (it would add to the INP measured): in a task after it
  const input: () => void = listen(r, window, 'keydown click', (e: Event) => {
    if (e.isTrusted) input(), setTimeout(guard(r, endLCP));
  });
  const off = [
    input,
    // capturing: before the client's own exit listener sends what was recorded
    listen(r, window, 'visibilitychange pagehide', (e: Event) => {
      if (e.type == 'visibilitychange' && !isHidden()) return;
      if (hidden == Infinity) hidden = e.timeStamp;
      endLCP();
      // where layout shifts are measured, from the first paint on (0 without a shift)
      if (shifts && last.FCP != null) report('CLS', cls.largest.value, cls.largest.entries);
      const i = inp.inp();
      if (i) report('INP', i[0].duration, i);
    }),
    listen(r, window, 'pageshow', (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      type = 'back-forward-cache';
      last = {};
      cls = sessionWindows();
      inp = interactions(true);
      if (nav) report('TTFB', 0);
      // no paint entries after a restore: FCP and LCP are its next frame (where this browser measures them)
      requestAnimationFrame(() =>
        requestAnimationFrame(
          guard(r, () => {
            const t = performance.now() - e.timeStamp;
            if (fcp) report('FCP', t);
            if (paints) report('LCP', t);
          }),
        ),
      );
    }),
  ];
  if (page.readyState == 'complete') ttfb();
  else off.push(listen(r, window, 'load', () => setTimeout(guard(r, ttfb))));

  return () => {
    on = false;
    for (const [o] of observers) o.disconnect();
    off.forEach((f) => f());
  };
};

/** Measures once a prerendered page is activated: its times count from then. Returns the stopper. */
export const measureWhenActive = (r: Recorder) => {
  if (!(document as Page).prerendering) return measure(r);
  let stop = listen(r, document, 'prerenderingchange', () => {
    stop();
    stop = measure(r);
  });
  return () => stop();
};
