export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}
export interface Budget {
  label: string;
  file: string | RegExp;
  gzip: number;
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
