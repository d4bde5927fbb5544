// The ESM build carries the worker inlined (built by rollup.config.mjs into its own chunk).
import code from 'virtual:telltale-worker';

/** Source of a blob worker that serves the store. */
export const workerScript = (): string => code;
