import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { gzipSync } from 'node:zlib';
const input = process.argv[2] || 'src/script.ts';
const b = await rollup({ input, plugins: [nodeResolve({ browser: true }), typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], declaration: false, outDir: undefined, rootDir: undefined, noEmit: false, sourceMap: false })], onwarn(){} });
const { output } = await b.generate({ format: 'iife', name: 'T' });
const mods = Object.entries(output[0].modules).map(([id, m]) => [id.replace(process.cwd()+'/', ''), m.renderedLength]).sort((a,b)=>b[1]-a[1]);
let tot=0; for (const [id,l] of mods) { tot+=l; console.log(String(l).padStart(7), id); }
console.log(tot);
