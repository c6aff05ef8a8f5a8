// The measurement behind bench/pkce.mjs, the same code in Node and in the browser page: PKCE pairs
// (RFC 7636: a 64-character verifier from 48 random bytes, its S256 challenge) per second made by
// the wasm core (core.generatePkce) and by WebCrypto (getRandomValues + subtle.digest) in the same
// realm, taking turns in short slices (verify-lib.mjs's measure()).
import { measure, perSec, ratioSummary } from './verify-lib.mjs';

const te = new TextEncoder();
const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const s256 = async (verifier) => base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', te.encode(verifier))));

export async function webcryptoPair() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  return { verifier, challenge: await s256(verifier) };
}

// A warm-up round, then `rounds` rounds; rates as in verify-lib.mjs's run(): best and median per
// side, the ratio wasm ÷ WebCrypto of the best rates, and the median and range of per-round ratios.
export async function runPkce(core, options = {}) {
  // Both sides must make a correct pair before anything is timed.
  const pair = core.generatePkce();
  if (!pair.ok || !/^[A-Za-z0-9_-]{64}$/.test(pair.value.verifier)) throw new Error('the core made no valid verifier');
  if (pair.value.challenge !== await s256(pair.value.verifier)) throw new Error('the core\'s challenge is not S256 of its verifier');
  const web = await webcryptoPair();
  if (!/^[A-Za-z0-9_-]{64}$/.test(web.verifier)) throw new Error('the WebCrypto verifier is malformed');

  const [wasm, webcrypto] = await measure([
    [() => { if (!core.generatePkce().ok) throw new Error('no pair'); }, false],
    [webcryptoPair, true],
  ], options);
  return { perSec: { wasm: perSec(wasm), webcrypto: perSec(webcrypto) }, ratio: ratioSummary(wasm, webcrypto) };
}
