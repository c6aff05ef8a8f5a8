// Builds dist/'s JavaScript from web/ (which stays readable) and Emscripten's glue, with esbuild:
// one minified bundle of the browser's entries, split where they share code, so that every module
// is in their part of dist/ once and a page loads a few files instead of a dozen (brotli then sees
// them together: −1.5 KB against the same modules minified one file at a time, bench/README).
// - index.mjs (the page) and worker.mjs (its Worker or SharedWorker): each an entry; what both
//   use goes into chunk-<hash>.mjs files they import. The browser's glue (oauth-wasm-core.mjs) is
//   bundled with web/core-loader.mjs, its one importer.
// - node.mjs (Node) is built apart and not minified (its bytes do not matter; an error's source
//   line and stack should be readable), with a readable build of the browser entry,
//   index.node.mjs, which package.json's exports give Node for 'oauth-wasm' (the "node"
//   condition). The two split what they share into node-chunk-<hash>.mjs, so that in Node, the one
//   place where both entries load, module state (the realm's one core, in core-loader) and
//   classes (OAuthError) exist once for an app mixing them.
// - popup-callback.mjs, silent-callback.mjs and backend-client.mjs (oauth-wasm/backend) are built
//   alone: the popup's and the silent restore frame's callback pages, and a page whose tokens stay
//   on its backend, load nothing else.
// - oauth-wasm-core-node.mjs (Emscripten's glue for the Node entry's module) stays a file of its own.
// - The page's entry imports statically only the thin client (web/client.mjs and what it needs);
//   the loader, the glue and the session code are in chunks the worker imports, and the page
//   only by dynamic import (isolation 'none', loadCore and the PKCE helpers). What only an
//   opted-in mode runs in the page (the silent restore's frame, the in-page core) is a
//   lazy-*.mjs entry (LAZY below) that a default app never downloads.
// - worker.mjs carries `wasmIntegrity`, the SRI hash of the oauth-wasm-core.wasm assembled beside it
//   (esbuild `define` of OAUTH_WASM_INTEGRITY): the worker runs no other wasm.
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

// dist/ name → web/ module, each loaded by the page's import() only when its mode is chosen
// (bench/shipped.mjs counts them apart): isolation 'none' and the in-page helpers (web/index.mjs,
// web/client.mjs), restore() with silentRedirectUri (web/client.mjs), the texts of the browser
// wasm's errors on the first error that has markers (web/error-texts.mjs). Never in the worker: Vite
// builds a worker as one IIFE file unless told otherwise (worker.format), and an import() there
// fails `vite build` (bench/README, "What only an opted-in mode runs").
export const LAZY = {
  'lazy-in-page': 'in-page.mjs',
  'lazy-silent-frame': 'silent-frame.mjs',
  'lazy-error-texts': 'error-texts-write.mjs',
};

const options = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
};

// `web` holds the sources, `glue` the browser's Emscripten glue; `stage` is a scratch folder
// (relative paths inside it keep the output, chunk names included, independent of the checkout).
export function bundleShim({ web, glue, stage, dist, wasmIntegrity }) {
  if (!/^sha384-[A-Za-z0-9+/]{64}$/.test(wasmIntegrity)) throw new Error(`bundleShim needs the wasm's sha384 SRI hash, not ${wasmIntegrity}`);
  stage = resolve(stage);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  // The modules, with their folders (web/backend/); the declarations stay out.
  cpSync(web, stage, { recursive: true, filter: (f) => !f.endsWith('.d.ts') });
  copyFileSync(glue, join(stage, 'oauth-wasm-core.mjs'));
  buildSync({
    ...options,
    absWorkingDir: stage,
    // The modules only an opted-in mode of the page runs are entries of their own, which the page
    // loads by import(): lazy-*.mjs in dist/, named so that bench/size can count them apart.
    entryPoints: { index: 'index.mjs', worker: 'worker.mjs', ...LAZY },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    external: ['node:*', './oauth-wasm-core-node.mjs'],
    define: { OAUTH_WASM_INTEGRITY: JSON.stringify(wasmIntegrity) },
    outdir: dist,
  });
  buildSync({
    ...options,
    minify: false,
    absWorkingDir: stage,
    entryPoints: { node: 'node.mjs', 'index.node': 'index.mjs' },
    splitting: true,
    chunkNames: 'node-chunk-[hash]',
    external: ['node:*', './oauth-wasm-core-node.mjs'],
    outdir: dist,
  });
  buildSync({ ...options, absWorkingDir: stage, entryPoints: ['popup-callback.mjs', 'silent-callback.mjs', 'backend-client.mjs'], outdir: dist });
  rmSync(stage, { recursive: true, force: true });
}
