#!/usr/bin/env node
// What a Vite app's page loads before its code runs: the packed package installed into the test's
// fresh Vite app (scripts/dev-servers/vite-build.mjs), `vite build` with no configuration, then the
// entry chunk index.html names and every chunk it imports statically (the app's main.js and the
// client; the worker, its chunks and the wasm are other files), raw / gzip -9 / brotli -q 11.
// Beside it, dist/index.mjs's own static closure (bench/size's page figure). Needs dist/.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildViteApp } from '../scripts/dev-servers/vite-build.mjs';
import { importClosure, sizes } from './shipped.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const total = (dir, files) => files.map((f) => sizes(readFileSync(join(dir, f))))
  .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const pad = (s, n) => String(s).padStart(n);
const line = (name, r) => console.log(`${name.padEnd(60)}${pad(r.raw, 9)}${pad(r.gzip, 9)}${pad(r.brotli, 9)}`);

const app = await buildViteApp();
try {
  const dist = join(app.appDir, 'dist');
  const entry = readFileSync(join(dist, 'index.html'), 'utf8').match(/<script type="module"[^>]*src="\/([^"]+)"/)[1];
  const page = importClosure(dirname(join(dist, entry)), entry.split('/').pop());
  const assets = readdirSync(join(dist, 'assets'));
  console.log(`${'vite build, no configuration'.padEnd(60)}${pad('raw', 9)}${pad('gzip -9', 9)}${pad('brotli', 9)}`);
  line(`page: ${page.join(' + ')}`, total(dirname(join(dist, entry)), page));
  line(`all JavaScript the build emitted (${assets.filter((f) => f.endsWith('.js')).length} files)`,
    total(join(dist, 'assets'), assets.filter((f) => f.endsWith('.js'))));
  line('dist/index.mjs with its static imports (bench/size\'s page)', total(join(root, 'dist'), importClosure(join(root, 'dist'), 'index.mjs')));
} finally {
  app.close();
}
