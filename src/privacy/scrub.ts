import type { Scrubber } from '../lib/clean';
import { memoizeText } from '../lib/memo';

// Key names that hold secrets. `password`, `secret`, `cookie`... anywhere in a key
// (`userPassword`, `Set-Cookie`); `token`, `auth`, `session` only where they end it, so that
// `tokenCount`, `maxTokens` or `sessionDuration` (model and page figures) are kept.
const SECRET_WORD = 'pass(?:word|wd|phrase)|pwd|secret|authori[sz]ation|cookie|credential|(?:api|access|private)[_-]?key';
const SECRET_END = '(?:auth|session|token|sid|jwt)(?:[_-]?(?:id|key|value|header))?';
/** A key, its camelCase split by `_`, lowercased. */
const SECRET_KEY = new RegExp(`(?:^|[^a-z])(?:${SECRET_WORD})|(?:^|[^a-z])${SECRET_END}$`);

/** True for a key whose value must not leave the page (`password`, `apiKey`, `X-Auth-Token`...), any case. */
export const namesSecret = (key: string): boolean => SECRET_KEY.test(key.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase());

// Personal data is replaced before anything is stored or sent (SPEC §5).
// Order matters: URLs lose their query first, then secrets named in the text, then whole
// tokens (JWT, UUID, e-mail, IPv6) go before the digit runs inside them.
const HEX_GROUP = '[\\da-f]{1,4}';
const IPV4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';
const PATTERNS: [RegExp, string][] = [
  // the query and fragment of a URL inside free text (a message, a stack), or a relative URL's `?name=value...`
  [/(?<=\w:\/\/[^\s?#"'<>`]*)[?#][^\s"'<>`)]*|\?[\w.%[\]-]+=[^\s"'<>`)]*/g, ''],
  // the value after a secret's name in text: `password=...`, `"token": "..."`, `Authorization: Bearer ...`
  [
    new RegExp(`(?<=(?:(?:${SECRET_WORD})[\\w-]*|${SECRET_END})["']?\\s*[:=]\\s*["']?)(?:(?:bearer|basic)\\s+)?(?!\\[redacted\\])[^\\s"'&,;)}\\]]+`, 'gi'),
    '[redacted]',
  ],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/\b[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}\b/gi, '[uuid]'],
  [/\b[\da-f]{16,}\b/gi, '[hex]'],
  // IPv6 addresses: eight groups, or fewer around one `::` (`fe80::1%eth0`, `::ffff:192.0.2.1`);
  // a time (12:30:45) has neither
  [
    new RegExp(
      `(?<![\\w:.])(?:(?:${HEX_GROUP}:){7}${HEX_GROUP}|(?:${HEX_GROUP}:){6}${IPV4}|(?:${HEX_GROUP}(?::${HEX_GROUP}){0,6})?::(?:(?:${HEX_GROUP}:){0,5}${IPV4}|${HEX_GROUP}(?::${HEX_GROUP}){0,6})?)(?:%[\\w.-]+)?(?![\\w:])`,
      'gi',
    ),
    '[ip]',
  ],
  // IPv4 addresses
  [new RegExp(`\\b${IPV4}\\b`, 'g'), '[ip]'],
  // token-like: long runs mixing upper case, lower case and digits (API keys, base64),
  // or a longer run of letters and digits of one case
  [/(?<![\w+])(?=[\w+-]*\d)(?=[\w+-]*[A-Z])(?=[\w+-]*[a-z])[\w+-]{20,}={0,2}|\b(?=[\w-]*\d)(?=[\w-]*[a-zA-Z])[\w-]{32,}\b/g, '[token]'],
  // 6+ digits, possibly split by spaces, dashes, dots or brackets (phone, card, account numbers);
  // dates and versions (1.22.333) are matched first only to be kept
  [/\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?\b|\b\d{1,4}\.\d{1,3}(?:\.\d{1,3})?\b(?![.-]\d)|\+?\(?\d(?:[\s().-]{0,2}\d){5,}/g, '[number]'],
];

// what the last pattern matches only to keep, whole: ISO dates (and times), versions.
// (A token that merely starts with a date is not kept.)
const SAFE = /^(?:\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?|\d{1,4}\.\d{1,3}(?:\.\d{1,3})?)$/;

// No pattern can match a short string without a digit, `?#@%:=` or a JWT's head (most names and labels)
const PLAIN = /^(?:(?!eyJ)[^\d?#@%:=]){0,15}$/;

export const scrubText = (s: string): string => {
  if (PLAIN.test(s)) return s;
  for (const [re, by] of PATTERNS) s = s.replace(re, (m) => (SAFE.test(m) ? m : by));
  return s;
};

/**
 * What every event's data goes through: personal data in strings replaced, values under secret
 * keys redacted. Answers for short strings are remembered: events repeat their keys and names.
 */
const scrubKnownText = memoizeText(scrubText);
const redactKnownKey = memoizeText((key) => (namesSecret(key) ? '[redacted]' : undefined));
export const scrubber: Scrubber = { text: scrubKnownText, redact: redactKnownKey };

/**
 * A URL as we record it: no fragment, no query except allow-listed parameters,
 * personal data in the rest replaced.
 */
export const scrubUrl = (url: string, allow: readonly string[] = []): string => {
  const [, rest, query] = /^([^?#]*)\??([^#]*)/.exec(url)!;
  const kept = [...new URLSearchParams(query)].filter(([k]) => allow.includes(k));
  return scrubText(rest) + (kept.length ? '?' + new URLSearchParams(kept.map(([k, v]) => [k, scrubber.redact(k) ?? scrubText(v)])) : '');
};

/** Path (and allow-listed query) of the page, the `page` field of every event. */
export const scrubPath = (href: string, allow?: readonly string[]): string =>
  scrubUrl(href.replace(/^[a-z][\w+.-]*:(\/\/[^/]*)?/i, ''), allow) || '/';
