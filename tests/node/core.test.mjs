// The built module (dist/) loaded from Node 20 ESM: PKCE through the JS API, randomness,
// integrity checking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadCore, loadIsolatedCore, OAuthError } from 'oauth-wasm/node';
// The browser entry as Node resolves it (package.json's "node" condition: dist/index.node.mjs).
import {
  generatePkce, pkceChallenge, loadCore as loadBrowserCore, loadIsolatedCore as loadIsolatedBrowserCore, OAuthError as BrowserOAuthError,
} from 'oauth-wasm';

const manifest = JSON.parse(readFileSync(new URL('../../dist/manifest.json', import.meta.url), 'utf8'));

test('the RFC 7636 Appendix B vector through the JS API', async () => {
  await loadCore();
  assert.equal(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('the plain method is refused with a typed error', async () => {
  await loadCore();
  await assert.rejects(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'plain'),
    (e) => e instanceof OAuthError && e.code === 'unsupported_pkce_method');
});

test('a generated pair is a 64-character verifier and its S256 challenge', async () => {
  await loadCore();
  const pair = await generatePkce();
  assert.match(pair.verifier, /^[A-Za-z0-9_-]{64}$/);
  assert.equal(pair.method, 'S256');
  assert.equal(pair.challenge, await pkceChallenge(pair.verifier));
  const { createHash } = await import('node:crypto');
  assert.equal(pair.challenge, createHash('sha256').update(pair.verifier).digest('base64url'));
});

test('two module instances produce different random values', async () => {
  const a = await loadIsolatedCore();
  const b = await loadIsolatedCore();
  const va = a.generatePkce().value.verifier;
  const vb = b.generatePkce().value.verifier;
  assert.notEqual(va, vb);
  const tokens = new Set(Array.from({ length: 100 }, () => a.randomToken(16).value));
  assert.equal(tokens.size, 100);
});

test('a failing entropy source is an error, not weak output, and the module recovers', async () => {
  const core = await loadIsolatedCore();
  const original = globalThis.crypto.getRandomValues;
  Object.defineProperty(globalThis.crypto, 'getRandomValues', {
    configurable: true, writable: true, value: () => { throw new Error('no entropy'); },
  });
  let failed;
  try {
    failed = core.generatePkce();
  } finally {
    Object.defineProperty(globalThis.crypto, 'getRandomValues', { configurable: true, writable: true, value: original });
  }
  assert.equal(failed.ok, false);
  assert.equal(failed.error.code, 'entropy_failure');
  assert.equal(core.generatePkce().ok, true);
});

test('the wasm is checked against the manifest integrity before it runs', async () => {
  const good = await loadIsolatedCore({ integrity: manifest.wasm_node.integrity });
  assert.equal(good.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256').ok, true);
  const wrong = 'sha384-' + Buffer.alloc(48).toString('base64');
  await assert.rejects(loadIsolatedCore({ integrity: wrong }), (e) => e.code === 'wasm_integrity_mismatch');
  await assert.rejects(loadIsolatedCore({ integrity: manifest.wasm.integrity }), (e) => e.code === 'wasm_integrity_mismatch',
    'the browser module\'s hash does not pass for the Node entry\'s wasm');
});

test('an integrity asked of the realm\'s core after it was loaded without one is still checked', async () => {
  const core = await loadCore(); // loaded (or already there) with no integrity: generatePkce() and the like do this
  const wrong = 'sha384-' + Buffer.alloc(48).toString('base64');
  await assert.rejects(loadCore({ integrity: wrong }), (e) => e.code === 'wasm_integrity_mismatch',
    'the realm\'s core is not handed out under a hash it does not have');
  await assert.rejects(loadCore({ integrity: manifest.wasm.integrity }), (e) => e.code === 'wasm_integrity_mismatch');
  assert.equal(await loadCore({ integrity: manifest.wasm_node.integrity }), core, 'its own hash passes, and it is the same core');
  assert.equal(await loadCore(), core);
});

test('the browser\'s module leaves out the Node-only grants and test calls; the Node entry\'s has them and the same API besides', async () => {
  const browserBytes = readFileSync(new URL(`../../dist/${manifest.wasm.file}`, import.meta.url));
  const browser = await loadIsolatedBrowserCore({ wasmBytes: browserBytes, integrity: manifest.wasm.integrity });
  const node = await loadIsolatedCore();
  // The grants, the calls only tests and benches use (bindings/crypto_extra_bindings.cpp) and the
  // backend's whole-session record, which holds a private key (bindings/server_session_bindings.cpp).
  const grants = ['clientCredentials', 'deviceStart', 'grantResume', 'deviceCancel', 'randomToken', 'verifyJws',
    'clientExportServerSession', 'clientRestoreServerSession'];
  for (const name of grants) {
    assert.equal(typeof node[name], 'function', `the Node entry's module has ${name}`);
    assert.equal(browser[name], undefined, `the browser's module has no ${name}`);
  }
  const api = (core) => Object.keys(core).filter((k) => typeof core[k] === 'function' && !grants.includes(k)).sort();
  assert.ok(api(browser).includes('clientCreate'));
  assert.deepEqual(api(browser), api(node));
  assert.ok(manifest.wasm.bytes < manifest.wasm_node.bytes);
  assert.equal(browser.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256').value,
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('the browser and Node entries share their modules in Node: one OAuthError class for both', () => {
  assert.equal(BrowserOAuthError, OAuthError);
});

// Issue 21 item 7: the Node side of dist/ is not minified, so an error's source line is readable.
test('an OAuthError thrown in Node points to a readable line of dist/, and the browser\'s bundles stay minified', async () => {
  const error = await loadIsolatedCore({ wasmBytes: new Uint8Array(8), integrity: 'md5-x' }).then(() => null, (e) => e);
  assert.ok(error instanceof OAuthError, String(error));
  const top = /\((file:\/\/[^)]+\/dist\/[^):]+):(\d+):\d+\)/.exec(error?.stack ?? '');
  assert.ok(top, `a frame in dist/: ${error?.stack}`);
  const line = readFileSync(new URL(top[1]), 'utf8').split('\n')[Number(top[2]) - 1];
  assert.ok(line.length < 200, `a readable line, not ${line.length} characters`);
  const lines = (f) => readFileSync(new URL(`../../dist/${f}`, import.meta.url), 'utf8').split('\n');
  assert.ok(lines('node.mjs').length > 20 && lines('index.node.mjs').length > 5);
  assert.ok(lines('index.mjs').length < 5, 'the page\'s entry is minified');
  const chunks = readdirSync(new URL('../../dist/', import.meta.url)).filter((f) => f.startsWith('chunk-'));
  // Minified: a few long lines (a small chunk, OAuthError's, is one line of a few hundred bytes).
  assert.ok(chunks.length > 0 && chunks.every((f) => lines(f).length < 5), 'the browser\'s chunks are minified');
});

test('the realm\'s core is the Node entry\'s once it loaded it, for the browser entry\'s functions too', async () => {
  const core = await loadCore();
  assert.equal(await loadBrowserCore(), core);
  assert.equal(typeof core.clientCredentials, 'function');
});

test('every error code of the core is documented in its table', async () => {
  const core = await loadCore();
  const codes = core.errorCodes();
  assert.ok(codes.length >= 20);
  for (const { code, meaning } of codes) {
    assert.match(code, /^[a-z_]+$/);
    assert.ok(meaning.length > 10, code);
  }
});

test('every error code the shim raises is in the core table, so the two cannot drift', async () => {
  const { readdirSync } = await import('node:fs');
  const known = new Set((await loadCore()).errorCodes().map((e) => e.code));
  const web = new URL('../../web/', import.meta.url);
  const raised = new Set();
  for (const f of readdirSync(web).filter((f) => f.endsWith('.mjs'))) {
    for (const m of readFileSync(new URL(f, web), 'utf8').matchAll(/new OAuthError\('([a-z_]+)'/g)) raised.add(m[1]);
  }
  assert.ok(raised.size >= 5);
  for (const code of raised) assert.ok(known.has(code), `${code} is raised by the shim but not in the core table`);
});

// Issue 21 item 8: the browser entry in Node (as 'oauth-wasm' resolves there, and its browser
// build itself) cannot fetch its wasm from a file: URL; its error names the entry that works.
test('the browser entry used in Node rejects createClient with wasm_load_failed naming oauth-wasm/node', () => {
  const dist = new URL('../../dist/', import.meta.url).href;
  const script = `
    for (const entry of ['oauth-wasm', ${JSON.stringify(dist + 'index.mjs')}]) {
      const { createClient } = await import(entry);
      try {
        await createClient({ issuer: 'https://login.example.test', clientId: 'spa', redirectUri: 'https://app.example.test/cb' });
        console.log('created');
      } catch (e) { console.log(e.code, e.description); }
    }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url) });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 2, out);
  for (const line of lines) assert.match(line, /^wasm_load_failed .*in Node, import 'oauth-wasm\/node'$/);
});

test('the Node entry refuses a realm whose core is the browser\'s module, which has no grants', async () => {
  const dist = new URL('../../dist/', import.meta.url).href;
  const script = `
    import { readFileSync } from 'node:fs';
    const { loadCore: browserLoad } = await import('oauth-wasm');
    const { loadCore: nodeLoad } = await import('oauth-wasm/node');
    await browserLoad({ wasmBytes: readFileSync(new URL(${JSON.stringify(dist + manifest.wasm.file)})) });
    try { await nodeLoad(); console.log('loaded'); } catch (e) { console.log(e.code); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url) });
  assert.equal(out.trim(), 'wasm_load_failed');
});
