/** True in a page (not in Node during SSR, not in a worker). */
export const inBrowser = (): boolean => typeof window == 'object' && typeof document == 'object';
