// The built module (dist/) loaded from Node 20 ESM: PKCE through the JS API, randomness,
// integrity checking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCore, loadIsolatedCore, OAuthError } from '../../dist/node.mjs';
import { generatePkce, pkceChallenge } from '../../dist/index.mjs';

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
  const good = await loadIsolatedCore({ integrity: manifest.wasm.integrity });
  assert.equal(good.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256').ok, true);
  const wrong = 'sha384-' + Buffer.alloc(48).toString('base64');
  await assert.rejects(loadIsolatedCore({ integrity: wrong }), (e) => e.code === 'wasm_integrity_mismatch');
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
