// Personal data is replaced before anything is stored or sent (SPEC §5).
// Order matters: URLs lose their query first, then whole tokens (JWT, UUID,
// e-mail) go before the digit runs inside them.
const PATTERNS: [RegExp, string][] = [
  // the query and fragment of a URL inside free text (a message, a stack), or a relative URL's `?name=value...`
  [/(?<=\w:\/\/[^\s?#"'<>`]*)[?#][^\s"'<>`)]*|\?[\w.%[\]-]+=[^\s"'<>`)]*/g, ''],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/\b[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}\b/gi, '[uuid]'],
  [/\b[\da-f]{16,}\b/gi, '[hex]'],
  // IPv4 addresses
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '[ip]'],
  // token-like: long runs mixing upper case, lower case and digits (API keys, base64),
  // or a longer run of letters and digits of one case
  [/(?<![\w+])(?=[\w+-]*\d)(?=[\w+-]*[A-Z])(?=[\w+-]*[a-z])[\w+-]{20,}={0,2}|\b(?=[\w-]*\d)(?=[\w-]*[a-zA-Z])[\w-]{32,}\b/g, '[token]'],
  // 6+ digits, possibly split by spaces, dashes, dots or brackets (phone, card, account numbers);
  // dates and versions (1.22.333) are matched first only to be kept
  [/\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?\b|\b\d{1,4}\.\d{1,3}(?:\.\d{1,3})?\b(?![.-]\d)|\+?\(?\d(?:[\s().-]{0,2}\d){5,}/g, '[number]'],
];

// what the last pattern matches only to keep: ISO dates (and times), versions
const SAFE = /^\d{4}-\d\d-\d\d|^\d{1,4}\.\d{1,3}(?:\.\d{1,3})?$/;

// No pattern can match a short string without a digit, `?#@%` or a JWT's head (most names and labels)
const PLAIN = /^(?:(?!eyJ)[^\d?#@%]){0,15}$/;

export const scrubText = (s: string): string => {
  if (PLAIN.test(s)) return s;
  for (const [re, by] of PATTERNS) s = s.replace(re, (m) => (SAFE.test(m) ? m : by));
  return s;
};

/**
 * A URL as we record it: no fragment, no query except allow-listed parameters,
 * personal data in the rest replaced.
 */
export const scrubUrl = (url: string, allow: readonly string[] = []): string => {
  const [, rest, query] = /^([^?#]*)\??([^#]*)/.exec(url)!;
  const kept = [...new URLSearchParams(query)].filter(([k]) => allow.includes(k));
  return scrubText(rest) + (kept.length ? '?' + new URLSearchParams(kept.map(([k, v]) => [k, scrubText(v)])) : '');
};

/** Path (and allow-listed query) of the page, the `page` field of every event. */
export const scrubPath = (href: string, allow?: readonly string[]): string =>
  scrubUrl(href.replace(/^[a-z][\w+.-]*:(\/\/[^/]*)?/i, ''), allow) || '/';
