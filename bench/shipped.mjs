// The files of dist/ a browser loads, shared by bench/size and bench/compare-size.mjs so both count
// the same bytes: the browser's wasm, and every module the page's entry (index.mjs), its worker
// (worker.mjs), the popup's callback page (popup-callback.mjs) and the silent restore's frame
// (silent-callback.mjs) import, statically or by import(), followed through dist/
// (scripts/bundle-shim.mjs splits the bundle into chunks). Left out: what only the Node entry
// loads (node.mjs, oauth-wasm-core-node.*), the .d.ts files, the manifest and the SBOM. The page's
// figure is index.mjs's static closure alone: what loads before the app's code runs. The default
// app's figure is what createClient({...}) with default options downloads: the wasm and the static
// closures of index.mjs and worker.mjs. The rest are opt-in parts (optIns): each lazy-*.mjs module
// (scripts/bundle-shim.mjs's LAZY, loaded by import() when its mode is chosen) and the two callback
// pages, each with what it imports beyond the default app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const entries = ['index.mjs', 'worker.mjs', 'popup-callback.mjs', 'silent-callback.mjs'];
const imported = /(?:\bfrom|\bimport)\s*["'](\.\/[^"']+)["']/g; // static imports and re-exports
const importedLater = /\bimport\(\s*["'](\.\/[^"']+)["']\s*\)/g; // import()

export function browserFiles(dist) {
  return [...new Set(['oauth-wasm-core.wasm', ...entries.flatMap((e) => importClosure(dist, e, { dynamic: true }))])].sort();
}

// `entry` and every module it imports, followed through dist/; with `dynamic: false` only static
// imports: what a browser loads before the entry runs (for index.mjs, the page's figure).
export function importClosure(dist, entry, { dynamic = false } = {}) {
  const files = new Set();
  const visit = (f) => {
    if (files.has(f)) return;
    files.add(f);
    const text = readFileSync(join(dist, f), 'utf8');
    for (const [, path] of [...text.matchAll(imported), ...(dynamic ? text.matchAll(importedLater) : [])]) visit(path.slice(2));
  };
  visit(entry);
  return [...files].sort();
}

// wasm; worker (its entry); js: the rest, the page's modules with Emscripten's glue bundled in.
// One file's bytes as every size bench counts them: raw, gzip -9, brotli -q 11.
export const sizes = (data) => ({
  raw: data.length,
  gzip: gzipSync(data, { level: 9 }).length,
  brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

export const part = (f) => (f.endsWith('.wasm') ? 'wasm' : f === 'worker.mjs' ? 'worker' : 'js');
export const parts = ['wasm', 'js', 'worker'];

// The files createClient({...}) with default options downloads (page and worker, wasm included).
export function defaultApp(dist) {
  return [...new Set(['oauth-wasm-core.wasm', ...importClosure(dist, 'index.mjs'), ...importClosure(dist, 'worker.mjs')])].sort();
}

// What an app pays beyond the default for each option it chooses: [{ name, what, files }].
const OPT_IN = {
  'lazy-in-page.mjs': 'isolation \'none\', or loadCore()/PKCE helpers in the page',
  'lazy-silent-frame.mjs': 'restore() with silentRedirectUri: the page\'s frame code',
  'lazy-error-texts.mjs': 'the first error from the browser\'s wasm: the texts its markers name',
  'silent-callback.mjs': 'restore() with silentRedirectUri: the callback page in the frame',
  'popup-callback.mjs': 'loginWithPopup(): the popup\'s callback page',
};
export function optIns(dist) {
  const base = new Set(defaultApp(dist));
  return browserFiles(dist).filter((f) => !base.has(f) && (f.startsWith('lazy-') || !f.startsWith('chunk-')))
    .map((name) => ({ name, what: OPT_IN[name] ?? 'an opt-in module', files: importClosure(dist, name).filter((f) => !base.has(f)) }));
}
