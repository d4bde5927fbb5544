/**
 * How long recorded events wait, at most, before the gate, the encoder and the buffer take them,
 * in ms: 0, the next task. The recording task (a click's listener, `track()`) only queues them,
 * and what the page records meanwhile joins the group. Not longer: a page that unloads right
 * after recording must already have handed its events to the buffer (a 500 ms wait lost the
 * buffer's copy of events sent at unload, in the durable-delivery tests).
 */
export const DRAIN_DELAY_MS = 0;

/** When the pipeline's drain runs: not before the client has started, then in the task after the first event of a group. */
export interface DrainSchedule {
  /** The pipeline's `scheduleDrain`: a group has begun. */
  schedule(drain: () => void): void;
  /** The client has started (its buffer is opening): what was recorded before drains in the next task. */
  start(): void;
  /** The client halted: no drain runs any more. */
  stop(): void;
}

export const createDrainSchedule = (): DrainSchedule => {
  // false again once stopped
  let started = false;
  let due: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const runDue = () => {
    timer = undefined;
    const drain = due;
    due = undefined;
    drain?.();
  };
  const startTimer = (delayMs: number) => {
    if (started && timer === undefined) timer = setTimeout(runDue, delayMs);
  };

  return {
    schedule(drain) {
      due = drain;
      startTimer(DRAIN_DELAY_MS);
    },
    start() {
      started = true;
      if (due) startTimer(0);
    },
    stop() {
      started = false;
      clearTimeout(timer);
      due = undefined;
    },
  };
};
