/** A call the worker does not answer in this long (killed, out of memory, a crashed process) fails, and the buffer is memory from then. */
export const STORE_CALL_TIMEOUT_MS = 5_000;

/** `promise`, or a rejection after `ms`. */
export const withTimeout = <T>(promise: Promise<T>, ms: number, message: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
