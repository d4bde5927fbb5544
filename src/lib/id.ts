// Ids come from a pool of crypto-random words refilled 32 ids at a time, so
// an id costs two array reads instead of a getRandomValues call.
// pure: a bundle that makes no id (the worker) drops the pool
const pool = /* @__PURE__ */ new Uint32Array(64);
let next = 64;

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** 64 random bits as 16 hex characters. */
export const randomId = (): string => {
  if (next >= pool.length) {
    crypto.getRandomValues(pool);
    next = 0;
  }
  return hex(pool[next++]) + hex(pool[next++]);
};

/**
 * 64 bits derived from a string (two FNV-1a style passes) as 16 hex characters. A batch id
 * made from its event ids is the same whenever the same events travel together again, even
 * from a later page that never learnt the id, and never the same for other events.
 */
export const hashId = (s: string): string => {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < s.length; i++) (a = Math.imul(a ^ s.charCodeAt(i), 16777619)), (b = Math.imul(b ^ a, 0x5bd1e995));
  return hex(a) + hex(b ^ (b >>> 15));
};
