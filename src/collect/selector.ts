import { scrubText } from '../privacy/scrub';

/** The attribute a site puts on an element (or an ancestor) to name its actions. */
export const NAME_ATTR = 'data-telltale-name';
// test attributes are stable by design; they name elements better than generated ids
const STABLE = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy'];
// What a user acts on: a click on an icon inside a button is the button's.
export const CONTROLS = 'a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox],[role=switch],[role=option]';
// ids and classes that look generated (CSS-in-JS hashes, framework counters, CSS modules) are left out
const GENERATED = /\d.*\d.*\d|^(?:css|sc|jsx|emotion|svelte|ember|ng|tw)-|__|^_|[^\w-]|^.{41}/;

const ok = (s: string | null | false): s is string => !!s && !GENERATED.test(s) && scrubText(s) == s;

// One element as `tag#id`, `tag[data-testid="x"]` (anchored: unique enough to stop at), or `tag[role=x].a.b`.
const part = (el: Element): string => {
  const tag = el.localName;
  if (ok(el.id)) return tag + '#' + el.id;
  for (const a of STABLE) {
    const v = el.getAttribute(a);
    if (ok(v)) return `${tag}[${a}="${v}"]`;
  }
  let s = tag;
  const role = el.getAttribute('role');
  const type = tag == 'input' && el.getAttribute('type');
  if (ok(role)) s += `[role=${role}]`;
  if (ok(type)) s += `[type=${type}]`;
  let n = 0;
  for (const c of el.classList) if (ok(c) && n++ < 2) s += '.' + c;
  return s;
};

/**
 * A privacy-safe name for an element: `data-telltale-name` on it or an
 * ancestor, else a selector of at most 3 levels, up to the first with a stable
 * id or test attribute. Never reads text or values. Bounded work (a few ancestors).
 */
export const selector = (el: Element): string => {
  const named = el.closest(`[${NAME_ATTR}]`);
  if (named) return named.getAttribute(NAME_ATTR)!;
  let out = '';
  for (let e: Element | null = el, i = 0; e && i < 3 && e.localName != 'body' && e.localName != 'html'; e = e.parentElement, i++) {
    const p = part(e);
    out = out ? p + ' > ' + out : p;
    // only an anchored part holds `#` or `"`: what `ok` lets through has neither
    if (/[#"]/.test(p)) break;
  }
  return out || el.localName;
};
