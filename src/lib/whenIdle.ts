/**
 * Runs `task` in a task of its own once the page is idle, or after `timeoutMs` at the latest;
 * where `requestIdleCallback` is missing (Safari), in the next task. The SDK starts its storage,
 * worker and observers this way, so they never lengthen the page's own tasks (init() runs inside
 * the page's script).
 */
export const whenIdle = (task: () => void, timeoutMs: number): void => {
  if (typeof requestIdleCallback == 'function') requestIdleCallback(task, { timeout: timeoutMs });
  else setTimeout(task);
};
