import type { OtlpReceiver } from './ingest.mjs';

export interface IngestSummary {
  fault: string;
  totals: {
    requests: number;
    accepted: number;
    rejected: number;
    tooLarge: number;
    faulted: number;
    received: number;
    duplicates: number;
    stored: number;
    streamsRefused: number;
    foreignRefused: number;
  };
  byType: Record<string, number>;
  reasons: string[];
  /** OTLP/HTTP on /v1/logs and /v1/metrics: requests, records stored, metrics stored. */
  otlp: { requests: number; rejectedRecords: number; duplicates: number; logRecords: number; metrics: number };
  /** What the ingest keeps, against its bounds. */
  kept: {
    dedupe: { ids: number; forgotten: number; windowMs: number; maxIds: number };
    streams: number;
    maxStreams: number;
    /** `droppedRows`: events in rotated-away files. */
    file: { bytes: number; rows: number; maxBytes: number; rotations: number; droppedRows: number } | null;
  };
}
export interface IngestLimits {
  maxStreams?: number;
  maxFileBytes?: number;
  dedupe?: { windowMs?: number; maxIds?: number };
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
  /** The OTLP/HTTP receiver beside the telltale wire. */
  otlp: OtlpReceiver;
}
export declare const serveWithIngest: (o: {
  fileOf: (path: string) => string | undefined;
  port?: number;
  host?: string;
  dataDir?: string;
  log?: (line: string) => void;
  limits?: IngestLimits;
}) => Promise<{ url: string; ingest: Ingest; close(): Promise<void> }>;
export declare const startDemo: (o?: { port?: number; host?: string; dataDir?: string; quiet?: boolean; limits?: IngestLimits }) => Promise<{
  url: string;
  ingest: Ingest;
  close(): Promise<void>;
}>;
