// The pure parts of our web vitals (session windows, the INP pick, ratings) and our short attribution from a
// metric's entries, with the entries the browser would give (Chromium gives them for real in
// test/e2e/collect.test.ts, beside web-vitals' own values; image LCP, prerendering and a busy page's taps only here).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attribution } from '../../src/collect/attribution';
import { sessionWindows } from '../../src/collect/vitals/cls';
import { interactions } from '../../src/collect/vitals/inp';
import { rating } from '../../src/collect/vitals/rating';
import type { Input, Name, Nav, Shift } from '../../src/collect/vitals/entries';

const metric = (name: Name, value: number, entries: object[]) => [name, value, entries as PerformanceEntry[]] as const;
const event = (name: string, interactionId: number, startTime: number, duration: number, processingStart: number, processingEnd: number, target: Node | null = null) =>
  ({ name, interactionId, startTime, duration, processingStart, processingEnd, target }) as unknown as PerformanceEventTiming;

let nav: Partial<Nav>;
let resources: Partial<PerformanceResourceTiming>[];

beforeEach(() => {
  nav = { responseStart: 100, fetchStart: 5, connectEnd: 40 };
  resources = [];
  vi.spyOn(performance, 'getEntriesByType').mockImplementation(((t: string) => (t == 'navigation' ? [nav] : [])) as never);
  vi.spyOn(performance, 'getEntriesByName').mockImplementation(((n: string) => resources.filter((r) => r.name == n)) as never);
  document.body.innerHTML = '<button id="buy">Buy 4111 1111 1111 1111</button><img id="hero" class="hero"><section id="promo"></section>';
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('attribution', () => {
  it('INP: the target and the phases of the interaction, from its entries', () => {
    const click = event('click', 7, 1000, 160, 1002, 1150, document.getElementById('buy'));
    expect(attribution(...metric('INP', 160, [click]))).toEqual({ target: 'button#buy', inputDelay: 2, processingDuration: 148, presentationDelay: 10 });
  });

  it("INP on a busy page: the click's handlers run before the same paint as the pointerdown INP counts", () => {
    // all three waited for a long task; the pointerdown, first, is the longest: it gives INP
    const down = event('pointerdown', 8, 2000, 304, 2200, 2201);
    const up = event('pointerup', 8, 2004, 296, 2201, 2202);
    const click = event('click', 8, 2004, 296, 2202, 2290, document.getElementById('buy'));
    const i = interactions();
    for (const e of [down, event('mousedown', 0, 2000, 304, 2201, 2201), up, click]) i.add(e as Input);
    expect(i.inp()).toEqual([down, up, click]);
    expect(attribution(...metric('INP', 304, i.inp()!))).toEqual({ target: 'button#buy', inputDelay: 200, processingDuration: 90, presentationDelay: 14 });
  });

  it('INP: a pointerdown presented before the click is not part of its processing', () => {
    const down = event('pointerdown', 9, 3000, 24, 3001, 3002);
    const click = event('click', 9, 3100, 200, 3105, 3250);
    const i = interactions();
    for (const e of [down, click]) i.add(e as Input);
    // the longest entry first: the one INP counts
    expect(i.inp()).toEqual([click, down]);
    expect(attribution(...metric('INP', 200, i.inp()!))).toEqual({ inputDelay: 5, processingDuration: 145, presentationDelay: 50 });
  });

  it('LCP of an image: sub-parts from its resource timing, adding up to the LCP, without its URL', () => {
    resources = [{ name: 'https://cdn.example.com/hero.jpg?user=jane', startTime: 150, requestStart: 180, responseEnd: 400 }];
    const lcp = { url: resources[0].name, element: document.getElementById('hero') };
    const a = attribution(...metric('LCP', 500, [lcp]))!;
    expect(a).toEqual({ target: 'img#hero', timeToFirstByte: 100, resourceLoadDelay: 80, resourceLoadDuration: 220, elementRenderDelay: 100 });
    expect(JSON.stringify(a)).not.toContain('cdn');
  });

  it('LCP of text: no load delay or duration; a removed element has no target', () => {
    expect(attribution(...metric('LCP', 300, [{ url: '', element: null }]))).toEqual({
      timeToFirstByte: 100,
      resourceLoadDelay: 0,
      resourceLoadDuration: 0,
      elementRenderDelay: 200,
    });
  });

  it('counts from activation on a prerendered page, never below 0', () => {
    nav = { responseStart: 100, fetchStart: 5, connectEnd: 40, activationStart: 1000 };
    resources = [{ name: '/hero.jpg', startTime: 150, requestStart: 180, responseEnd: 400 }];
    expect(attribution(...metric('LCP', 120, [{ url: '/hero.jpg', element: null }]))).toEqual({
      timeToFirstByte: 0,
      resourceLoadDelay: 0,
      resourceLoadDuration: 0,
      elementRenderDelay: 120,
    });
    expect(attribution(...metric('TTFB', 0, [nav]))).toEqual({ waitingDuration: 0, requestDuration: 0 });
  });

  it("CLS: the largest shift's element", () => {
    const shift = (value: number, node: Node | null) => ({ value, sources: [{ node: document.createTextNode('x') }, { node }] });
    expect(attribution(...metric('CLS', 0.3, [shift(0.1, document.body), shift(0.2, document.getElementById('promo'))]))).toEqual({ target: 'section#promo' });
    expect(attribution(...metric('CLS', 0.1, [shift(0.1, null)]))).toBeUndefined();
  });

  it('TTFB: the wait before the fetch and the request after the connection, rounded', () => {
    nav = { responseStart: 100, workerStart: 12.345678, fetchStart: 15, connectEnd: 40 };
    expect(attribution(...metric('TTFB', 100, [nav]))).toEqual({ waitingDuration: 12.35, requestDuration: 60 });
  });

  it('none for FCP, and none after a back/forward-cache restore (no entries)', () => {
    expect(attribution(...metric('FCP', 200, [{}]))).toBeUndefined();
    for (const name of ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const) expect(attribution(...metric(name, 0, []))).toBeUndefined();
  });
});

describe('web vitals', () => {
  const shift = (startTime: number, value: number, hadRecentInput = false) => ({ startTime, value, hadRecentInput, sources: [] }) as unknown as Shift;

  it('CLS: the largest session window (shifts < 1 s apart, < 5 s from its first), not counting shifts after input', () => {
    const w = sessionWindows();
    expect(w.largest.value).toBe(0);
    const a = [shift(100, 0.05), shift(900, 0.05), shift(1800, 0.05)];
    a.forEach(w.add);
    expect(w.largest).toEqual({ value: 0.15000000000000002, entries: a });
    // a gap of 1 s: a new window, smaller than the first until it grows past it
    const b = [shift(2800, 0.1), shift(2900, 0.5, true), shift(3500, 0.04)];
    b.forEach(w.add);
    expect(w.largest.entries).toEqual(a);
    w.add(shift(4000, 0.02));
    expect(w.largest).toEqual({ value: 0.16, entries: [b[0], b[2], shift(4000, 0.02)] });
    // 5 s after the window's first: a new window even with shifts every 500 ms
    const c = Array.from({ length: 12 }, (_, k) => shift(10_000 + k * 500, 0.02));
    c.forEach(w.add);
    expect(w.largest.value).toBeCloseTo(0.2);
    expect(w.largest.entries).toEqual(c.slice(0, 10));
  });

  it('INP: the longest interaction, then one in 50 let off, among the 10 longest kept', () => {
    const input = (id: number, duration: number) => event('click', id, id * 10, duration, 0, 0) as Input;
    const i = interactions();
    expect(i.inp()).toBeUndefined();
    // interaction ids grow by 7: counted from the smallest and largest seen where the browser does not count
    for (let k = 0; k < 30; k++) i.add(input(7 + 7 * k, 40 + k));
    expect(i.inp()![0].duration).toBe(69);
    // an interaction's longer entry counts; one longer than all moves it to the top
    i.add(input(7, 500));
    expect(i.inp()![0]).toMatchObject({ interactionId: 7, duration: 500 });
    // 120 interactions counted: the third longest
    i.add(input(7 * 120, 41));
    expect(i.inp()![0].duration).toBe(68);
    // the browser's count when it has one
    vi.stubGlobal('performance', Object.assign(Object.create(performance), { interactionCount: 1000 }));
    expect(i.inp()![0].duration).toBe(61);
    // after a back/forward-cache restore only the interactions since (else the second longest here)
    const after = interactions(true);
    after.add(input(9000, 300));
    after.add(input(9007, 100));
    expect(after.inp()![0].duration).toBe(300);
  });

  it("rates by web-vitals' thresholds: good up to the first, needs-improvement up to the second", () => {
    const good = { LCP: 2500, INP: 200, CLS: 0.1, FCP: 1800, TTFB: 800 };
    for (const [n, v] of Object.entries(good)) expect(rating(n as Name, v)).toBe('good');
    expect(rating('LCP', 2501)).toBe('needs-improvement');
    expect(rating('CLS', 0.25)).toBe('needs-improvement');
    expect(rating('CLS', 0.2501)).toBe('poor');
    expect(rating('INP', 501)).toBe('poor');
    expect(rating('TTFB', 1800)).toBe('needs-improvement');
    expect(rating('FCP', 3001)).toBe('poor');
  });
});

describe('review fixes', () => {
  it('a navigation entry with no usable responseStart (0, or in the future) is none: no TTFB from it', async () => {
    const { navigation } = await import('../../src/collect/vitals/entries');
    expect(navigation()).toBe(nav);
    nav = { responseStart: 0 };
    expect(navigation()).toBeUndefined();
    nav = { responseStart: performance.now() + 60_000 };
    expect(navigation()).toBeUndefined();
  });

  it('INP: interactions under 40 ms are counted (not candidates), so a long-lived page lets off one in 50', () => {
    const inp = interactions();
    // 10 slow interactions first, then 140 fast ones: 150 in all, the 4th longest is INP
    for (let i = 0; i < 10; i++) inp.add(event('click', 7 * (i + 1), i * 1000, 100 + 10 * i, i * 1000 + 1, i * 1000 + 2) as Input);
    for (let i = 10; i < 150; i++) inp.add(event('click', 7 * (i + 1), i * 1000, 24, i * 1000 + 1, i * 1000 + 2) as Input, false);
    expect(inp.inp()![0].duration).toBe(160);
    // entries only counted are never INP themselves
    const fast = interactions();
    fast.add(event('click', 7, 0, 24, 1, 2) as Input, false);
    expect(fast.inp()).toBeUndefined();
  });
});
