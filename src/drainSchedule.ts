/**
 * How long recorded events wait, at most, before the gate, the encoder and the buffer take them,
 * in ms: clicks, routes and vitals a few hundred ms apart go as one group, in a task of their own.
 * The page's exit and `flush()` drain at once, so waiting loses nothing.
 */
export const DRAIN_DELAY_MS = 500;

/** When the pipeline's drain runs: not before the client has started, then in timed groups. */
export interface DrainSchedule {
  /** The pipeline's `scheduleDrain`: a group has begun. */
  schedule(drain: () => void): void;
  /** The client has started (its buffer is opening): what was recorded before drains in the next task. */
  start(): void;
  /** The client halted: no drain runs any more. */
  stop(): void;
}

export const createDrainSchedule = (): DrainSchedule => {
  let started = false;
  let stopped = false;
  let due: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const runDue = () => {
    timer = undefined;
    const drain = due;
    due = undefined;
    drain?.();
  };
  const startTimer = (delayMs: number) => {
    if (started && !stopped && timer === undefined) timer = setTimeout(runDue, delayMs);
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
      stopped = true;
      clearTimeout(timer);
      due = undefined;
    },
  };
};
