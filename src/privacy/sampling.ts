// Knuth's multiplicative hash factor, as Datadog and dd-trace use for session sampling.
const KNUTH = 1111111111111111111n;

/**
 * Where a session falls in [0, 1): a hash of its id, so every page of the
 * session gets the same answer, and every rate is decided from the same number.
 */
export const sampleScore = (sessionId: string): number => {
  try {
    // the top 53 bits of the 64-bit product: exact as a double, always below 1
    return Number(BigInt.asUintN(64, BigInt('0x' + sessionId.slice(-16)) * KNUTH) >> 11n) / 2 ** 53;
  } catch {
    return 0;
  }
};

/**
 * Kept when the score is under the session rate times the signal's rate, so
 * the signals nest: a kept signal implies a kept session, and a signal with a
 * lower rate is kept only in sessions that keep every signal with a higher one.
 */
export const sampled = (score: number, sessionRate: number, signalRate = 1): boolean => score < sessionRate * signalRate;
