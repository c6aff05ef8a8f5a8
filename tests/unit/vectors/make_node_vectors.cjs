// Regenerates tests/unit/vectors/node_vectors.hpp with Node's crypto (an independent
// implementation: OpenSSL through Node, not our code). Keys are fresh on every run, so
// the committed header is the record; rerun only to replace every vector at once.
//   node tests/unit/vectors/make_node_vectors.cjs > tests/unit/vectors/node_vectors.hpp
'use strict';
const crypto = require('crypto');

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const lines = [];
const str = (name, value) => {
  // Long values are split so the header stays readable; adjacent literals concatenate.
  const parts = value.match(/.{1,96}/g) || [''];
  lines.push(`inline constexpr const char* ${name} =\n    ` + parts.map((p) => JSON.stringify(p)).join('\n    ') + ';');
};

const MESSAGE = 'oauth-wasm known answer: the quick brown fox';
str('kMessage', MESSAGE);

// --- RSA 2048: PSS (salt = hash length, RFC 7518 §3.5) and the private exponent for
// the padding-mutation tests (the tests make raw signatures of EMs they build).
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaJwk = rsa.privateKey.export({ format: 'jwk' });
str('kRsa2048N', rsaJwk.n); str('kRsa2048E', rsaJwk.e); str('kRsa2048D', rsaJwk.d);
for (const [bits, len] of [[256, 32], [384, 48], [512, 64]]) {
  const sig = crypto.sign(`sha${bits}`, Buffer.from(MESSAGE), {
    key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: len });
  str(`kRsa2048Ps${bits}`, sig.toString('hex'));
  str(`kRsa2048Rs${bits}`, crypto.sign(`sha${bits}`, Buffer.from(MESSAGE), rsa.privateKey).toString('hex'));
}

// --- RSA 2049: emLen = k - 1 for PSS (RFC 8017 §9.1.2: emBits = modBits - 1 is a multiple of 8).
// Node's RSA key generation gives 2048 bits when asked for 2049, so the key is built here
// from two primes of 1025 and 1024 bits with their top two bits set (product: 2049 bits).
const toB64u = (v) => { let h = v.toString(16); if (h.length % 2) h = '0' + h; return b64u(Buffer.from(h, 'hex')); };
const modInverse = (a, m) => { let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return ((s0 % m) + m) % m; };
const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));
const prime = (bits) => { for (;;) { const p = crypto.generatePrimeSync(bits, { bigint: true });
  if ((p >> BigInt(bits - 2)) === 3n && gcd(p - 1n, 65537n) === 1n) return p; } };
const p2049 = prime(1025), q2049 = prime(1024), e2049 = 65537n;
const n2049 = p2049 * q2049;
if (n2049.toString(2).length !== 2049) throw new Error('not 2049 bits');
const d2049 = modInverse(e2049, (p2049 - 1n) * (q2049 - 1n));
const rsa2049Jwk = { kty: 'RSA', n: toB64u(n2049), e: toB64u(e2049), d: toB64u(d2049), p: toB64u(p2049),
  q: toB64u(q2049), dp: toB64u(d2049 % (p2049 - 1n)), dq: toB64u(d2049 % (q2049 - 1n)), qi: toB64u(modInverse(q2049, p2049)) };
const rsa2049 = { privateKey: crypto.createPrivateKey({ key: rsa2049Jwk, format: 'jwk' }) };
str('kRsa2049N', rsa2049Jwk.n); str('kRsa2049E', rsa2049Jwk.e); str('kRsa2049D', rsa2049Jwk.d);
str('kRsa2049Ps256', crypto.sign('sha256', Buffer.from(MESSAGE), {
  key: rsa2049.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('hex'));

// --- RSA 1024: a valid signature from a key that is too small.
const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsa1024Jwk = rsa1024.publicKey.export({ format: 'jwk' });
str('kRsa1024N', rsa1024Jwk.n); str('kRsa1024E', rsa1024Jwk.e);
str('kRsa1024Rs256', crypto.sign('sha256', Buffer.from(MESSAGE), rsa1024.privateKey).toString('hex'));

// --- P-384 and P-256 (raw r||s, RFC 7518 §3.4).
const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p384Jwk = p384.publicKey.export({ format: 'jwk' });
str('kP384X', p384Jwk.x); str('kP384Y', p384Jwk.y);
str('kP384Es384', crypto.sign('sha384', Buffer.from(MESSAGE),
  { key: p384.privateKey, dsaEncoding: 'ieee-p1363' }).toString('hex'));
const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p256Jwk = p256.publicKey.export({ format: 'jwk' });
str('kP256X', p256Jwk.x); str('kP256Y', p256Jwk.y);
str('kP256Es256', crypto.sign('sha256', Buffer.from(MESSAGE),
  { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }).toString('hex'));
str('kP256Es256Der', crypto.sign('sha256', Buffer.from(MESSAGE),
  { key: p256.privateKey, dsaEncoding: 'der' }).toString('hex'));

// --- JWS compact tokens. Header text is written by hand so the tests control every byte.
const PAYLOAD = '{"iss":"https://issuer.example","sub":"alice","aud":"client-1","iat":1700000000,"exp":1700000600}';
const ed = crypto.generateKeyPairSync('ed25519');
const edJwk = ed.publicKey.export({ format: 'jwk' });
const signJws = (alg, headerText, payloadText, opts = {}) => {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  let sig;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', PS256: 'sha256', PS384: 'sha384',
                 PS512: 'sha512', ES256: 'sha256', ES384: 'sha384' }[alg];
  if (alg.startsWith('RS')) sig = crypto.sign(hash, Buffer.from(input), opts.key || rsa.privateKey);
  else if (alg.startsWith('PS')) sig = crypto.sign(hash, Buffer.from(input), { key: opts.key || rsa.privateKey,
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.createHash(hash).digest().length });
  else if (alg === 'ES256') sig = crypto.sign(hash, Buffer.from(input),
    { key: p256.privateKey, dsaEncoding: opts.der ? 'der' : 'ieee-p1363' });
  else if (alg === 'EdDSA') sig = crypto.sign(null, Buffer.from(input), ed.privateKey);
  else if (alg === 'ES384') sig = crypto.sign(hash, Buffer.from(input), { key: p384.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64u(sig)}`;
};
str('kPayload', PAYLOAD);
const jwks = { keys: [
  { kty: 'RSA', kid: 'rsa-1', use: 'sig', n: rsaJwk.n, e: rsaJwk.e },
  { kty: 'EC', kid: 'p256-1', crv: 'P-256', x: p256Jwk.x, y: p256Jwk.y },
  { kty: 'EC', kid: 'p384-1', crv: 'P-384', x: p384Jwk.x, y: p384Jwk.y, alg: 'ES384' },
  { kty: 'OKP', kid: 'ed-1', crv: 'Ed25519', x: edJwk.x, use: 'sig', key_ops: ['verify'] },
] };
str('kJwks', JSON.stringify(jwks));
str('kJwsPs256', signJws('PS256', '{"alg":"PS256","kid":"rsa-1"}', PAYLOAD));
str('kJwsPs384', signJws('PS384', '{"alg":"PS384","kid":"rsa-1"}', PAYLOAD));
str('kJwsPs512', signJws('PS512', '{"alg":"PS512","kid":"rsa-1"}', PAYLOAD));
str('kJwsRs384', signJws('RS384', '{"alg":"RS384","kid":"rsa-1"}', PAYLOAD));
str('kJwsRs512', signJws('RS512', '{"alg":"RS512","kid":"rsa-1"}', PAYLOAD));
str('kJwsRs256', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","typ":"JWT"}', PAYLOAD));
str('kJwsRs256NoKid', signJws('RS256', '{"alg":"RS256"}', PAYLOAD));
str('kJwsEs256', signJws('ES256', '{"alg":"ES256","kid":"p256-1"}', PAYLOAD));
str('kJwsEs256Der', signJws('ES256', '{"alg":"ES256","kid":"p256-1"}', PAYLOAD, { der: true }));
str('kJwsEs384', signJws('ES384', '{"alg":"ES384","kid":"p384-1"}', PAYLOAD));
str('kJwsEdDsa', signJws('EdDSA', '{"alg":"EdDSA","kid":"ed-1"}', PAYLOAD));
// Validly signed, but each refused for its header or payload.
str('kJwsCrit', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","crit":["exp"],"exp":1}', PAYLOAD));
str('kJwsJku', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","jku":"https://attacker.example/jwks"}', PAYLOAD));
str('kJwsX5u', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","x5u":"https://attacker.example/cert"}', PAYLOAD));
str('kJwsX5c', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","x5c":["MIIB"]}', PAYLOAD));
str('kJwsEmbeddedJwk', signJws('RS256',
  `{"alg":"RS256","kid":"rsa-1","jwk":{"kty":"RSA","n":"${rsaJwk.n}","e":"${rsaJwk.e}"}}`, PAYLOAD));
str('kJwsDuplicateAlg', signJws('RS256', '{"alg":"RS256","kid":"rsa-1","alg":"RS256"}', PAYLOAD));
str('kJwsDuplicateKid', signJws('RS256', '{"kid":"other","alg":"RS256","kid":"rsa-1"}', PAYLOAD));
str('kJwsDuplicateClaim', signJws('RS256', '{"alg":"RS256","kid":"rsa-1"}',
  '{"iss":"https://issuer.example","sub":"mallory","sub":"alice","aud":"client-1"}'));
str('kJwsDuplicateNestedClaim', signJws('RS256', '{"alg":"RS256","kid":"rsa-1"}',
  '{"iss":"https://issuer.example","sub":"alice","address":{"country":"A","country":"B"}}'));
str('kJwsSameNameInSiblingObjects', signJws('RS256', '{"alg":"RS256","kid":"rsa-1"}',
  '{"iss":"https://issuer.example","a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}]}'));
str('kJwsPayloadNotObject', signJws('RS256', '{"alg":"RS256","kid":"rsa-1"}', '["alice"]'));
str('kJwsUnknownKid', signJws('RS256', '{"alg":"RS256","kid":"rsa-2"}', PAYLOAD));
str('kJwsPs256WithRsaKeyAsEs256', signJws('PS256', '{"alg":"ES256","kid":"rsa-1"}', PAYLOAD));
str('kJwsRs256KidOfP256', signJws('RS256', '{"alg":"RS256","kid":"p256-1"}', PAYLOAD));
str('kJwsEs256KidOfP384', signJws('ES256', '{"alg":"ES256","kid":"p384-1"}', PAYLOAD));
str('kJwsRs1024', signJws('RS256', '{"alg":"RS256","kid":"rsa-small"}', PAYLOAD, { key: rsa1024.privateKey }));
str('kJwksWithSmallRsa', JSON.stringify({ keys: [
  { kty: 'RSA', kid: 'rsa-small', n: rsa1024Jwk.n, e: rsa1024Jwk.e }] }));
// HS256 keyed with the RSA public key's PEM: the classic algorithm-confusion forgery.
const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
const hsInput = `${b64u('{"alg":"HS256","kid":"rsa-1"}')}.${b64u(PAYLOAD)}`;
str('kJwsHs256WithRsaPem', `${hsInput}.${b64u(crypto.createHmac('sha256', pem).update(hsInput).digest())}`);
const hsInput2 = `${b64u('{"alg":"HS256","kid":"rsa-1"}')}.${b64u(PAYLOAD)}`;
str('kJwsHs256WithRsaJwkN', `${hsInput2}.${b64u(crypto.createHmac('sha256',
  Buffer.from(rsaJwk.n, 'base64url')).update(hsInput2).digest())}`);
// A second, unrelated RSA key under the same kid: "wrong key".
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
str('kJwksOtherRsaSameKid', JSON.stringify({ keys: [{ kty: 'RSA', kid: 'rsa-1', n: other.n, e: other.e }] }));

process.stdout.write(`// Generated by tests/unit/vectors/make_node_vectors.cjs (Node ${process.version}, its OpenSSL ` +
  `${process.versions.openssl}).\n// Independent known answers: keys and signatures made by Node's crypto, not by our code.\n` +
  `#pragma once\n\nnamespace oauth::test::node {\n\n${lines.join('\n')}\n\n}  // namespace oauth::test::node\n`);
