// The published types: tests/types/consumer.ts, which uses every public function and option
// through the package's exports map, compiles with `tsc --noEmit --strict`'s checks under the module
// resolutions apps use (Node's and bundlers'); every runtime export of each entry is declared, and
// a real client (against the test server) has exactly the declared members. Needs dist/ (make dist):
// the exports map points there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createClient } from '../../dist/node.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { declaredExports, interfaceMembers } from '../support/declarations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const consumer = join(root, 'tests/types/consumer.ts');

// The compiler runs in this process, one program per module setting, `tsc --noEmit --strict`'s
// checks: the library's own declarations (lib.*.d.ts) are parsed once and shared by every program.
const libFiles = new Map();
function compileAll(moduleFlags, files) {
  const options = {
    noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    ...moduleFlags,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    if (!name.includes('/typescript/lib/')) return read(name, version, ...rest);
    if (!libFiles.has(name)) libFiles.set(name, read(name, version, ...rest));
    return libFiles.get(name);
  };
  const program = ts.createProgram(files, options, host);
  const format = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  // tsc's report for each file: '' when it compiles.
  return files.map((file) => ts.formatDiagnostics(ts.getPreEmitDiagnostics(program, program.getSourceFile(file)), format));
}
const NODENEXT = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };

// The consumer as it is, and copies of it with one expectation dropped each (the misuse below it
// must then be reported): one program, so the declarations are checked once for all of them.
const DROPPED = [
  ['// @ts-expect-error the issuer is required', /Property 'issuer' is missing/],
  // Issue 21 item 6: ErrorCode is closed and the events are keyed, so a misspelt error code
  // (compared or passed to isOAuthError) or event name is a compile error.
  ['// @ts-expect-error a misspelt error code\n      if (e.code', /TS2367: This comparison appears to be unintentional because the types 'ErrorCode' and '"sesion_expired"'/],
  ['// @ts-expect-error a misspelt error code\n    if (isOAuthError', /TS2345: Argument of type '"sesion_expired"' is not assignable/],
  ['// @ts-expect-error a misspelt event name', /TS2345: Argument of type '"sesion_expired"' is not assignable to parameter of type 'keyof ClientEvents'/],
];
let nodenext;
function nodenextReports() {
  if (nodenext) return nodenext;
  const source = readFileSync(consumer, 'utf8');
  const dir = mkdtempSync(join(root, 'tests/types/.tmp-'));
  try {
    const copies = DROPPED.map(([marker], i) => {
      const [expectation] = marker.split('\n');
      assert.ok(source.includes(marker), marker);
      const copy = join(dir, `dropped-${i}.ts`);
      writeFileSync(copy, source.replace(marker, marker.replace(expectation, '')));
      return copy;
    });
    const [whole, ...dropped] = compileAll(NODENEXT, [consumer, ...copies]);
    nodenext = { whole, dropped };
    return nodenext;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the consumer compiles strictly with Node resolution (module nodenext)', () => {
  assert.equal(nodenextReports().whole, '');
});

test('the consumer compiles strictly with bundler resolution (module esnext)', () => {
  const [report] = compileAll({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, [consumer]);
  assert.equal(report, '');
});

// The older resolution many tsconfigs still have ignores exports maps: typesVersions carries the
// subpaths there. It has no self-reference either, so the consumer sits in a temp folder whose
// node_modules/oauth-wasm links to this package.
test('the consumer compiles strictly with the older Node resolution (moduleResolution node10)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/oauth-wasm'), 'dir');
    copyFileSync(consumer, join(dir, 'consumer.ts'));
    const [report] = compileAll({ module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10 }, [join(dir, 'consumer.ts')]);
    assert.equal(report, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a misuse the types accept fails the compile, and so does a misspelt error code or event name (each @ts-expect-error line is live)', () => {
  const { dropped } = nodenextReports();
  DROPPED.forEach(([marker, report], i) => {
    assert.match(dropped[i], report, `${marker}: ${dropped[i]}`);
    assert.equal(dropped[i].trim().split('\n').filter((l) => /error TS/.test(l)).length, 1, dropped[i]);
  });
});

test('every runtime export of each entry has a declaration, and nothing is declared that does not exist', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const entry of ['.', './node', './popup-callback', './silent-callback', './worker', './backend']) {
    const { default: js, types } = pkg.exports[entry];
    const runtime = Object.keys(await import(join(root, js))).sort();
    assert.deepEqual([...declaredExports(types)].sort(), runtime, `${entry}: ${types} vs ${js}`);
  }
});

test('a real client has exactly the methods and properties its types declare', async () => {
  const as = await startAuthServer();
  try {
    const client = await createClient({ issuer: as.issuer, clientId: 'service', clientSecret: 'service-secret' });
    const declaredMembers = new Set([...interfaceMembers('web/index.d.ts', 'Client'), ...interfaceMembers('web/node.d.ts', 'NodeClient')]);
    assert.deepEqual(Object.keys(client).sort(), [...declaredMembers].sort());
    assert.deepEqual(Object.keys(client.metadata).sort(), interfaceMembers('web/index.d.ts', 'ServerSummary').sort());
  } finally {
    await as.close();
  }
});
