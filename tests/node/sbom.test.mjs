// dist/sbom.cdx.json (scripts/sbom.mjs, run by make dist) against the real build: CycloneDX 1.5
// shape, the wasm's hashes, OpenSSL's version, tarball sha256 and exactly the compiled file list,
// nlohmann/json's and Emscripten's versions, no npm runtime dependency, and the same bytes when
// written again. Runs against dist/ (make dist first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root));
const sbomText = () => read('dist/sbom.cdx.json').toString();
const sbom = JSON.parse(sbomText());
const manifest = JSON.parse(read('dist/manifest.json'));
const wasm = read('dist/oauth-wasm-core.wasm');
const hex = (alg, data) => createHash(alg).update(data).digest('hex');
const component = (ref) => sbom.components.find((c) => c['bom-ref'] === ref);
const HASH_LENGTH = { 'SHA-256': 64, 'SHA-384': 96, 'SHA-512': 128 };

function* allComponents(list = sbom.components) {
  for (const c of list) {
    yield c;
    yield* allComponents(c.components ?? []);
  }
}

test('is a CycloneDX 1.5 JSON document with a urn:uuid serial and well-formed components', () => {
  assert.equal(sbom.bomFormat, 'CycloneDX');
  assert.equal(sbom.specVersion, '1.5');
  assert.equal(sbom.version, 1);
  assert.match(sbom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const refs = new Set();
  for (const c of [sbom.metadata.component, ...allComponents()]) {
    assert.ok(['library', 'application', 'file', 'framework'].includes(c.type), `type of ${c.name}`);
    assert.equal(typeof c.name, 'string');
    assert.ok(c.name.length > 0);
    assert.ok(!refs.has(c['bom-ref']), `bom-ref ${c['bom-ref']} is unique`);
    refs.add(c['bom-ref']);
    for (const h of c.hashes ?? []) assert.match(h.content, new RegExp(`^[0-9a-f]{${HASH_LENGTH[h.alg]}}$`), `${h.alg} of ${c.name}`);
  }
  for (const d of sbom.dependencies) {
    assert.ok(refs.has(d.ref), `dependency ${d.ref} names a component`);
    for (const on of d.dependsOn) assert.ok(refs.has(on), `${d.ref} depends on a listed ${on}`);
  }
});

test('describes the shipped wasm by its sha256 and sha384, as the manifest does', () => {
  const self = sbom.metadata.component;
  assert.equal(self.name, 'oauth-wasm');
  assert.equal(self.version, manifest.version);
  const hashes = Object.fromEntries(self.hashes.map((h) => [h.alg, h.content]));
  assert.equal(hashes['SHA-256'], hex('sha256', wasm));
  assert.equal(hashes['SHA-256'], manifest.wasm.sha256);
  assert.equal(`sha384-${Buffer.from(hashes['SHA-384'], 'hex').toString('base64')}`, manifest.wasm.integrity);
  assert.deepEqual(sbom.dependencies.find((d) => d.ref === 'oauth-wasm').dependsOn.sort(), ['emscripten', 'nlohmann-json', 'openssl']);
});

test('lists both shipped modules, the browser\'s and the Node entry\'s, by their hashes, as the manifest does', () => {
  const files = sbom.metadata.component.components;
  assert.deepEqual(files.map((f) => f.name), [manifest.wasm.file, manifest.wasm_node.file]);
  for (const [file, described] of [[files[0], manifest.wasm], [files[1], manifest.wasm_node]]) {
    assert.equal(file.type, 'file');
    const hashes = Object.fromEntries(file.hashes.map((h) => [h.alg, h.content]));
    assert.equal(hashes['SHA-256'], hex('sha256', read(`dist/${file.name}`)));
    assert.equal(hashes['SHA-256'], described.sha256);
    assert.equal(`sha384-${Buffer.from(hashes['SHA-384'], 'hex').toString('base64')}`, described.integrity);
  }
  assert.notEqual(files[0].hashes[0].content, files[1].hashes[0].content);
});

test('lists OpenSSL with its version, the tarball sha256 and exactly the files of cmake/openssl_sources.cmake', () => {
  const openssl = component('openssl');
  assert.equal(openssl.version, manifest.openssl.version);
  assert.match(openssl.version, /^3\.0\.\d+$/);
  assert.deepEqual(openssl.hashes, [{ alg: 'SHA-256', content: manifest.openssl.tarball_sha256 }]);
  const cached = join(homedir(), '.cache/oauth-wasm', openssl.properties.find((p) => p.name === 'oauth-wasm:tarball').value);
  if (existsSync(cached)) assert.equal(hex('sha256', readFileSync(cached)), openssl.hashes[0].content, 'the cached tarball');

  const cmake = read('cmake/openssl_sources.cmake').toString();
  const listed = cmake.match(/set\(OAUTH_OPENSSL_FILES([\s\S]*?)\)/)[1].split(/\s+/).filter(Boolean);
  assert.ok(listed.length > 20);
  assert.deepEqual(openssl.components.map((f) => f.name), listed);
  assert.ok(openssl.components.every((f) => f.type === 'file'));
});

test('lists nlohmann/json and Emscripten at the installed versions', () => {
  const header = readFileSync('/usr/include/nlohmann/detail/abi_macros.hpp', 'utf8');
  const v = (p) => header.match(new RegExp(`#define NLOHMANN_JSON_VERSION_${p} (\\d+)`))[1];
  assert.equal(component('nlohmann-json').version, `${v('MAJOR')}.${v('MINOR')}.${v('PATCH')}`);
  const deb = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'nlohmann-json3-dev'], { encoding: 'utf8' });
  assert.equal(component('nlohmann-json').purl, `pkg:deb/debian/nlohmann-json3-dev@${deb}`);
  const emcc = execFileSync('emcc', ['--version'], { encoding: 'utf8' }).match(/\d+\.\d+\.\d+/)[0];
  assert.equal(component('emscripten').version, emcc);
  assert.equal(component('emscripten').version, manifest.emcc);
});

test('has no npm runtime dependency and no test-only tool (Catch2, oidc-provider, Playwright)', () => {
  const pkg = JSON.parse(read('package.json'));
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  const names = [...allComponents()].map((c) => c.name.toLowerCase());
  for (const testOnly of ['catch2', 'oidc-provider', 'playwright-core']) assert.ok(!names.includes(testOnly), testOnly);
  assert.ok(!sbom.components.some((c) => c.purl?.startsWith('pkg:npm/')));
  assert.deepEqual(sbom.components.map((c) => c['bom-ref']), ['openssl', 'nlohmann-json', 'emscripten']);
});

test('writing it again from the same build gives the same bytes', () => {
  const before = sbomText();
  execFileSync(process.execPath, [new URL('scripts/sbom.mjs', root).pathname, new URL('build/wasm', root).pathname], { stdio: 'ignore' });
  assert.equal(sbomText(), before);
});
