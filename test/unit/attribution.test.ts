// Our short attribution from a metric's entries, with the entries the browser would give (Chromium gives them
// for real in test/e2e/collect.test.ts; image LCP, prerendering and a busy page's taps only here).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricType } from 'web-vitals';
import { attribution, groupEvents } from '../../src/collect/attribution';

const metric = (name: MetricType['name'], value: number, entries: object[]) => ({ name, value, entries }) as unknown as MetricType;
const event = (name: string, interactionId: number, startTime: number, duration: number, processingStart: number, processingEnd: number, target: Node | null = null) =>
  ({ name, interactionId, startTime, duration, processingStart, processingEnd, target }) as unknown as PerformanceEventTiming;

let nav: Partial<PerformanceNavigationTiming>;
let resources: Partial<PerformanceResourceTiming>[];
let deliver: (entries: PerformanceEventTiming[]) => void;

beforeEach(() => {
  nav = { responseStart: 100, fetchStart: 5, connectEnd: 40 };
  resources = [];
  vi.spyOn(performance, 'getEntriesByType').mockImplementation(((t: string) => (t == 'navigation' ? [nav] : [])) as never);
  vi.spyOn(performance, 'getEntriesByName').mockImplementation(((n: string) => resources.filter((r) => r.name == n)) as never);
  // the browser's observer: entries delivered as the page would get them
  vi.stubGlobal(
    'PerformanceObserver',
    Object.assign(
      class {
        constructor(cb: (l: { getEntries(): PerformanceEventTiming[] }) => void) {
          deliver = (entries) => cb({ getEntries: () => entries });
        }
        observe() {}
        disconnect() {}
      },
      { supportedEntryTypes: ['event'] },
    ),
  );
  document.body.innerHTML = '<button id="buy">Buy 4111 1111 1111 1111</button><img id="hero" class="hero"><section id="promo"></section>';
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('attribution', () => {
  it('INP: the target and the phases of the interaction, from its entries', () => {
    const click = event('click', 7, 1000, 160, 1002, 1150, document.getElementById('buy'));
    expect(attribution(metric('INP', 160, [click]))).toEqual({ target: 'button#buy', inputDelay: 2, processingDuration: 148, presentationDelay: 10 });
  });

  it("INP on a busy page: the click's handlers run before the same paint as the pointerdown INP counts", () => {
    groupEvents();
    // all three waited for a long task; the pointerdown, first, is the longest: web-vitals keeps only it
    const down = event('pointerdown', 8, 2000, 304, 2200, 2201);
    const up = event('pointerup', 8, 2004, 296, 2201, 2202);
    const click = event('click', 8, 2004, 296, 2202, 2290, document.getElementById('buy'));
    deliver([down, event('mousedown', 0, 2000, 304, 2201, 2201), up, click]);
    expect(attribution(metric('INP', 304, [down]))).toEqual({ target: 'button#buy', inputDelay: 200, processingDuration: 90, presentationDelay: 14 });
  });

  it('INP: a pointerdown presented before the click is not part of its processing', () => {
    groupEvents();
    const down = event('pointerdown', 9, 3000, 24, 3001, 3002);
    const click = event('click', 9, 3100, 200, 3105, 3250);
    deliver([down, click]);
    expect(attribution(metric('INP', 200, [click]))).toEqual({ inputDelay: 5, processingDuration: 145, presentationDelay: 50 });
  });

  it('LCP of an image: sub-parts from its resource timing, adding up to the LCP, without its URL', () => {
    resources = [{ name: 'https://cdn.example.com/hero.jpg?user=jane', startTime: 150, requestStart: 180, responseEnd: 400 }];
    const lcp = { url: resources[0].name, element: document.getElementById('hero') };
    const a = attribution(metric('LCP', 500, [lcp]))!;
    expect(a).toEqual({ target: 'img#hero', timeToFirstByte: 100, resourceLoadDelay: 80, resourceLoadDuration: 220, elementRenderDelay: 100 });
    expect(JSON.stringify(a)).not.toContain('cdn');
  });

  it('LCP of text: no load delay or duration; a removed element has no target', () => {
    expect(attribution(metric('LCP', 300, [{ url: '', element: null }]))).toEqual({
      timeToFirstByte: 100,
      resourceLoadDelay: 0,
      resourceLoadDuration: 0,
      elementRenderDelay: 200,
    });
  });

  it('counts from activation on a prerendered page, never below 0', () => {
    nav = { responseStart: 100, fetchStart: 5, connectEnd: 40, activationStart: 1000 };
    resources = [{ name: '/hero.jpg', startTime: 150, requestStart: 180, responseEnd: 400 }];
    expect(attribution(metric('LCP', 120, [{ url: '/hero.jpg', element: null }]))).toEqual({
      timeToFirstByte: 0,
      resourceLoadDelay: 0,
      resourceLoadDuration: 0,
      elementRenderDelay: 120,
    });
    expect(attribution(metric('TTFB', 0, [nav]))).toEqual({ waitingDuration: 0, requestDuration: 0 });
  });

  it("CLS: the largest shift's element", () => {
    const shift = (value: number, node: Node | null) => ({ value, sources: [{ node: document.createTextNode('x') }, { node }] });
    expect(attribution(metric('CLS', 0.3, [shift(0.1, document.body), shift(0.2, document.getElementById('promo'))]))).toEqual({ target: 'section#promo' });
    expect(attribution(metric('CLS', 0.1, [shift(0.1, null)]))).toBeUndefined();
  });

  it('TTFB: the wait before the fetch and the request after the connection, rounded', () => {
    nav = { responseStart: 100, workerStart: 12.345678, fetchStart: 15, connectEnd: 40 };
    expect(attribution(metric('TTFB', 100, [nav]))).toEqual({ waitingDuration: 12.35, requestDuration: 60 });
  });

  it('none for FCP, and none after a back/forward-cache restore (no entries)', () => {
    expect(attribution(metric('FCP', 200, [{}]))).toBeUndefined();
    for (const name of ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const) expect(attribution(metric(name, 0, []))).toBeUndefined();
  });
});
