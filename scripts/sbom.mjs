// Writes dist/sbom.cdx.json: a CycloneDX 1.5 SBOM of what the shipped wasm is made of. OpenSSL
// (version, upstream tarball sha256, the source files compiled in), nlohmann/json (the Debian
// package's version), Emscripten (the compiler, whose libc/libc++/allocator are linked into the
// wasm), and the npm runtime dependencies (package.json "dependencies": there should be none).
// Test-only tools (Catch2, oidc-provider, Playwright) are not part of the product and not listed.
// No timestamps; the serial number derives from the content, so two builds give one file.
//   node scripts/sbom.mjs [build/wasm]
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = process.argv[2] ?? join(root, 'build/wasm');
const dist = join(root, 'dist');

const info = JSON.parse(readFileSync(join(build, 'build-info.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The browser's module describes the package (as manifest.json's `wasm`); both modules are listed
// as its files, the Node entry's (the same core with the grants) too.
const wasmFiles = ['oauth-wasm-core.wasm', 'oauth-wasm-core-node.wasm'];
const wasm = readFileSync(join(dist, wasmFiles[0]));
const hash = (alg, data) => createHash(alg).update(data).digest('hex');

// The installed Debian package's version, or null when dpkg does not know it.
function debVersion(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}
// nlohmann/json's own version, from its header (the Debian version adds a packaging suffix).
function nlohmannVersion() {
  const text = readFileSync('/usr/include/nlohmann/detail/abi_macros.hpp', 'utf8');
  const part = (p) => text.match(new RegExp(`#define NLOHMANN_JSON_VERSION_${p} (\\d+)`))[1];
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

const nlohmannDeb = debVersion('nlohmann-json3-dev');
const emscriptenDeb = debVersion('emscripten');
const runtimeDeps = Object.entries(pkg.dependencies ?? {});

const components = [
  {
    type: 'library',
    'bom-ref': 'openssl',
    name: 'openssl',
    version: info.openssl.version,
    description: 'libcrypto source files compiled into the core (no EVP, providers, ASN.1 or BIO)',
    licenses: [{ license: { id: 'Apache-2.0' } }],
    purl: `pkg:generic/openssl@${info.openssl.version}`,
    hashes: [{ alg: 'SHA-256', content: info.openssl.tarball_sha256 }],
    properties: [
      { name: 'oauth-wasm:tarball', value: info.openssl.tarball },
      { name: 'oauth-wasm:configure', value: info.openssl.configure },
      ...info.openssl_defines.map((d) => ({ name: 'oauth-wasm:define', value: d })),
    ],
    components: info.openssl_files.map((file) => ({ type: 'file', 'bom-ref': `openssl:${file}`, name: file })),
  },
  {
    type: 'library',
    'bom-ref': 'nlohmann-json',
    name: 'nlohmann-json',
    version: nlohmannVersion(),
    description: 'JSON for Modern C++ (header-only), from the Debian package nlohmann-json3-dev',
    licenses: [{ license: { id: 'MIT' } }],
    purl: nlohmannDeb ? `pkg:deb/debian/nlohmann-json3-dev@${nlohmannDeb}` : undefined,
  },
  {
    type: 'application',
    'bom-ref': 'emscripten',
    name: 'emscripten',
    version: info.emcc,
    description: 'the compiler; its system libraries (musl libc, libc++, the allocator) and JS glue are linked into the module',
    licenses: [{ expression: 'MIT OR NCSA' }],
    purl: emscriptenDeb ? `pkg:deb/debian/emscripten@${emscriptenDeb}` : undefined,
  },
  ...runtimeDeps.map(([name, range]) => ({
    type: 'library', 'bom-ref': `npm:${name}`, name, version: range, purl: `pkg:npm/${name}@${range}`,
  })),
];

const bom = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  serialNumber: '',
  version: 1,
  metadata: {
    tools: { components: [{ type: 'application', name: 'oauth-wasm scripts/sbom.mjs', version: pkg.version }] },
    component: {
      type: 'library',
      'bom-ref': 'oauth-wasm',
      name: pkg.name,
      version: pkg.version,
      licenses: [{ license: { id: pkg.license } }],
      purl: `pkg:npm/${pkg.name}@${pkg.version}`,
      hashes: [
        { alg: 'SHA-256', content: hash('sha256', wasm) },
        { alg: 'SHA-384', content: hash('sha384', wasm) },
      ],
      properties: [{ name: 'oauth-wasm:wasm', value: wasmFiles[0] }],
      components: wasmFiles.map((file) => {
        const data = readFileSync(join(dist, file));
        return {
          type: 'file', 'bom-ref': `oauth-wasm:${file}`, name: file,
          hashes: [{ alg: 'SHA-256', content: hash('sha256', data) }, { alg: 'SHA-384', content: hash('sha384', data) }],
        };
      }),
    },
  },
  components,
  dependencies: [
    { ref: 'oauth-wasm', dependsOn: components.map((c) => c['bom-ref']) },
    ...components.map((c) => ({ ref: c['bom-ref'], dependsOn: [] })),
  ],
};
// A name-based UUID (RFC 4122 §4.3 layout, version 5 bits) of the content without the serial.
const digest = hash('sha256', JSON.stringify(bom));
const uuid = [digest.slice(0, 8), digest.slice(8, 12), `5${digest.slice(13, 16)}`,
  ((parseInt(digest[16], 16) & 0x3) | 0x8).toString(16) + digest.slice(17, 20), digest.slice(20, 32)].join('-');
bom.serialNumber = `urn:uuid:${uuid}`;

writeFileSync(join(dist, 'sbom.cdx.json'), `${JSON.stringify(bom, null, 2)}\n`);
console.log(`dist/sbom.cdx.json: ${components.length} components, ${runtimeDeps.length} npm runtime dependencies`);
