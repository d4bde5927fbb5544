// How a batch goes on the wire, by `protocol`: the one place the sender asks where a batch goes,
// in what body, how it may leave at unload and what an answer means. OTLP's encoders load only
// for a site that chose it.
import type { Config } from '../options';
import type { ClaimedBatch } from '../internal';
import { encodeBatch } from './envelope';
import { outcomeOf, type Outcome } from './retry';

export interface Protocol {
  /** The request of a batch; `json`: sent as application/json (preflighted), else as text/plain. */
  request(b: ClaimedBatch): { url: string; body: string; json: boolean };
  outcome(status: number, retryAfter: number | undefined): Outcome;
  /** Events of a 2xx answer the receiver refused (OTLP's partialSuccess). */
  refused(body: string | undefined, events: number): number;
  /** Whether a batch may leave by sendBeacon at unload (it sends credentials and text/plain only). */
  beacon: boolean;
  /** Request body bytes per stored event byte, at most. */
  expansion: number;
}

/** Telltale's own wire (SPEC §4): one envelope per batch to `endpoint`, as text/plain. */
export const telltaleProtocol = (o: Config): Protocol => {
  const endpoint = new URL(o.endpoint, location.href).href;
  return { request: (b) => ({ url: endpoint, body: encodeBatch(b), json: false }), outcome: outcomeOf, refused: () => 0, beacon: true, expansion: 1 };
};

/** OTLP/HTTP JSON (SPEC §4b), its encoders loaded on demand. */
export const loadOtlpProtocol = (o: Config): Promise<Protocol> =>
  import('./otlp/otlpProtocol').then((m) => m.default(new URL(o.endpoint, location.href).href));
