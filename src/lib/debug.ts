let enabled = false;

export const setDebug = (on: boolean): void => {
  enabled = on;
};

/** Debug-only console warning; never throws, silent unless `debug: true`. */
export const warn = (...args: unknown[]): void => {
  if (enabled) {
    try {
      console.warn('telltale:', ...args);
    } catch {
      // a host page that replaced console must not break us
    }
  }
};
