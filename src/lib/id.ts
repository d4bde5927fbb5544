// Ids come from a pool of crypto-random words refilled 32 ids at a time, so
// an id costs two array reads instead of a getRandomValues call.
const POOL_WORDS = 64;
// pure: a bundle that makes no id (the worker) drops the pool
const pool = /* @__PURE__ */ new Uint32Array(POOL_WORDS);
let nextWord = POOL_WORDS;

/** A 32-bit word as 8 hex characters. */
const hex = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');

/** 64 random bits as 16 hex characters. */
export const randomId = (): string => {
  if (nextWord >= pool.length) {
    crypto.getRandomValues(pool);
    nextWord = 0;
  }
  const high = pool[nextWord++];
  const low = pool[nextWord++];
  return hex(high) + hex(low);
};

// FNV-1a's offset basis and prime, for the first pass; a golden-ratio seed and MurmurHash2's
// multiplier mix the second pass from the first
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
const SECOND_SEED = 0x9e3779b9;
const MURMUR_MULTIPLIER = 0x5bd1e995;

/**
 * 64 bits derived from a string (two FNV-1a style passes) as 16 hex characters. A batch id
 * made from its event ids is the same whenever the same events travel together again, even
 * from a later page that never learnt the id, and never the same for other events.
 */
export const hashId = (text: string): string => {
  let first = FNV_OFFSET;
  let second = SECOND_SEED;
  for (let i = 0; i < text.length; i++) {
    first = Math.imul(first ^ text.charCodeAt(i), FNV_PRIME);
    second = Math.imul(second ^ first, MURMUR_MULTIPLIER);
  }
  return hex(first) + hex(second ^ (second >>> 15));
};
