let enabled = false;

/** Turns the debug warnings on or off (the `debug` option). */
export const setDebug = (on: boolean): void => {
  enabled = on;
};

/** Debug-only console warning; never throws, silent unless `debug: true`. */
export const warn = (...args: unknown[]): void => {
  if (!enabled) return;
  try {
    console.warn('telltale:', ...args);
  } catch {
    // a host page that replaced console must not break us
  }
};
