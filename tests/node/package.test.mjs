// What `npm pack` ships: dist/ (the shim, its types, the wasm and the manifest), the CLI, README,
// the API reference README links, LICENSE and package.json, nothing else; no runtime dependencies; every export and every import
// inside the package resolves to a packed file. Needs dist/ (make dist).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importClosure } from '../../bench/shipped.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function packList() {
  assert.ok(existsSync(join(root, 'dist/manifest.json')), 'dist/ is built (make dist)');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(out);
  return report;
}

const report = packList();
const packed = new Map(report.files.map((f) => [f.path, f]));

test('the tarball holds exactly dist/, the CLI, README, docs/API.md, docs/AUDIT.md, LICENSE and package.json', () => {
  const expected = new Set(['package.json', 'README.md', 'docs/API.md', 'docs/AUDIT.md', 'LICENSE', ...Object.values(pkg.bin)]);
  for (const f of readdirSync(join(root, 'bin'))) expected.add(`bin/${f}`); // the CLI and its modules
  for (const f of readdirSync(join(root, 'dist'))) expected.add(`dist/${f}`);
  assert.deepEqual([...packed.keys()].sort(), [...expected].sort());
});

// The README is the package's page: a link into the repository that the tarball lacks is dead there.
test('every file README.md and the packed docs link to is in the tarball', () => {
  let checked = 0;
  for (const from of ['README.md', 'docs/API.md', 'docs/AUDIT.md']) {
    for (const [, link] of readFileSync(join(root, from), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
      const path = link.split('#')[0];
      if (/^[a-z]+:/.test(link) || !path) continue;
      const target = posix.normalize(posix.join(posix.dirname(from), path));
      assert.ok(packed.has(target), `${from} links to ${target}, which is not packed`);
      checked++;
    }
  }
  assert.ok(checked >= 3, `checked ${checked} links`);
});

test('dist/ in the tarball is what the manifest describes, with the wasm and every entry', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'dist/manifest.json'), 'utf8'));
  for (const f of Object.keys(manifest.files)) assert.ok(packed.has(`dist/${f}`), `manifest lists dist/${f}`);
  for (const f of ['index.mjs', 'node.mjs', 'worker.mjs', 'popup-callback.mjs', 'silent-callback.mjs', 'backend-client.mjs',
    manifest.wasm.file, manifest.wasm_node.file, 'oauth-wasm-core-node.mjs', 'manifest.json',
    'index.d.ts', 'node.d.ts', 'worker.d.ts', 'popup-callback.d.ts', 'silent-callback.d.ts', 'backend-client.d.ts']) {
    assert.ok(packed.has(`dist/${f}`), `dist/${f} is packed`);
  }
  assert.equal(manifest.wasm.file, 'oauth-wasm-core.wasm');
  assert.equal(manifest.wasm_node.file, 'oauth-wasm-core-node.wasm');
  for (const w of [manifest.wasm, manifest.wasm_node]) assert.equal(packed.get(`dist/${w.file}`).size, w.bytes);
  const leaks = [...packed.keys()].filter((p) => /^(src|web|tests|scripts|bindings|cmake|bench|demo|build|node_modules)\/|\.(cpp|hpp|map|log)$/.test(p));
  assert.deepEqual(leaks, [], 'no sources, tests, build output or source maps');
});

test('the package has no runtime dependencies of any kind', () => {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
    assert.equal(pkg[field], undefined, `package.json has no ${field}`);
  }
  assert.deepEqual(report.bundled, []);
});

// Every target of the exports map, condition by condition.
function exportTargets(value, key = '') {
  if (typeof value === 'string') return [[key, value]];
  return Object.entries(value).flatMap(([k, v]) => exportTargets(v, `${key}${key ? ' ' : ''}${k}`));
}

test('every export (browser default, node, worker, popup-callback, silent-callback, backend) and its types resolve to packed files', () => {
  for (const entry of ['.', './node', './worker', './popup-callback', './silent-callback', './backend']) {
    const target = pkg.exports[entry];
    assert.ok(target?.types && target?.default, `${entry} has types and a default`);
    assert.match(target.types, /\.d\.ts$/);
    assert.match(target.default, /\.mjs$/);
  }
  assert.equal(pkg.types, pkg.exports['.'].types, 'the top-level types match the default entry');
  const targets = exportTargets(pkg.exports);
  assert.ok(targets.length >= 8);
  for (const [condition, target] of targets) {
    assert.ok(packed.has(posix.normalize(target)), `exports ${condition} → ${target} is packed`);
  }
  // typesVersions: the same types for resolutions that ignore exports, subpath by subpath.
  const legacy = pkg.typesVersions['*'];
  for (const entry of ['./node', './worker', './popup-callback', './silent-callback', './backend']) {
    assert.deepEqual(legacy[entry.slice(2)], [pkg.exports[entry].types], `typesVersions ${entry}`);
  }
});

test('the CLI is packed executable', () => {
  for (const file of Object.values(pkg.bin)) {
    assert.ok(packed.get(file).mode & 0o111, `${file} is executable`);
    assert.match(readFileSync(join(root, file), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  }
});

// Relative specifiers in import/export statements, dynamic import() and new URL(..., import.meta.url)
// (where the package also names itself, 'oauth-wasm/...', resolved through its exports map).
const SPECIFIERS = [
  /\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
  /new URL\(\s*['"](\.{0,2}\/?[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

test('every relative import inside the packed modules and types resolves to a packed file', () => {
  let seen = 0;
  for (const path of packed.keys()) {
    if (!/\.(mjs|d\.ts)$/.test(path)) continue;
    const text = readFileSync(join(root, path), 'utf8');
    for (const pattern of SPECIFIERS) {
      for (const [, spec] of text.matchAll(pattern)) {
        let target = posix.normalize(posix.join(posix.dirname(path), spec));
        if (path.endsWith('.d.ts')) target = target.replace(/\.js$/, '.d.ts');
        const self = spec.startsWith(`${pkg.name}/`) && pkg.exports[`./${spec.slice(pkg.name.length + 1)}`];
        if (self) target = posix.normalize(self.default ?? self);
        assert.ok(packed.has(target), `${path} refers to ${spec}, which is not packed`);
        seen++;
      }
    }
  }
  assert.ok(seen > 10, `found the package's relative imports (${seen})`);
});

test('the license is Apache-2.0 and its text is packed', () => {
  assert.equal(pkg.license, 'Apache-2.0');
  const text = readFileSync(join(root, 'LICENSE'), 'utf8');
  assert.match(text, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(text, /END OF TERMS AND CONDITIONS/);
});

test('dist/worker.mjs carries the SRI hash of the wasm assembled beside it', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'dist/manifest.json'), 'utf8'));
  const worker = readFileSync(join(root, 'dist/worker.mjs'), 'utf8');
  assert.match(manifest.wasm.integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
  assert.ok(worker.includes(JSON.stringify(manifest.wasm.integrity)), 'the hash is a string in the worker script');
  assert.ok(!worker.includes('OAUTH_WASM_INTEGRITY'), 'the constant was replaced');
});

// Text that only the Emscripten glue and loader, the core's ABI and the session code hold.
const HEAVY = { glue: 'WebAssembly', abi: 'clientCreate', session: 'too many requests for one exchange' };
const textOf = (files) => files.map((f) => readFileSync(join(root, 'dist', f), 'utf8')).join('\n');

test('the page\'s entry statically imports only the thin client: the glue, ABI and session code load in the worker', () => {
  const page = textOf(importClosure(join(root, 'dist'), 'index.mjs'));
  const worker = textOf(importClosure(join(root, 'dist'), 'worker.mjs'));
  for (const [part, marker] of Object.entries(HEAVY)) {
    assert.ok(worker.includes(marker), `the worker's modules hold the ${part} (${marker})`);
    assert.ok(!page.includes(marker), `the page's static imports hold no ${part} (${marker})`);
  }
  assert.ok(textOf(importClosure(join(root, 'dist'), 'index.mjs', { dynamic: true })).includes(HEAVY.session),
    'isolation \'none\' reaches the session code by import()');
});
