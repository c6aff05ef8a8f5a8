// Minifies the shim's ES modules in dist/ in place, one file at a time, so dist/ keeps the
// same files, imports and exports as web/ (where the readable source stays). Exported names stay
// (ES module exports are never renamed); OAuthError sets its name explicitly. The Node-only
// entries are left readable.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const readable = new Set(['node.mjs', 'cli.mjs']);

export function minifyShim(dist, files) {
  for (const f of files) {
    if (!f.endsWith('.mjs') || readable.has(f)) continue;
    const path = join(dist, f);
    const { code } = transformSync(readFileSync(path, 'utf8'), {
      format: 'esm',
      minify: true,
      keepNames: false,
      target: 'es2022',
      legalComments: 'none',
      sourcefile: f,
    });
    writeFileSync(path, code);
  }
}
