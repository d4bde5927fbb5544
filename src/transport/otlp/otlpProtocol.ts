// OTLP/HTTP JSON (SPEC §4b) as the sender's protocol; loaded only when `protocol: 'otlp'`.
import type { Protocol } from '../protocol';
import { encodeOtlpBatch } from './encodeOtlpBatch';
import { otlpOutcomeOf, partiallyRejected } from './otlpOutcome';

/** OTLP's JSON is ~5× the stored events (attribute keys per record): claims are this much smaller. */
const OTLP_EXPANSION = 6;

/** @param endpoint the Collector's base URL, absolute */
const otlpProtocol = (endpoint: string): Protocol => {
  // the Collector's base URL: /v1/logs and /v1/metrics go under it
  const base = endpoint.replace(/\/+$/, '');
  return {
    request: (b) => {
      const { path, body } = encodeOtlpBatch(b);
      return { url: base + path, body, json: true };
    },
    outcome: otlpOutcomeOf,
    refused: partiallyRejected,
    // sendBeacon would send cookies and cannot send application/json without a preflight
    beacon: false,
    expansion: OTLP_EXPANSION,
  };
};

// the default export: what ../protocol's lazy import() reads
export default otlpProtocol;
