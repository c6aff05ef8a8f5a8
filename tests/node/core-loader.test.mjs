// The browser entry's loader (web/core-loader.mjs) in a fresh realm, with fetch serving the .wasm
// as a browser would (application/wasm, so it is compiled while streaming, and no bytes are kept).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCore } from '../../dist/index.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../dist/manifest.json', import.meta.url), 'utf8'));
const wasm = readFileSync(new URL(`../../dist/${manifest.wasm.file}`, import.meta.url));

test('a core streamed without an integrity is not handed out under one later: wasm_integrity_mismatch', async () => {
  const fetched = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (url) => {
    fetched.push(String(url));
    return new Response(wasm, { headers: { 'content-type': 'application/wasm' } });
  };
  try {
    const core = await loadCore(); // a warm-up without integrity
    assert.equal(core.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256').value,
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    await assert.rejects(loadCore({ integrity: manifest.wasm.integrity }), (e) => e.code === 'wasm_integrity_mismatch',
      'its bytes were never hashed: the right hash cannot vouch for them');
    assert.equal(await loadCore(), core, 'without an integrity the realm\'s core is still there');
    assert.equal(fetched.length, 1, 'fetched once');
  } finally {
    globalThis.fetch = original;
  }
});
