export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}
export interface Budget {
  label: string;
  file: string | RegExp;
  gzip: number;
  /** The whole IIFE's goal below its budget. */
  target?: number;
  /** Where the budget is not met yet: what npm test enforces meanwhile. */
  ceiling?: number;
  bundled?: boolean;
  optional?: boolean;
}
export declare const BUDGETS: Budget[];
export declare const measure: (bytes: Uint8Array) => Size;
export declare const distSizes: () => ({ file: string } & Size)[];
export declare const bundleCode: (
  code: string,
  options?: { format?: string; external?: (id: string, from?: string) => boolean },
) => Promise<string>;
export declare const bundleFile: (file: string) => Promise<string>;
export declare const budgetSizes: (sizes?: ({ file: string } & Size)[]) => Promise<(Budget & { rows: ({ file: string } & Size)[] })[]>;
export declare const FLOOR: { label: string; code: string };
