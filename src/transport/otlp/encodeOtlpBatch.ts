// The seam between the buffer and OTLP: in OTLP mode an event's envelope context also names its
// destination (./otlpContext), so a batch (which never mixes contexts) goes whole to one path.
import type { ClaimedBatch } from '../../internal';
import type { EnvelopeContext } from '../../types';
import { encodeLogs } from './otlpLogs';
import { encodeMetrics } from './otlpMetrics';

export type OtlpPath = '/v1/logs' | '/v1/metrics';

/** A claimed batch as one OTLP/HTTP JSON request: its path under the endpoint, and its body. */
export const encodeOtlpBatch = (b: ClaimedBatch): { path: OtlpPath; body: string } => {
  const ctx = JSON.parse(b.ctx) as EnvelopeContext & { otlp?: 'metrics' };
  const events = b.events.map((e) => JSON.parse(e.json));
  return ctx.otlp == 'metrics' ? { path: '/v1/metrics', body: encodeMetrics(events, ctx) } : { path: '/v1/logs', body: encodeLogs(events, ctx) };
};
