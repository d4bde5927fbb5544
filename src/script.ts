// The script-tag face: `<script src="telltale.min.js" data-endpoint=...>` starts
// the SDK from its data-* attributes and replays the `window.telltaleq` queue.
import { init } from './index';
import { serveStore } from './buffer/worker';
import { attempt } from './lib/attempt';
import { inBrowser } from './lib/env';
import { FN, readOptions, RULES, STRS } from './options';
import type { Client, Options } from './types';

export * from './index';
/** The client started from the script tag's attributes (or a queued `init`). */
export let client: Client | undefined;

// a worker's global (the DOM lib has no worker types)
declare const importScripts: unknown;

type Command = [string, ...unknown[]];
type Queue = Command[] & { push(...commands: Command[]): number };

/**
 * The attribute of an option (or of a dataset name): `batchSize` → `data-batch-size`;
 * `respectDoNotTrack` → `data-respect-dnt`, shorter than its kebab-case twin.
 */
const attribute = (key: string) => 'data-' + key.replace('DoNotTrack', 'Dnt').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Options from data-* attributes, parsed by the same rules as the JS options. */
const fromAttributes = (data: DOMStringMap): Record<string, unknown> => {
  const options: Record<string, unknown> = {};
  for (const name in data) {
    const key = name.replace('Dnt', 'DoNotTrack');
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

/** What a bad option or call threw, said on the console (the TypeError's message names the option). */
const report = (e: unknown) => console.error((e as Error).message);

const start = () => {
  const w = window as unknown as { telltaleq?: Queue };
  const queue: Queue = (w.telltaleq = Array.isArray(w.telltaleq) ? w.telltaleq : ([] as unknown as Queue));
  const held: Command[] = [];
  let off = false;

  const run = (cmd: Command) =>
    off ||
    !Array.isArray(cmd) ||
    attempt(report, () => {
      const [method, ...args] = cmd;
      const f = client?.[method as keyof Client] as ((...a: unknown[]) => unknown) | undefined;
      if (method == 'init') (client = init(args[0] as Options)), held.splice(0).forEach(run);
      else if (!client) held.push(cmd);
      else if (typeof f == 'function') f(...args);
      else console.error('telltale: telltaleq has no method ' + String(method));
    });

  const data = (document.currentScript as HTMLScriptElement | null)?.dataset;
  if (data?.endpoint !== undefined) {
    const options = fromAttributes(data) as unknown as Options;
    // a bad attribute disables the SDK; the page goes on
    off = !attempt(report, () => (readOptions(options, attribute), (client = init(options))));
  }
  queue.push = (...commands: Command[]) => (commands.forEach(run), queue.length);
  queue.splice(0).forEach(run);
};

if (inBrowser()) start();
// loaded by importScripts in the blob worker the page started (buffer/workerScript.ts)
else if (typeof importScripts == 'function') serveStore();
