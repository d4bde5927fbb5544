import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ingest } from './server.mjs';

export interface OtlpReceiver {
  logs(): { app?: string; resource: unknown; record: { eventName: string; timeUnixNano: string; attributes: { key: string; value: Record<string, unknown> }[] } }[];
  metrics(): { app?: string; metric: Record<string, any> }[];
  totals(): { requests: number; rejectedRecords: number; duplicates: number };
}
export declare const FAULTS: string[];
export declare const createIngest: (o?: { dataDir?: string; log?: (line: string) => void; allowedOrigins?: string[] }) => Ingest & {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  otlp: OtlpReceiver;
  close(): void;
};
