// @vitest-environment node
// The page ↔ worker calls of the buffer, over a MessageChannel standing in for the worker (Node's: it clones).
import { afterEach, describe, expect, it } from 'vitest';
import { connect, serve, type Call } from '../../src/buffer/rpc';

let ports: MessagePort[] = [];
afterEach(() => {
  ports.forEach((p) => p.close());
  ports = [];
});

const pair = (api: Record<string, (...a: never[]) => unknown>): [Call, MessagePort] => {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serve(api, port2);
  return [connect(port1), port2];
};

describe('calling the worker', () => {
  it('resolves each call with its own answer, whatever order the answers come in', async () => {
    const [call] = pair({
      add: (a: number, b: number) => a + b,
      later: (v: string) => new Promise((ok) => setTimeout(() => ok(v), 20)),
      copy: (o: object) => o,
    });
    const slow = call('later', ['slow']);
    const fast = call('add', [2, 3]);
    expect(await Promise.all([slow, fast])).toEqual(['slow', 5]);
    const o = { a: [1, { b: 2 }] };
    const back = await call('copy', [o]);
    // cloned both ways: equal, not the same object
    expect(back).toEqual(o);
    expect(back).not.toBe(o);
  });

  it('rejects with an Error of the message when the worker side throws or rejects, and keeps answering', async () => {
    const [call] = pair({
      throws: () => {
        throw new Error('quota');
      },
      rejects: async () => Promise.reject(new DOMException('blocked', 'InvalidStateError')),
      rejectsPlain: async () => Promise.reject('plain'),
      ok: () => 1,
    });
    await expect(call('throws', [])).rejects.toThrow(new Error('quota'));
    await expect(call('rejects', [])).rejects.toThrow('blocked');
    await expect(call('rejectsPlain', [])).rejects.toThrow('plain');
    // a method that is not there yet (a store method before `open`) rejects too
    await expect(call('append', [])).rejects.toBeInstanceOf(Error);
    expect(await call('ok', [])).toBe(1);
  });

  it('rejects, never hangs, when a result or the arguments cannot be cloned', async () => {
    const [call] = pair({ fn: () => () => 1, ok: (v: number) => v });
    await expect(call('fn', [])).rejects.toThrow(/clone/i);
    await expect(call('ok', [() => 1])).rejects.toThrow(/clone/i);
    expect(await call('ok', [7])).toBe(7);
  });

  it('ignores an answer no call waits for', async () => {
    const [call, worker] = pair({ ok: (v: number) => v });
    const first = call('ok', [1]);
    worker.postMessage([99, 'stray']);
    expect(await first).toBe(1);
    expect(await call('ok', [2])).toBe(2);
  });
});
