// What the browser gives: the entry fields the DOM typings lack (Event Timing, Layout Instability, prerendering).

export type Name = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';
export type Input = PerformanceEventTiming & { interactionId: number };
export type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: { node: Node | null }[] };
export type Nav = PerformanceNavigationTiming & { activationStart?: number };
export type Page = Document & { prerendering?: boolean; wasDiscarded?: boolean };

/** The page's own navigation; none in a few browsers, or when its responseStart is 0 or in the future (browsers do give such entries). */
export const navigation = (): Nav | undefined => {
  const n = performance.getEntriesByType('navigation')[0] as Nav | undefined;
  return n && n.responseStart > 0 && n.responseStart < performance.now() ? n : undefined;
};
