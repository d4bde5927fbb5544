declare const __TELLTALE_VERSION__: string;

/** Stamped in at build time from package.json. */
export const VERSION: string = __TELLTALE_VERSION__;
/** The envelope's `sdk` field. */
export const SDK = 'telltale/' + VERSION;
