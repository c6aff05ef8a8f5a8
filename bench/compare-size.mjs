#!/usr/bin/env node
// Side by side, in one run: our shipped browser bytes (dist/, as bench/size counts them) against
// whole JavaScript OAuth/OIDC libraries from npm (bench devDependencies), each bundled and minified
// with esbuild for the browser from an entry that re-exports the whole library. Sizes: raw, gzip -9
// and brotli -q 11. The other libraries are not tree-shaken to one flow, and neither are we.
// The last two columns (brotli): the page's figure, what loads before the app's code runs, and the
// default app's, what createClient({...}) with default options downloads in all. Ours are
// dist/index.mjs with its static imports (the session, the glue and the wasm load in the worker)
// and that with worker.mjs's static imports and the wasm (bench/shipped.mjs: without the opt-in
// lazy-*.mjs modules and callback pages); the other libraries run whole in the page, so both
// are their bundle.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { browserFiles, defaultApp, importClosure, sizes } from './shipped.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

function bundled(pkg) {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  const out = buildSync({
    stdin: { contents: `export * from '${pkg}';`, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
    legalComments: 'none', logLevel: 'silent',
  });
  const all = sizes(out.outputFiles[0].contents);
  return { name: `${pkg} ${version} (esbuild --bundle --minify)`, ...all, page: all.brotli, app: all.brotli };
}

const dist = join(root, 'dist');
const measure = (files) => files.map((f) => sizes(readFileSync(join(dist, f)))).reduce(add, { raw: 0, gzip: 0, brotli: 0 });
const ours = measure(browserFiles(dist));
const rows = [
  { name: 'oauth-wasm (wasm + glue + shim + worker)', ...ours, page: measure(importClosure(dist, 'index.mjs')).brotli,
    app: measure(defaultApp(dist)).brotli },
  bundled('oauth4webapi'),
  bundled('oidc-client-ts'),
];
const pad = (s, n) => String(s).padStart(n);
console.log(`${'library'.padEnd(52)}${pad('raw', 9)}${pad('gzip -9', 9)}${pad('brotli', 9)}${pad('page br', 9)}${pad('app br', 9)}`);
for (const r of rows) console.log(`${r.name.padEnd(52)}${pad(r.raw, 9)}${pad(r.gzip, 9)}${pad(r.brotli, 9)}${pad(r.page, 9)}${pad(r.app, 9)}`);
console.log('anchors (published min+gzip): auth0-spa-js 65 KB, msal-browser 81 KB; target: at most 64 KB brotli');
