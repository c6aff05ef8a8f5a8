// The published types: tests/types/consumer.ts, which uses every public function and option
// through the package's exports map, compiles with `tsc --noEmit --strict` under both module
// resolutions apps use (Node's and bundlers'); every runtime export of each entry is declared, and
// a real client (against the test server) has exactly the declared members. Needs dist/ (make dist):
// the exports map points there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '../../dist/node.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { declaredExports, interfaceMembers } from '../support/declarations.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const consumer = join(root, 'tests/types/consumer.ts');

// tsc's report: '' when the file compiles.
async function compile(flags, file = consumer) {
  try {
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom,dom.iterable',
      ...flags, file], { cwd: root });
    return '';
  } catch (e) {
    return e.stdout || e.stderr || String(e);
  }
}

test('the consumer compiles strictly with Node resolution (module nodenext)', async () => {
  assert.equal(await compile(['--module', 'nodenext', '--moduleResolution', 'nodenext']), '');
});

test('the consumer compiles strictly with bundler resolution (module esnext)', async () => {
  assert.equal(await compile(['--module', 'esnext', '--moduleResolution', 'bundler']), '');
});

// The older resolution many tsconfigs still have ignores exports maps: typesVersions carries the
// subpaths there. It has no self-reference either, so the consumer sits in a temp folder whose
// node_modules/oauth-wasm links to this package.
test('the consumer compiles strictly with the older Node resolution (moduleResolution node10)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/oauth-wasm'), 'dir');
    copyFileSync(consumer, join(dir, 'consumer.ts'));
    assert.equal(await compile(['--module', 'esnext', '--moduleResolution', 'node10'], join(dir, 'consumer.ts')), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a misuse the types accept fails the compile (the @ts-expect-error lines are live)', async () => {
  // Drop one expectation: the misuse below it must now be reported.
  const source = readFileSync(consumer, 'utf8');
  assert.match(source, /@ts-expect-error the issuer is required/);
  const dir = mkdtempSync(join(root, 'tests/types/.tmp-'));
  const copy = join(dir, 'consumer.ts');
  writeFileSync(copy, source.replace('// @ts-expect-error the issuer is required', ''));
  try {
    assert.match(await compile(['--module', 'nodenext', '--moduleResolution', 'nodenext'], copy), /Property 'issuer' is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Issue 21 item 6: ErrorCode is closed and the events are keyed, so a misspelt error code (compared
// or passed to isOAuthError) or event name is a compile error. Each expectation dropped in turn:
// tsc must report the line below it.
test('a misspelt error code or event name fails the compile', async () => {
  const source = readFileSync(consumer, 'utf8');
  const cases = [
    ['// @ts-expect-error a misspelt error code\n      if (e.code', /TS2367: This comparison appears to be unintentional because the types 'ErrorCode' and '"sesion_expired"'/],
    ['// @ts-expect-error a misspelt error code\n    if (isOAuthError', /TS2345: Argument of type '"sesion_expired"' is not assignable/],
    ['// @ts-expect-error a misspelt event name', /TS2345: Argument of type '"sesion_expired"' is not assignable to parameter of type 'keyof ClientEvents'/],
  ];
  const dir = mkdtempSync(join(root, 'tests/types/.tmp-'));
  const copy = join(dir, 'consumer.ts');
  try {
    for (const [marker, report] of cases) {
      const [expectation] = marker.split('\n');
      assert.ok(source.includes(marker), marker);
      writeFileSync(copy, source.replace(marker, marker.replace(expectation, '')));
      const out = await compile(['--module', 'nodenext', '--moduleResolution', 'nodenext'], copy);
      assert.match(out, report, `${marker}: ${out}`);
      assert.equal(out.trim().split('\n').filter((l) => /error TS/.test(l)).length, 1, out);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
