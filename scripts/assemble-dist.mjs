// Assembles dist/ from the wasm build and the shim, and writes dist/manifest.json:
// each wasm's sha256 and SRI hash (`wasm`: the browser's module; `wasm_node`: the Node entry's,
// the same core with the grants), sizes, the OpenSSL version and tarball sha256, the
// OpenSSL files compiled in, the emcc version and the flags. No timestamps: two builds
// of the same sources give the same manifest.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleShim } from './bundle-shim.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = process.argv[2] ?? join(root, 'build/wasm');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const f of ['oauth-wasm-core.wasm', 'oauth-wasm-core-node.wasm', 'oauth-wasm-core-node.mjs']) {
  copyFileSync(join(build, 'module', f), join(dist, f));
}
for (const f of readdirSync(join(root, 'web')).sort()) {
  if (f.endsWith('.d.ts')) copyFileSync(join(root, 'web', f), join(dist, f));
}
function describeWasm(file) {
  const wasm = readFileSync(join(dist, file));
  return {
    file,
    bytes: wasm.length,
    sha256: createHash('sha256').update(wasm).digest('hex'),
    integrity: 'sha384-' + createHash('sha384').update(wasm).digest('base64'),
  };
}
const wasm = describeWasm('oauth-wasm-core.wasm');
// web/ stays readable; dist/ ships it bundled and minified, with the browser's glue inside, and
// the worker carries the wasm's hash.
bundleShim({
  web: join(root, 'web'), glue: join(build, 'module', 'oauth-wasm-core.mjs'), stage: join(build, 'shim-stage'), dist,
  wasmIntegrity: wasm.integrity,
});

const info = JSON.parse(readFileSync(join(build, 'build-info.json'), 'utf8'));
const manifest = {
  name: 'oauth-wasm',
  version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
  wasm,
  wasm_node: describeWasm('oauth-wasm-core-node.wasm'),
  files: Object.fromEntries(readdirSync(dist).sort().map((f) => {
    const data = readFileSync(join(dist, f));
    return [f, { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }];
  })),
  emcc: info.emcc,
  openssl: { ...info.openssl, files: info.openssl_files, defines: info.openssl_defines },
  compile_flags: info.compile_flags,
  link_flags: info.link_flags,
};
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const w of [manifest.wasm, manifest.wasm_node]) console.log(`dist/: ${w.file} ${w.bytes} bytes, sha256 ${w.sha256}`);
