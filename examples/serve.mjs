// `node examples/serve.mjs <example> [port]`: runs an example against this checkout.
// It packs the repository as npm would publish it, installs that package into the
// example's node_modules/telltale, builds the example with Vite when it has a build
// step, and serves it on 127.0.0.1 with the reference ingest at /ingest.
// Run `npm run build` first: the package is made of dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveWithIngest } from '../demo/server.mjs';

const EXAMPLES = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(EXAMPLES, '..');

/** The folder of the example called `name`. */
export const exampleDir = (name) => join(EXAMPLES, name);

/** True when the example is built (it has a `build` script) rather than served as it is. */
const hasBuild = (name) => Boolean(JSON.parse(readFileSync(join(exampleDir(name), 'package.json'), 'utf8')).scripts?.build);

/** `npm pack` of the repository into `destination`; returns the tarball's path. */
export const packTelltale = (destination) => {
  mkdirSync(destination, { recursive: true });
  const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' });
  return join(destination, output.trim().split('\n').pop());
};

/** Unpacks the tarball into the example's node_modules/telltale, as `npm install telltale` would. */
export const installTelltale = (name, tarball) => {
  const target = join(exampleDir(name), 'node_modules/telltale');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
};

/** `vite build` of the example (its own vite.config.js and .env apply), into its dist/. */
export const buildExample = async (name) => {
  const { build } = await import('vite');
  await build({ root: exampleDir(name), logLevel: 'warn' });
};

/**
 * Serves the example (its dist/ when it has a build step, else its folder) and the
 * reference ingest at /ingest. Paths without an extension get index.html, so a
 * reload on a pushed route works. Resolves once it listens.
 * @param {string} name
 * @param {{ port?: number, log?: (line: string) => void }} [options]
 */
export const serveExample = (name, { port = 0, log } = {}) => {
  const folder = hasBuild(name) ? join(exampleDir(name), 'dist') : exampleDir(name);
  const fileOf = (path) => {
    const file = join(folder, extname(path) ? path : 'index.html');
    return file.startsWith(folder + sep) ? file : undefined;
  };
  return serveWithIngest({ fileOf, port, log });
};

const main = async (name, port) => {
  if (!name || !existsSync(join(exampleDir(name), 'package.json'))) {
    console.error('usage: node examples/serve.mjs <vite-spa | script-tag | onnx | consent> [port]');
    process.exit(1);
  }
  if (!existsSync(join(ROOT, 'dist/telltale.mjs'))) {
    console.error('dist/ is missing: run "npm run build" first');
    process.exit(1);
  }
  const packDir = mkdtempSync(join(tmpdir(), 'telltale-pack-'));
  installTelltale(name, packTelltale(packDir));
  rmSync(packDir, { recursive: true, force: true });
  if (hasBuild(name)) await buildExample(name);
  const log = (line) => console.log(`${new Date().toLocaleTimeString()}  ${line}`);
  const { url } = await serveExample(name, { port, log });
  console.log(`\n  ${name} example   ${url}/\n  ingest endpoint    ${url}/ingest\n`);
};

if (process.argv[1] && import.meta.url == pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv[2], Number(process.argv[3] || process.env.PORT || 5180)).catch((error) => {
    console.error(error.code == 'EADDRINUSE' ? 'the port is in use: node examples/serve.mjs <example> 5181' : error);
    process.exit(1);
  });
}
