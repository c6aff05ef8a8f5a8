// Builds dist/'s JavaScript from web/ (which stays readable) and Emscripten's glue, with esbuild:
// one bundle of the three entries, split where they share code, so that every module is in dist/
// once and a page loads a few files instead of a dozen (brotli then sees them together: −1.5 KB
// against the same modules minified one file at a time, bench/README).
// - index.mjs (the page), worker.mjs (its Worker or SharedWorker) and node.mjs (Node): each an
//   entry; what two or three of them use goes into chunk-<hash>.mjs files they import. The
//   browser's glue (oauth-wasm-core.mjs) is bundled with web/core-loader.mjs, its one importer.
// - popup-callback.mjs and silent-callback.mjs are built alone: the popup's and the silent
//   frame's callback pages load nothing else.
// - oauth-wasm-core-node.mjs (Emscripten's glue for the Node entry's module) stays a file of its own.
// Module state (the realm's one core, in core-loader) and classes (OAuthError) exist once, so an
// app mixing the browser and Node entries gets the same ones, as with the files before.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

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
export function bundleShim({ web, glue, stage, dist }) {
  stage = resolve(stage);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of readdirSync(web)) if (f.endsWith('.mjs')) copyFileSync(join(web, f), join(stage, f));
  copyFileSync(glue, join(stage, 'oauth-wasm-core.mjs'));
  buildSync({
    ...options,
    absWorkingDir: stage,
    entryPoints: ['index.mjs', 'worker.mjs', 'node.mjs'],
    splitting: true,
    chunkNames: 'chunk-[hash]',
    external: ['node:*', './oauth-wasm-core-node.mjs'],
    outdir: dist,
  });
  buildSync({ ...options, absWorkingDir: stage, entryPoints: ['popup-callback.mjs', 'silent-callback.mjs'], outdir: dist });
  rmSync(stage, { recursive: true, force: true });
}
