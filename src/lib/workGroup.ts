// Work a task hands over, done together after it: the first item of a group schedules one run
// that takes the whole group, so the calling task only pushes onto an array.

export interface WorkGroup<T> {
  /** Queues `item`; the first of a group schedules the run. O(1), no allocation beyond the array's growth. */
  add(item: T): void;
  /** Hands what is queued to the processor now (a flush, page exit); a no-op when nothing is. */
  drain(): void;
  /** Takes what is queued without processing it; returns it. */
  take(): T[];
}

/**
 * @param processGroup gets every item queued since the last group, in order; never an empty group
 * @param schedule runs the group later: `queueMicrotask` (after the calling task's own code), or a
 *   schedule of the caller's (the pipeline's, a task later and only once the client started)
 */
export const createWorkGroup = <T>(processGroup: (items: T[]) => void, schedule: (run: () => void) => void): WorkGroup<T> => {
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
      if (!queue.length) schedule(drain);
      queue.push(item);
    },
    drain,
    take,
  };
};
