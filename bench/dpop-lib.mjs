// The measurement behind bench/dpop.mjs, the same code in Node and in the browser page: DPoP proofs
// (RFC 9449 §4) per second made by the wasm core for a resource request and by WebCrypto in the
// same realm, taking turns in short slices (verify-lib.mjs's measure()).
//   - wasm: core.clientAuthorizeResource(handle, url, method, now) on a logged-in client whose
//     tokens are DPoP-bound: the origin check, then a fresh proof (random jti, htm, htu, iat, ath =
//     SHA-256 of the token) signed with the session's P-256 key, as the two headers.
//   - WebCrypto, the same job: the same JOSE header {typ, alg, jwk} (encoded once, as the core
//     does), the claims with a random jti and ath, JSON, base64url, ECDSA P-256 SHA-256 with a
//     non-extractable key made once, the same two headers.
//   - WebCrypto's subtle.sign alone over a signing input of the same length.
// Only globals that Node 20 and browsers share are used.
import { measure, perSec, ratioSummary } from './verify-lib.mjs';

const subtle = globalThis.crypto.subtle;
const te = new TextEncoder();
const td = new TextDecoder();
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const ES256 = { name: 'ECDSA', hash: 'SHA-256' };

function base64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const base64urlText = (text) => base64url(te.encode(text));
function base64urlDecode(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const now = () => Math.floor(Date.now() / 1000);
const htuOf = (url) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`; // RFC 9449 §4.2: without query and fragment
};

// The core's handle of the client that createClient() opens: a view of the core whose
// clientCreate remembers the handle it returns. Everything else is the core's own.
export function capturingHandle(core) {
  let handle;
  const view = new Proxy(core, {
    get(target, key) {
      if (key !== 'clientCreate') return Reflect.get(target, key, target);
      return (...args) => {
        const result = target.clientCreate(...args);
        if (result.ok) handle = result.value.handle;
        return result;
      };
    },
  });
  return { core: view, handle: () => handle };
}

// The WebCrypto side: a P-256 key pair (the private half not extractable) and the proof maker.
async function webcryptoProver(token) {
  const { privateKey, publicKey } = await subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const { kty, crv, x, y } = await subtle.exportKey('jwk', publicKey);
  const header = base64urlText(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { crv, kty, x, y } }));
  const prove = async (url, method) => {
    const ath = base64url(new Uint8Array(await subtle.digest('SHA-256', te.encode(token))));
    const claims = { jti: base64url(crypto.getRandomValues(new Uint8Array(16))), htm: method, htu: htuOf(url), iat: now(), ath };
    const input = `${header}.${base64urlText(JSON.stringify(claims))}`;
    const signature = new Uint8Array(await subtle.sign(ES256, privateKey, te.encode(input)));
    return [['Authorization', `DPoP ${token}`], ['DPoP', `${input}.${base64url(signature)}`]];
  };
  return { privateKey, prove };
}

// What a resource server checks of the headers (RFC 9449 §4.3, §7.1), so that nothing is timed
// that a server would refuse: the token under the DPoP scheme; typ, alg and a public P-256 JWK
// (no private member); htm, htu, a current iat, ath of the token, a 128-bit jti; the signature
// by the JWK's key. Returns the proof's jti, its signature and the JWK's RFC 7638 thumbprint.
export async function checkProof(headers, { token, url, method }) {
  const byName = new Map(headers.map(([n, v]) => [n.toLowerCase(), v]));
  if (byName.get('authorization') !== `DPoP ${token}`) throw new Error('the Authorization header is not DPoP with the token');
  const parts = (byName.get('dpop') ?? '').split('.');
  if (parts.length !== 3) throw new Error('the DPoP header is not a compact JWS');
  const header = JSON.parse(td.decode(base64urlDecode(parts[0])));
  const claims = JSON.parse(td.decode(base64urlDecode(parts[1])));
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') throw new Error('typ or alg is wrong');
  if (Object.keys(header.jwk ?? {}).sort().join() !== 'crv,kty,x,y' || header.jwk.kty !== 'EC' || header.jwk.crv !== 'P-256') {
    throw new Error('the header\'s jwk is not a bare public P-256 key');
  }
  const ath = base64url(new Uint8Array(await subtle.digest('SHA-256', te.encode(token))));
  if (claims.htm !== method || claims.htu !== htuOf(url) || claims.ath !== ath) throw new Error('htm, htu or ath is wrong');
  if (!(Math.abs(claims.iat - now()) <= 5)) throw new Error('iat is not now');
  if (!/^[A-Za-z0-9_-]{22}$/.test(claims.jti)) throw new Error('jti is not 16 random bytes');
  const key = await subtle.importKey('jwk', header.jwk, ECDSA, false, ['verify']);
  const ok = await subtle.verify(ES256, key, base64urlDecode(parts[2]), te.encode(`${parts[0]}.${parts[1]}`));
  if (!ok) throw new Error('the proof\'s signature does not verify with its jwk');
  const { crv, kty, x, y } = header.jwk;
  const thumbprint = base64url(new Uint8Array(await subtle.digest('SHA-256', te.encode(JSON.stringify({ crv, kty, x, y })))));
  return { jti: claims.jti, signature: parts[2], thumbprint };
}

// core: the core the client was made with; handle: its client's, logged in with DPoP-bound
// tokens; token: that access token; url: an URL of one of the client's apiOrigins.
export async function runDpop(core, { handle, token, url, method = 'GET' }, options = {}) {
  const wasmHeaders = () => {
    const result = core.clientAuthorizeResource(handle, url, method, now());
    if (!result.ok) throw new Error(`the core made no proof: ${JSON.stringify(result.error)}`);
    return result.value.headers;
  };
  const web = await webcryptoProver(token);

  // Both sides must make proofs a server accepts, each with a fresh jti and signature; the
  // core's by the session's key (the thumbprint the tokens are bound to).
  for (const [side, make] of [['wasm', async () => wasmHeaders()], ['webcrypto', () => web.prove(url, method)]]) {
    const [a, b] = [await checkProof(await make(), { token, url, method }), await checkProof(await make(), { token, url, method })];
    if (a.jti === b.jti || a.signature === b.signature) throw new Error('two proofs share a jti or a signature');
    if (side === 'wasm' && a.thumbprint !== core.clientDpopState(handle).value?.thumbprint) {
      throw new Error('the core\'s proof is not by the session key');
    }
  }
  const input = te.encode((await web.prove(url, method))[1][1].split('.').slice(0, 2).join('.'));

  const [wasm, webcrypto, sign] = await measure([
    [() => { wasmHeaders(); }, false],
    [() => web.prove(url, method), true],
    [() => subtle.sign(ES256, web.privateKey, input), true],
  ], options);
  return {
    proofBytes: wasmHeaders()[1][1].length,
    perSec: { wasm: perSec(wasm), webcrypto: perSec(webcrypto), sign: perSec(sign) },
    ratio: ratioSummary(wasm, webcrypto),
    ratioSign: ratioSummary(wasm, sign),
  };
}
