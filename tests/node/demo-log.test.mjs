// The demo's flow log (demo/page/log.mjs) on DPoP proofs (RFC 9449 §4.2): the rows it shows for a
// real ES256 proof, and that a proof whose jwk carries private key members never gets them printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

import { describeDpopProof, shorten } from '../../demo/page/log.mjs';
import { dpopProof } from '../../scripts/dev-servers/http-client.mjs';
import { jwkThumbprint } from '../../scripts/dev-servers/test-api.mjs';

const b64url = (data) => Buffer.from(data).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

test('a DPoP proof for an API call: header and claims decoded, random values shortened, the jwk\'s thumbprint shown', async () => {
  const token = 'an-access-token-of-some-length-0123456789';
  const url = 'http://127.0.0.1:8082/me';
  const proof = dpopProof({ method: 'GET', url, token, nonce: 'server-nonce-ABCdef0123456789' });
  const [header, claims] = proof.split('.').slice(0, 2).map(decode);
  const rows = Object.fromEntries(await describeDpopProof(proof));

  assert.equal(rows['header typ'], 'dpop+jwt');
  assert.equal(rows['header alg'], 'ES256');
  assert.equal(rows['header jwk'], `crv=P-256, kty=EC, x=${shorten(header.jwk.x)}, y=${shorten(header.jwk.y)}`);
  assert.equal(rows['jwk thumbprint'], `${shorten(jwkThumbprint(header.jwk))} (RFC 7638 jkt)`);
  assert.equal(rows['claim htm'], 'GET');
  assert.equal(rows['claim htu'], url);
  assert.equal(rows['claim iat'], `${claims.iat} (${new Date(claims.iat * 1000).toISOString().slice(11, 19)} UTC)`);
  assert.equal(rows['claim jti'], shorten(claims.jti));
  assert.equal(rows['claim ath'], `${shorten(b64url(createHash('sha256').update(token).digest()))} = BASE64URL(SHA-256(access token))`);
  assert.equal(rows['claim nonce'], shorten('server-nonce-ABCdef0123456789'));
  const shown = JSON.stringify(rows);
  for (const whole of [claims.jti, claims.ath, claims.nonce, header.jwk.x, header.jwk.y]) assert.ok(!shown.includes(whole), `${whole} shown whole`);
});

test('a proof at the token endpoint has no ath row; one that is not a JWT is only said to be so', async () => {
  const rows = Object.fromEntries(await describeDpopProof(dpopProof({ method: 'POST', url: 'http://127.0.0.1:8081/token' })));
  assert.equal(rows['claim htm'], 'POST');
  assert.equal(rows['claim ath'], undefined);
  assert.equal(rows['claim nonce'], undefined);
  assert.deepEqual(await describeDpopProof('not.a-jwt'), [['DPoP proof', 'does not decode as a JWT']]);
  assert.deepEqual(await describeDpopProof('e30.bm90IGpzb24.c2ln'), [['DPoP proof', 'does not decode as a JWT']]);
});

test('a jwk with private members (a broken client): the private key is never printed, and the row says it was there', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }); // kty, crv, x, y and d
  assert.ok(jwk.d);
  const header = b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk }));
  const claims = b64url(JSON.stringify({ jti: 'j-0123456789abcdefXYZ', htm: 'POST', htu: 'http://127.0.0.1:8081/token', iat: 1 }));
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const rows = await describeDpopProof(`${header}.${claims}.${b64url(signature)}`);
  const text = JSON.stringify(rows);
  assert.ok(!text.includes(jwk.d), 'd is not shown');
  assert.ok(!text.includes(shorten(jwk.d)), 'nor a shortened d');
  assert.ok(!/\bd=/.test(text), 'no d member at all');
  const jwkRows = rows.filter(([k]) => k === 'header jwk').map(([, v]) => v);
  assert.deepEqual(jwkRows, [`crv=P-256, kty=EC, x=${shorten(jwk.x)}, y=${shorten(jwk.y)}`, '✕ carries private key members (not shown)']);
  const { d, ...publicJwk } = jwk;
  assert.ok(d);
  assert.equal(Object.fromEntries(rows)['jwk thumbprint'], `${shorten(jwkThumbprint(publicJwk))} (RFC 7638 jkt)`);
});
