// Our mapping of web-vitals' metrics (attribution build) to `vital` events: fields in web-vitals'
// names, numbers rounded, no URL query or fragment, targets as our privacy-safe selectors.
// The metrics themselves come from web-vitals in real Chromium (test/e2e/vitals.test.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetricWithAttribution } from 'web-vitals/attribution';
import { targetOf, toVitalEvent } from '../../src/collect/vitals/toVitalEvent';

// A metric as web-vitals reports it, raw entries and all (which we never send).
const metric = (name: MetricWithAttribution['name'], value: number, attribution: Record<string, unknown>, more: object = {}) =>
  ({
    name,
    value,
    delta: value,
    rating: 'good',
    id: 'v5-1733400000000-1234567890123',
    entries: [{ name: 'raw entry' }],
    navigationType: 'navigate',
    navigationId: 1,
    navigationURL: 'https://shop.example/cart?session=abc',
    attribution,
    ...more,
  }) as unknown as MetricWithAttribution;

beforeEach(() => {
  document.body.innerHTML = `<div class="card"><button id="buy" class="primary">Buy 4111 1111 1111 1111</button></div>
    <ul><li class="item-8812345 row"><span class="jane@example.com">x</span></li></ul>
    <section data-telltale-name="promo"><p>Sale</p></section>`;
});

describe('toVitalEvent', () => {
  it("LCP: web-vitals' names, its resource URL as a path only, the raw entries left out, fields at their default too", () => {
    const event = toVitalEvent(
      metric('LCP', 1234.5678, {
        target: 'img#hero',
        url: 'https://cdn.example.com/img/hero.jpg?user=jane@example.com#top',
        timeToFirstByte: 101.23456,
        resourceLoadDelay: 20.5,
        resourceLoadDuration: 300.25,
        elementRenderDelay: 812.59,
        navigationEntry: { name: 'https://shop.example/?token=secret' },
        lcpEntry: { element: document.body },
        lcpResourceEntry: { name: 'https://cdn.example.com/img/hero.jpg?user=jane' },
      }),
      '/cart',
    );
    // a delta equal to the value and a plain navigation are the defaults a backend puts back
    expect(event).toEqual({
      name: 'LCP',
      value: 1235,
      rating: 'good',
      page: '/cart',
      attribution: {
        target: 'img#hero',
        url: '/img/hero.jpg',
        timeToFirstByte: 101.2,
        resourceLoadDelay: 20.5,
        resourceLoadDuration: 300.3,
        elementRenderDelay: 812.6,
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/jane|secret|cdn|raw entry|top|v5-/);
  });

  it('LCP of text: web-vitals gives no url (and no target for an element it could not name): neither is sent, nor its durations of 0', () => {
    const { attribution } = toVitalEvent(metric('LCP', 300, { target: '', timeToFirstByte: 100, resourceLoadDelay: 0, resourceLoadDuration: 0, elementRenderDelay: 200 }), '/');
    expect(attribution).toEqual({ timeToFirstByte: 100, elementRenderDelay: 200 });
  });

  it('INP: the target, the interaction type, the three phases and the load state', () => {
    const event = toVitalEvent(
      metric(
        'INP',
        160,
        {
          interactionTarget: 'button#buy',
          interactionType: 'pointer',
          interactionTime: 5012.3,
          inputDelay: 2.4,
          processingDuration: 148.04,
          presentationDelay: 9.6,
          loadState: 'complete',
          processedEventEntries: [{}],
          longAnimationFrameEntries: [{}],
          longestScript: { entry: { sourceURL: 'https://shop.example/app.js?v=1' } },
        },
        { rating: 'needs-improvement', delta: 40, navigationType: 'back-forward-cache' },
      ),
      '/product/[number]',
    );
    expect(event).toEqual({
      name: 'INP',
      value: 160,
      rating: 'needs-improvement',
      delta: 40,
      navigationType: 'back-forward-cache',
      page: '/product/[number]',
      attribution: { interactionTarget: 'button#buy', interactionType: 'pointer', inputDelay: 2.4, processingDuration: 148, presentationDelay: 9.6, loadState: 'complete' },
    });
  });

  it('CLS: the largest shift (target, value, time) and the load state; a small CLS keeps its digits', () => {
    const event = toVitalEvent(
      metric('CLS', 0.0123456, { largestShiftTarget: 'section#promo', largestShiftValue: 0.0100001, largestShiftTime: 1234.5678, largestShiftEntry: {}, largestShiftSource: {}, loadState: 'dom-content-loaded' }),
      '/',
    );
    expect(event).toMatchObject({ value: 0.01235 });
    expect(event).not.toHaveProperty('delta');
    expect(event.attribution).toEqual({ largestShiftTarget: 'section#promo', largestShiftValue: 0.01, largestShiftTime: 1235, loadState: 'dom-content-loaded' });
    // no shift at all: CLS 0 with nothing to attribute, and no attribution sent
    expect(toVitalEvent(metric('CLS', 0, {}), '/')).not.toHaveProperty('attribution');
  });

  it('FCP and TTFB: their splits in web-vitals names', () => {
    expect(toVitalEvent(metric('FCP', 500, { timeToFirstByte: 100, firstByteToFCP: 400, loadState: 'loading', fcpEntry: {}, navigationEntry: {} }), '/').attribution).toEqual({
      timeToFirstByte: 100,
      firstByteToFCP: 400,
      loadState: 'loading',
    });
    expect(
      toVitalEvent(metric('TTFB', 100, { waitingDuration: 12.345678, cacheDuration: 1, dnsDuration: 3, connectionDuration: 25, requestDuration: 59.1, navigationEntry: {} }), '/').attribution,
    ).toEqual({ waitingDuration: 12.35, dnsDuration: 3, connectionDuration: 25, requestDuration: 59.1 });
  });
});

describe('targetOf (web-vitals generateTarget)', () => {
  it('names an element by our selector: stable ids and test attributes, never its text or generated names', () => {
    expect(targetOf(document.getElementById('buy'))).toBe('button#buy');
    // a class holding an e-mail or a long digit run is left out
    expect(targetOf(document.querySelector('span'))).toBe('ul > li.row > span');
    expect(targetOf(document.querySelector('p'))).toBe('promo');
  });

  it("a text node by its parent; none for a node that is gone: '' (so web-vitals does not fall back to its own selector)", () => {
    expect(targetOf(document.getElementById('buy')!.firstChild)).toBe('button#buy');
    expect(targetOf(null)).toBe('');
  });
});
