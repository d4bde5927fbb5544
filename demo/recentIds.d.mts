export declare const DEDUPE_WINDOW_MS: number;
export declare const DEDUPE_MAX_IDS: number;
export declare const recentIds: (o?: { windowMs?: number; maxIds?: number; now?: () => number }) => {
  add(id: string): boolean;
  delete(id: string): boolean;
  stats(): { ids: number; forgotten: number; windowMs: number; maxIds: number };
};
