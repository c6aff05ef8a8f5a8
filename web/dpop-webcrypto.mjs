// DPoP (RFC 9449) with a non-extractable WebCrypto key, for persisted sessions: the key pair is
// made here with extractable: false, so its private half never exists as bytes script can read;
// the core knows only its public JWK. The core builds every proof (header with that jwk, htm, htu,
// iat, jti, ath, nonce) and hands it out as a JWS signing input, BASE64URL(header) "."
// BASE64URL(claims); this file does the one step the core cannot: ES256 over those bytes.
const ES256_KEY = { name: 'ECDSA', namedCurve: 'P-256' };
const ES256_SIGN = { name: 'ECDSA', hash: 'SHA-256' };
const encoder = new TextEncoder();

// { privateKey: non-extractable CryptoKey, jwk: the public key's JSON (kty, crv, x, y) }.
export async function newDpopKey(subtle = globalThis.crypto.subtle) {
  const { privateKey, publicKey } = await subtle.generateKey(ES256_KEY, false, ['sign']);
  const { kty, crv, x, y } = await subtle.exportKey('jwk', publicKey); // a public key always exports
  return { privateKey, jwk: JSON.stringify({ kty, crv, x, y }) };
}

// signing input → signing input "." BASE64URL(signature). WebCrypto's ECDSA signature is r||s,
// 32 octets each, which is the JWS form (RFC 7518 §3.4): no DER to convert.
export async function completeProof(privateKey, signingInput, subtle = globalThis.crypto.subtle) {
  const signature = new Uint8Array(await subtle.sign(ES256_SIGN, privateKey, encoder.encode(signingInput)));
  let binary = '';
  for (const byte of signature) binary += String.fromCharCode(byte);
  return `${signingInput}.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

// Headers ([[name, value]]) with the core's DPoP signing input completed; the others as they are.
export const completeDpopHeaders = (privateKey, headers, subtle) => Promise.all(headers.map(async ([name, value]) =>
  [name, name === 'DPoP' ? await completeProof(privateKey, value, subtle) : value]));
