export interface IngestSummary {
  fault: string;
  totals: { requests: number; accepted: number; rejected: number; tooLarge: number; faulted: number; received: number; duplicates: number; stored: number };
  byType: Record<string, number>;
  reasons: string[];
}
export interface StoredEvent {
  id: string;
  type: string;
  t: number;
  page: string;
  receivedAt: number;
  batch: string;
  session: string;
  [field: string]: unknown;
}
export interface Ingest {
  setFault(mode: string): boolean;
  summary(): IngestSummary;
  events(): StoredEvent[];
}
export declare const serveWithIngest: (o: {
  fileOf: (path: string) => string | undefined;
  port?: number;
  host?: string;
  dataDir?: string;
  log?: (line: string) => void;
}) => Promise<{ url: string; ingest: Ingest; close(): Promise<void> }>;
export declare const startDemo: (o?: { port?: number; host?: string; dataDir?: string; quiet?: boolean }) => Promise<{
  url: string;
  ingest: Ingest;
  close(): Promise<void>;
}>;
