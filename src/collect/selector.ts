import { scrubText } from '../privacy/scrub';

/** The attribute a site puts on an element (or an ancestor) to name its actions. */
export const NAME_ATTR = 'data-telltale-name';
// test attributes are stable by design; they name elements better than generated ids
const STABLE = ['data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy'];
// What a user acts on: a click on an icon inside a button is the button's.
export const CONTROLS = 'a,button,input,select,textarea,label,summary,[role=button],[role=link],[role=menuitem],[role=tab],[role=checkbox],[role=switch],[role=option]';
// ids and classes that look generated (CSS-in-JS hashes, framework counters, CSS modules) are left out
const GENERATED = /\d.*\d.*\d|^(?:css|sc|jsx|emotion|svelte|ember|ng|tw)-|__|^_|[^\w-]|^.{41}/;
// Levels of the DOM a selector names at most, and classes per level.
const MAX_LEVELS = 3;
const MAX_CLASSES = 2;

/** A name (id, attribute value, class) that is stable and holds no personal data. */
const isStableName = (name: string | null | false): name is string => !!name && !GENERATED.test(name) && scrubText(name) == name;

/** One element as `tag#id`, `tag[data-testid="x"]` (anchored: unique enough to stop at), or `tag[role=x].a.b`. */
const describeElement = (element: Element): string => {
  const tag = element.localName;
  if (isStableName(element.id)) return tag + '#' + element.id;
  for (const attribute of STABLE) {
    const value = element.getAttribute(attribute);
    if (isStableName(value)) return `${tag}[${attribute}="${value}"]`;
  }
  let description = tag;
  const role = element.getAttribute('role');
  const type = tag == 'input' && element.getAttribute('type');
  if (isStableName(role)) description += `[role=${role}]`;
  if (isStableName(type)) description += `[type=${type}]`;
  const classes = [...element.classList].filter(isStableName).slice(0, MAX_CLASSES);
  for (const name of classes) description += '.' + name;
  return description;
};

/**
 * A privacy-safe name for an element: `data-telltale-name` on it or an
 * ancestor, else a selector of at most 3 levels, up to the first with a stable
 * id or test attribute. Never reads text or values. Bounded work (a few ancestors).
 */
export const selector = (element: Element): string => {
  const named = element.closest(`[${NAME_ATTR}]`);
  if (named) return named.getAttribute(NAME_ATTR)!;
  let path = '';
  let current: Element | null = element;
  for (let level = 0; current && level < MAX_LEVELS; level++) {
    if (current.localName == 'body' || current.localName == 'html') break;
    const part = describeElement(current);
    path = path ? part + ' > ' + path : part;
    // only an anchored part holds `#` or `"`: a stable name has neither
    if (/[#"]/.test(part)) break;
    current = current.parentElement;
  }
  return path || element.localName;
};
