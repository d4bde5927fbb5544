// The script-tag face: `<script src="telltale.min.js" data-endpoint=...>` starts
// the SDK from its data-* attributes and replays the `window.telltaleq` queue.
import { init } from './index';
import { serveStore } from './buffer/worker';
import { attempt } from './lib/attempt';
import { inBrowser } from './lib/env';
import { FN, readOptions, RULES, STRS, type Rule } from './options';
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

/** An attribute's text as the value its option's rule expects (a number, a boolean, a list); else as is. */
const parseAttribute = (rule: Rule, raw: string): unknown => {
  if (typeof rule == 'boolean') {
    // a bare attribute is true; text other than true/false stays text, for the check to name it
    if (raw == '' || raw == 'true') return true;
    return raw == 'false' ? false : raw;
  }
  if (rule == STRS) return raw.split(/[\s,]+/).filter(Boolean);
  const numeric = typeof rule != 'string' && raw.trim() != '' && !isNaN(+raw);
  return numeric ? +raw : raw;
};

/** Options from data-* attributes, parsed by the same rules as the JS options. */
const fromAttributes = (data: DOMStringMap): Record<string, unknown> => {
  const options: Record<string, unknown> = {};
  for (const name in data) {
    const key = name.replace('Dnt', 'DoNotTrack');
    const rule = RULES[key as keyof Options];
    // another tool's attribute, or an option with no attribute twin (functions, nested objects)
    const hasTwin = rule !== undefined && rule != FN && (typeof rule != 'object' || Array.isArray(rule));
    if (hasTwin) options[key] = parseAttribute(rule, data[name]!);
  }
  return options;
};

/** What a bad option or call threw, said on the console (the TypeError's message names the option). */
const report = (error: unknown) => console.error((error as Error).message);

/** Starts the client from the script tag's attributes, and runs the `telltaleq` commands, queued and later. */
const start = () => {
  const page = window as unknown as { telltaleq?: Queue };
  const queue: Queue = Array.isArray(page.telltaleq) ? page.telltaleq : ([] as unknown as Queue);
  page.telltaleq = queue;
  // commands queued before any client: they run once a queued `init` starts one
  const waiting: Command[] = [];
  // a bad attribute: the SDK stays off, and the queue accepts every command and ignores it
  let off = false;

  const runCommand = ([method, ...args]: Command) => {
    if (method == 'init') {
      client = init(args[0] as Options);
      waiting.splice(0).forEach(run);
      return;
    }
    if (!client) {
      waiting.push([method, ...args]);
      return;
    }
    const clientMethod = client[method as keyof Client] as ((...callArgs: unknown[]) => unknown) | undefined;
    if (typeof clientMethod == 'function') clientMethod(...args);
    else console.error('telltale: telltaleq has no method ' + String(method));
  };
  const run = (command: Command) => {
    if (!off && Array.isArray(command)) attempt(report, runCommand, command);
  };

  const data = (document.currentScript as HTMLScriptElement | null)?.dataset;
  if (data?.endpoint !== undefined) {
    const options = fromAttributes(data) as unknown as Options;
    const startFromAttributes = () => {
      // checked first with the attributes' names, so the message names the attribute
      readOptions(options, attribute);
      client = init(options);
      return true;
    };
    off = !attempt(report, startFromAttributes);
  }
  queue.push = (...commands: Command[]) => {
    commands.forEach(run);
    return queue.length;
  };
  queue.splice(0).forEach(run);
};

if (inBrowser()) start();
// loaded by importScripts in the blob worker the page started (buffer/workerScript.ts)
else if (typeof importScripts == 'function') serveStore();
