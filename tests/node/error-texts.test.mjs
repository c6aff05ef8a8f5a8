// The browser's wasm holds its human texts as markers (src/core/error_text.hpp); the page writes
// them back (web/error-texts.mjs, web/error-texts-write.mjs) from web/error-texts-table.mjs, which
// scripts/error-texts.mjs generates from the same C++ literals. The table cannot drift from the sources, the generator refuses what it cannot read
// or tell apart, and an error from the browser's module reaches the app with its whole sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectTexts, fileTexts, fnv1a, key, renderTable, TABLE } from '../../scripts/error-texts.mjs';
import { withTexts } from '../../web/error-texts.mjs';
import { key as pageKey, writeTexts } from '../../web/error-texts-write.mjs';
import { importClosure } from '../../bench/shipped.mjs';
import { libraryCodes } from '../../scripts/error-table.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';
import { OAuthError, createClient, errorCodes, loadIsolatedCore, pkceChallenge } from 'oauth-wasm';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const manifest = JSON.parse(read('dist/manifest.json'));
const browserBytes = readFileSync(new URL(`dist/${manifest.wasm.file}`, root));
const table = (await import(new URL(TABLE, root))).default;
const marker = (text) => `\x01${key(Buffer.from(text))}`;

test('the table is what the generator makes of the sources now', () => {
  assert.equal(read(TABLE), renderTable(), 'run node scripts/error-texts.mjs');
  assert.ok(table.length > 300, 'the descriptions and the code table\'s meanings');
  assert.ok(table.includes('the issuer is not an absolute URL'));
  assert.ok(table.includes('a signature did not verify'), 'a meaning');
});

test('the key is 32-bit FNV-1a over the UTF-8 bytes folded to 24 bits, the same in the generator and the page (and in tests/unit/error_text_test.cpp)', () => {
  assert.equal(fnv1a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv1a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv1a(Buffer.from('foobar')), 0xbf9cf968);
  for (const [text, k] of [['a', '0c29c8'], ['foobar', '9cf9d7'], ['RFC 8414 §2', '6020e3']]) {
    assert.equal(key(Buffer.from(text)), k);
    assert.equal(pageKey(text), k);
  }
  assert.equal(key([...Buffer.from('RFC 8414 '), 0xc2, 0xa7, 0x32]), '6020e3');
});

test('the generator reads literals, joined ones and escapes, and refuses any other argument', () => {
  const texts = (source) => fileTexts(source, 'x.cpp').map(({ bytes }) => Buffer.from(bytes).toString());
  assert.deepEqual(texts('f(OAUTH_TEXT("a b"), OAUTH_TEXT( "c "\n    "d\\"e\\x41" ));'), ['a b', 'c d"eA']);
  assert.deepEqual(texts('// OAUTH_TEXT(x)\n/* OAUTH_TEXT(y) */ s = "OAUTH_TEXT(z)"; c = \'"\'; n = 1\'000;'), []);
  assert.throws(() => texts('f(OAUTH_TEXT(name));'), /x\.cpp:1: OAUTH_TEXT takes string literals only/);
  assert.throws(() => texts('\nf(OAUTH_TEXT("a" PRIu64));'), /x\.cpp:2: OAUTH_TEXT takes string literals only/);
  assert.throws(() => texts('f(OAUTH_TEXT("a\\u00e9"));'), /an escape this script does not read/);
});

test('the generator refuses two texts with one key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'error-texts-'));
  try {
    mkdirSync(join(dir, 'src/core'), { recursive: true });
    mkdirSync(join(dir, 'bindings'));
    writeFileSync(join(dir, 'src/core/error_codes.hpp'), read('src/core/error_codes.hpp'));
    writeFileSync(join(dir, 'src/a.cpp'), 'f(OAUTH_TEXT("costarring"));\ng(OAUTH_TEXT("costarring"));\n');
    assert.equal(collectTexts(dir).filter(([, t]) => t === 'costarring').length, 1, 'one text twice is one entry');
    writeFileSync(join(dir, 'bindings/b.cpp'), 'h(OAUTH_TEXT("liquid"));\n'); // FNV-1a 32: both 5e4daa9d
    assert.throws(() => collectTexts(dir), /src\/a\.cpp:1: "costarring" has the key of "liquid" \(bindings\/b\.cpp:1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('markers are written out with the table\'s texts only; values around them stay as they are', async () => {
  const known = marker('the callback iss differs from the issuer ');
  assert.equal(writeTexts(`${known}https://a.example`), 'the callback iss differs from the issuer https://a.example');
  assert.equal(writeTexts('\x01000000 and \x01zz'), '\x01000000 and \x01zz', 'an unknown marker stays');
  assert.equal(await withTexts('not an error'), 'not an error');
  const e = new OAuthError('invalid_argument', `${marker('the issuer is not an absolute URL')}`);
  assert.equal(await withTexts(e), e);
  assert.equal(e.description, 'the issuer is not an absolute URL');
  assert.equal(e.message, 'invalid_argument: the issuer is not an absolute URL');
});

test('the browser\'s module holds markers, and its errors reach the app with the whole sentence', async () => {
  const core = await loadIsolatedCore({ wasmBytes: browserBytes });
  const raw = core.clientCreate(JSON.stringify({ issuer: 'not a url', clientId: 'app', redirectUri: 'https://app.example/cb' }));
  assert.equal(raw.ok, false);
  assert.equal(raw.error.description, marker('the issuer is not an absolute URL'), 'the wasm sends the marker');
  await assert.rejects(createClient({ isolation: 'none', core, issuer: 'not a url', clientId: 'app', redirectUri: 'https://app.example/cb' }),
    (e) => e instanceof OAuthError && e.code === 'invalid_argument' && e.description === 'the issuer is not an absolute URL'
      && e.message === 'invalid_argument: the issuer is not an absolute URL');
  // A description joined from two pieces (src/json/json_access.cpp).
  await assert.rejects(createClient({ isolation: 'none', core, issuer: 'https://as.example', clientId: 'app',
    redirectUri: 'https://app.example/cb', colour: 'red' }),
  (e) => e.code === 'invalid_argument' && e.description === 'the client options has an unknown member');
  await assert.rejects(pkceChallenge('x'.repeat(43), 'plain', { wasmBytes: browserBytes }),
    (e) => e.code === 'unsupported_pkce_method' && e.description === 'only the S256 PKCE method is supported');
  const codes = await errorCodes({ wasmBytes: browserBytes });
  assert.equal(codes.find((c) => c.code === 'invalid_signature').meaning, 'a signature did not verify');
  const library = libraryCodes(); // the same list, meanings written out (" (shim)" kept), as in Node
  assert.deepEqual(codes.map((c) => c.code), library.map((c) => c.code));
  for (const [i, { meaning, by }] of library.entries()) assert.equal(codes[i].meaning, by === 'shim' ? `${meaning} (shim)` : meaning);
});

test('the page reaches the texts by import() only; the worker never', () => {
  const dist = new URL('dist/', root).pathname;
  assert.ok(!importClosure(dist, 'index.mjs').includes('lazy-error-texts.mjs'), 'not a static import of the page');
  assert.ok(importClosure(dist, 'index.mjs', { dynamic: true }).includes('lazy-error-texts.mjs'), 'the page imports it');
  assert.ok(!importClosure(dist, 'worker.mjs', { dynamic: true }).includes('lazy-error-texts.mjs'), 'the worker does not');
});

test('an error event from the browser\'s module carries the whole sentence too', async () => {
  const app = 'http://127.0.0.1:1';
  const as = await startAuthServer({ appOrigin: app });
  try {
    const core = await loadIsolatedCore({ wasmBytes: browserBytes });
    const client = await createClient({ isolation: 'none', core, issuer: as.issuer, clientId: 'spa',
      redirectUri: `${app}/callback`, storage: new MemoryStorage() });
    const events = [];
    client.on('error', (e) => events.push(e.message));
    await assert.rejects(client.handleRedirectCallback(`${app}/callback?code=c&state=${'s'.repeat(43)}&iss=${as.issuer}`),
      (e) => { events.push(`rejected ${e.message}`); return e.code === 'state_mismatch'; });
    await new Promise((resolve) => setImmediate(resolve));
    const text = 'state_mismatch: the callback\'s state matches no live transaction';
    assert.deepEqual(events, [text, `rejected ${text}`]);
  } finally {
    await as.close();
  }
});
