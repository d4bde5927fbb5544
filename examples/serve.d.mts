import type { Ingest } from '../demo/server.mjs';

export declare const exampleDir: (name: string) => string;
export declare const packTelltale: (destination: string) => string;
export declare const installTelltale: (name: string, tarball: string) => void;
export declare const buildExample: (name: string) => Promise<void>;
export declare const serveExample: (
  name: string,
  options?: { port?: number; log?: (line: string) => void },
) => Promise<{ url: string; ingest: Ingest; close(): Promise<void> }>;
