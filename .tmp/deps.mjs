import { bundleCode, measure } from '../scripts/size.mjs';
const code = `import {onLCP,onINP,onCLS,onFCP,onTTFB} from 'web-vitals/attribution'; import {openDB} from 'idb'; import {wrap,expose,transfer} from 'comlink'; window.x=[onLCP,onINP,onCLS,onFCP,onTTFB,openDB,wrap,expose,transfer];`;
for (const c of [code, `import {onLCP,onINP,onCLS,onFCP,onTTFB} from 'web-vitals/attribution'; window.x=[onLCP,onINP,onCLS,onFCP,onTTFB]`, `import {openDB} from 'idb'; window.x=openDB`, `import {wrap,expose} from 'comlink'; window.x=[wrap,expose]`])
  console.log(measure(Buffer.from(await bundleCode(c, { format: 'iife' }))));
