// The files of dist/ a browser loads, shared by bench/size and bench/compare-size.mjs so both count
// the same bytes: the browser's wasm, and every module the page's entry (index.mjs), its worker
// (worker.mjs), the popup's callback page (popup-callback.mjs) and the silent restore's frame
// (silent-callback.mjs) import, followed through dist/
// (scripts/bundle-shim.mjs splits the bundle into chunks). Left out: what only the Node entry
// loads (node.mjs, oauth-wasm-core-node.*), the .d.ts files, the manifest and the SBOM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const entries = ['index.mjs', 'worker.mjs', 'popup-callback.mjs', 'silent-callback.mjs'];
const imported = /(?:\bfrom|\bimport)\s*["'](\.\/[^"']+)["']/g; // static imports and re-exports

export function browserFiles(dist) {
  const files = new Set(['oauth-wasm-core.wasm']);
  const visit = (f) => {
    if (files.has(f)) return;
    files.add(f);
    for (const [, path] of readFileSync(join(dist, f), 'utf8').matchAll(imported)) visit(path.slice(2));
  };
  entries.forEach(visit);
  return [...files].sort();
}

// wasm; worker (its entry); js: the rest, the page's modules with Emscripten's glue bundled in.
export const part = (f) => (f.endsWith('.wasm') ? 'wasm' : f === 'worker.mjs' ? 'worker' : 'js');
export const parts = ['wasm', 'js', 'worker'];
