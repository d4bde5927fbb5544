// The page calls the store in its worker by message: `[id, method, args]` goes out, `[id, result]`
// or `[id, message, 1]` (it threw) comes back. Values go by structured clone, one message per call.

/** A worker seen from the page, or the worker's own global scope (a MessagePort in tests). */
export type Port = { postMessage(message: unknown): void; onmessage: ((e: MessageEvent) => void) | null };

/** Runs `method` in the worker; rejects with an Error of the message the worker threw. */
export type Call = (method: string, args: unknown[]) => Promise<unknown>;

/** Page side: calls what `serve` offers at the other end of `port`. */
export const connect = (port: Port): Call => {
  // by id; a plain object costs fewer bytes than a Map
  const waiting: Record<number, (v: unknown) => void> = {};
  let last = 0;
  port.onmessage = ({ data: [id, v, thrown] }) => {
    const ok = waiting[id];
    delete waiting[id];
    // no call waits for this id: not an answer of ours. A throw settles it with a rejected promise,
    // so one function per call is kept
    ok?.(thrown ? Promise.reject(Error(v)) : v);
  };
  return (method, args) =>
    new Promise((ok) => {
      // posted first: args that cannot be cloned throw here, and nothing is left waiting
      port.postMessage([++last, method, args]);
      waiting[last] = ok;
    });
};

/** Worker side: answers each call with what `api[method]` returns, or the message it throws. */
export const serve = (api: Record<string, (...a: never[]) => unknown>, port: Port): void => {
  port.onmessage = async ({ data: [id, method, args] }) => {
    try {
      // a result that cannot be cloned throws here too, and is answered as an error
      port.postMessage([id, await api[method](...(args as never[]))]);
    } catch (e) {
      port.postMessage([id, String((e as Error)?.message ?? e), 1]);
    }
  };
};
