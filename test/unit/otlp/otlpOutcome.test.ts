import { describe, expect, it } from 'vitest';
import { otlpOutcomeOf, partiallyRejected } from '../../../src/transport/otlp/otlpOutcome';

describe('OTLP/HTTP answers (OTLP specification)', () => {
  it('retries exactly 429, 502, 503, 504 and network errors; a Retry-After or a 429 pauses the endpoint; every other status drops', () => {
    const table = [200, 204, 0, 429, 502, 503, 504, 400, 401, 408, 413, 415, 500, 501].map((s) => [s, otlpOutcomeOf(s, undefined), otlpOutcomeOf(s, 2000)]);
    expect(table).toEqual([
      [200, 'ok', 'ok'],
      [204, 'ok', 'ok'],
      [0, 'retry', 'retry'],
      [429, 'rate-limited', 'rate-limited'],
      [502, 'retry', 'rate-limited'],
      [503, 'retry', 'rate-limited'],
      [504, 'retry', 'rate-limited'],
      [400, 'rejected', 'rejected'],
      [401, 'rejected', 'rejected'],
      [408, 'rejected', 'rejected'],
      [413, 'rejected', 'rejected'],
      [415, 'rejected', 'rejected'],
      [500, 'rejected', 'rejected'],
      [501, 'rejected', 'rejected'],
    ]);
  });

  it('reads the rejected count of a partialSuccess, at most the batch, and nothing from an empty or unreadable body', () => {
    expect(partiallyRejected('{"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"x"}}', 10)).toBe(3);
    expect(partiallyRejected('{"partialSuccess":{"rejectedDataPoints":"40"}}', 5)).toBe(5);
    expect(partiallyRejected('{"partialSuccess":{}}', 5)).toBe(0);
    expect(partiallyRejected('{}', 5)).toBe(0);
    expect(partiallyRejected('', 5)).toBe(0);
    expect(partiallyRejected('<html>', 5)).toBe(0);
  });
});
