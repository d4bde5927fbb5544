// Work a task hands over, done together after it: the first item of a task schedules one
// microtask that takes the whole group, so the calling task only pushes onto an array.

export interface MicrotaskGroup<T> {
  /** Queues `item`; the first of a group schedules the microtask. O(1), no allocation beyond the array's growth. */
  add(item: T): void;
  /** Hands what is queued to the processor now (a flush, page exit); a no-op when nothing is. */
  drain(): void;
  /** Takes what is queued without processing it; returns it. */
  take(): T[];
}

/** @param processGroup gets every item queued since the last group, in order; never an empty group */
export const createMicrotaskGroup = <T>(processGroup: (items: T[]) => void): MicrotaskGroup<T> => {
  let queue: T[] = [];
  const take = () => {
    const group = queue;
    queue = [];
    return group;
  };
  const drain = () => {
    if (queue.length) processGroup(take());
  };
  return {
    add(item) {
      if (!queue.length) queueMicrotask(drain);
      queue.push(item);
    },
    drain,
    take,
  };
};
