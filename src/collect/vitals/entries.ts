// What the browser gives: the entry fields the DOM typings lack (Event Timing, Layout Instability, prerendering).

export type Name = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';
export type Input = PerformanceEventTiming & { interactionId: number };
export type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: { node: Node | null }[] };
export type Nav = PerformanceNavigationTiming & { activationStart?: number };
export type Page = Document & { prerendering?: boolean; wasDiscarded?: boolean };

// the page's own navigation (none in a few browsers)
export const navigation = () => performance.getEntriesByType('navigation')[0] as Nav | undefined;
