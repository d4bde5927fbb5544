// The script-tag face: `<script src="telltale.min.js" data-endpoint=...>` starts
// the SDK from its data-* attributes and replays the `window.telltaleq` queue.
// the page's code first, the worker's after it (see index.ts)
import { init } from './index';
import { serveStore } from './buffer/worker';
import { inBrowser } from './lib/env';
import { FN, readOptions, RULES, STRS } from './options';
import type { Client, Options } from './types';

export * from './index';
/** The client started from the script tag's attributes (or a queued `init`). */
export let client: Client | undefined;

type Command = [string, ...unknown[]];
type Queue = Command[] & { push(...commands: Command[]): number };

// `data-respect-dnt`: shorter than its option's kebab-case twin
const DNT = 'respectDoNotTrack';
const DNT_ATTR = 'respectDnt';

/** The attribute of an option (or of a dataset name): `batchSize` → `data-batch-size`. */
const attribute = (key: string) => 'data-' + (key == DNT ? DNT_ATTR : key).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Options from data-* attributes, parsed by the same rules as the JS options. */
const fromAttributes = (data: DOMStringMap): Record<string, unknown> => {
  const options: Record<string, unknown> = {};
  for (const name in data) {
    const key = name == DNT_ATTR ? DNT : name;
    const rule = RULES[key as keyof Options];
    const raw = data[name]!;
    // another tool's attribute, or an option with no attribute twin (functions, nested objects)
    if (rule === undefined || rule == FN || (typeof rule == 'object' && !Array.isArray(rule))) continue;
    options[key] =
      typeof rule == 'boolean'
        ? raw == '' || raw == 'true' || (raw == 'false' ? false : raw)
        : rule == STRS
          ? raw.split(/[\s,]+/).filter(Boolean)
          : typeof rule != 'string' && raw.trim() && !isNaN(+raw)
            ? +raw
            : raw;
  }
  return options;
};

const start = () => {
  const w = window as unknown as { telltaleq?: Queue };
  const queue: Queue = (w.telltaleq = Array.isArray(w.telltaleq) ? w.telltaleq : ([] as unknown as Queue));
  const held: Command[] = [];
  let off = false;

  const run = (cmd: Command) => {
    try {
      if (off || !Array.isArray(cmd)) return;
      const [method, ...args] = cmd;
      const f = client?.[method as keyof Client] as ((...a: unknown[]) => unknown) | undefined;
      if (method == 'init') (client = init(args[0] as Options)), held.splice(0).forEach(run);
      else if (!client) held.push(cmd);
      else if (typeof f == 'function') f(...args);
      else console.error('telltale: telltaleq has no method ' + String(method));
    } catch (e) {
      console.error((e as Error).message);
    }
  };

  const data = (document.currentScript as HTMLScriptElement | null)?.dataset;
  if (data?.endpoint !== undefined) {
    const options = fromAttributes(data);
    try {
      readOptions(options, attribute);
      client = init(options as unknown as Options);
    } catch (e) {
      // a bad attribute disables the SDK; the page goes on
      console.error((e as Error).message);
      off = true;
    }
  }
  const waiting = queue.splice(0);
  queue.push = (...commands: Command[]) => (commands.forEach(run), queue.length);
  waiting.forEach(run);
};

if (inBrowser()) start();
// loaded by importScripts in the blob worker the page started (buffer/workerScript.ts)
else if (typeof self == 'object' && 'importScripts' in self) serveStore();
