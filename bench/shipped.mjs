// The files of dist/ a browser loads (the page's modules, the worker, the browser's wasm and its
// glue), shared by bench/size and bench/compare-size.mjs so both count the same bytes. Left out:
// the Node entry (node.mjs, cli.mjs, grants.mjs and its own module oauth-wasm-core-node.*), the
// .d.ts files, the manifest and the SBOM.
import { readdirSync } from 'node:fs';

const nodeOnly = new Set(['node.mjs', 'cli.mjs', 'grants.mjs', 'manifest.json', 'sbom.cdx.json',
  'oauth-wasm-core-node.mjs', 'oauth-wasm-core-node.wasm']);

export const browserFiles = (dist) => readdirSync(dist).filter((f) => !nodeOnly.has(f) && !f.endsWith('.d.ts')).sort();

// wasm; glue (Emscripten's, and web/core-abi.mjs decoding the core's answers); worker; shim.
export const part = (f) => (f.endsWith('.wasm') ? 'wasm'
  : /^(oauth-wasm-core|core-abi)\.mjs$/.test(f) ? 'glue' : f === 'worker.mjs' ? 'worker' : 'shim');
