/** The minified worker script, as a string (rollup.config.mjs builds it from src/worker.ts). */
declare module 'virtual:telltale-worker' {
  const code: string;
  export default code;
}
