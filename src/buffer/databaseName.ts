/** The origin's one buffer database: opened by the worker, looked for by the page before a purge. */
export const DATABASE_NAME = 'telltale';
