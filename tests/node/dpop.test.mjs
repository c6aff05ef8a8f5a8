// DPoP (RFC 9449) end to end in Node (isolation 'none') against the real authorization server with
// nonces required, and the test API verifying proofs and cnf.jkt with nonces of its own: the code
// bound with dpop_jkt, the token request retried once with the server's nonce, the refresh bound
// to the same key, client.fetch with Authorization: DPoP and a proof with ath, the API's nonce
// retry, and a stolen token replayed as Bearer, with another key or with a replayed proof refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createClient, loadIsolatedCore } from '../../dist/node.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { jwkThumbprint, startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, dpopProof, playUser, postForm } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const atApp = (url) => url.startsWith(`${APP}/`);
const b64url = (b) => Buffer.from(b).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

let as;
let api;
let core;


before(async () => {
  as = await startAuthServer({ appOrigin: APP, dpopRequireNonce: true });
  api = await startTestApi({ issuer: as.issuer, dpopNonce: true });
  core = await loadIsolatedCore();
  assert.equal(typeof core.clientAcceptResourceResponse, 'function', 'dist/ has no DPoP bindings');
});

after(async () => {
  await api?.close();
  await as?.close();
});

// Records what the client sends and receives: the network view an observer (or thief) has.
function tap() {
  const exchanges = [];
  const fetchFn = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    const res = await fetch(url, init);
    const body = typeof init.body === 'string' ? new URLSearchParams(init.body) : null;
    const json = res.headers.get('content-type')?.includes('json') ? await res.clone().json().catch(() => null) : null;
    exchanges.push({ url: String(url), method: init.method ?? 'GET', headers, body, status: res.status, resHeaders: res.headers, json });
    return res;
  };
  const proof = (e) => {
    const [h, c] = e.headers.get('dpop').split('.');
    return { header: decode(h), claims: decode(c) };
  };
  const tokenRequests = (grantType) => exchanges.filter((e) => e.body?.get('grant_type') === grantType);
  return { exchanges, fetch: fetchFn, proof, tokenRequests };
}

const newClient = (wire, options = {}) => createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid api:read',
  apiOrigins: [api.url], core, fetch: wire.fetch, autoRefresh: false, storage: new MemoryStorage(), ...options,
});

// A login played by a cookie-keeping user agent. The key stays in this process, so the code is
// bound to it (bindDpopKey: a page that leaves for the redirect does not bind it).
async function logIn(client, { bindDpopKey = true } = {}) {
  let authorizationUrl;
  await client.loginWithRedirect({ bindDpopKey, openUrl: (url) => { authorizationUrl = url; } });
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: atApp });
  const done = await playUser(ua, first, { login: 'alice', stopAt: atApp });
  assert.ok(done.location, 'the server redirected back');
  return { authorizationUrl: new URL(authorizationUrl), result: await client.handleRedirectCallback(done.location) };
}

async function introspect(token) {
  return (await postForm(`${as.issuer}/token/introspection`, { token }, { basic: ['api', 'api-secret'] })).json;
}

// A DPoP proof of our own (another key than the client's), as an attacker holding a stolen token would make.
const foreignProof = dpopProof;

test('login: dpop_jkt binds the code, the token request is retried once with the server nonce, the tokens are DPoP-bound', async () => {
  const wire = tap();
  const client = await newClient(wire);
  const codeExchanges = as.counts.authorization_code ?? 0;
  const { authorizationUrl, result } = await logIn(client);
  assert.equal(result.user.sub, 'alice');

  const [first, second, ...more] = wire.tokenRequests('authorization_code');
  assert.equal(more.length, 0, 'two token requests: the first and its nonce retry');
  assert.equal(as.counts.authorization_code, codeExchanges + 2);
  assert.equal(first.status, 400);
  assert.equal(first.json.error, 'use_dpop_nonce');
  assert.equal(wire.proof(first).claims.nonce, undefined);
  assert.equal(second.status, 200);
  const proof = wire.proof(second);
  assert.equal(proof.claims.nonce, first.resHeaders.get('dpop-nonce'), 'the retry carries the server nonce');
  assert.equal(proof.header.typ, 'dpop+jwt');
  assert.equal(proof.header.alg, 'ES256');
  assert.deepEqual(Object.keys(proof.header.jwk).sort(), ['crv', 'kty', 'x', 'y']);
  assert.equal(proof.claims.htm, 'POST');
  assert.equal(proof.claims.htu, `${as.issuer}/token`);
  assert.equal(proof.claims.ath, undefined);
  assert.notEqual(proof.claims.jti, wire.proof(first).claims.jti);
  assert.equal(second.body.get('code'), first.body.get('code'), 'the same code, sent again');

  const thumbprint = jwkThumbprint(proof.header.jwk);
  assert.equal(authorizationUrl.searchParams.get('dpop_jkt'), thumbprint);
  assert.equal(second.json.token_type, 'DPoP');
  const { token, tokenType } = await client.getAccessToken();
  assert.equal(tokenType, 'DPoP');
  const info = await introspect(token);
  assert.equal(info.active, true);
  assert.equal(info.cnf?.jkt, thumbprint, 'the access token is bound to the session key');
  await client.logout({ revoke: false });
});

test('client.fetch sends Authorization: DPoP with a proof carrying ath; the API nonce is retried once and then remembered', async () => {
  const wire = tap();
  const client = await newClient(wire);
  await logIn(client);
  const { token } = await client.getAccessToken();
  const demands = api.calls.nonceDemands;
  const ok = api.calls.ok;

  const res = await client.fetch(`${api.url}/me?view=full`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, 'alice');
  assert.equal(api.calls.nonceDemands, demands + 1, 'the first call met the API nonce demand');
  const calls = wire.exchanges.filter((e) => e.url.startsWith(api.url));
  assert.equal(calls.length, 2);
  assert.equal(calls[0].status, 401);
  assert.match(calls[0].resHeaders.get('www-authenticate'), /^DPoP error="use_dpop_nonce"/);
  for (const call of calls) {
    assert.equal(call.headers.get('authorization'), `DPoP ${token}`);
    const { claims } = wire.proof(call);
    assert.equal(claims.htm, 'GET');
    assert.equal(claims.htu, `${api.url}/me`, 'htu without the query');
    assert.equal(claims.ath, b64url(createHash('sha256').update(token).digest()));
  }
  assert.equal(wire.proof(calls[1]).claims.nonce, calls[0].resHeaders.get('dpop-nonce'));

  // The nonce is remembered for the API's origin: the next call needs no retry.
  assert.equal((await client.fetch(`${api.url}/me`)).status, 200);
  assert.equal(api.calls.nonceDemands, demands + 1);
  // A rotated nonce: one more demand, one retry.
  const rotated = api.rotateNonce();
  assert.equal((await client.fetch(`${api.url}/me`)).status, 200);
  assert.equal(api.calls.nonceDemands, demands + 2);
  assert.equal(wire.proof(wire.exchanges.at(-1)).claims.nonce, rotated);
  assert.equal(api.calls.ok, ok + 3);
  await client.logout({ revoke: false });
});

test('the refresh is bound: it carries a proof of the same key, the new tokens stay bound to it, logout revokes them', async () => {
  const wire = tap();
  const client = await newClient(wire);
  await logIn(client);
  const loginProof = wire.proof(wire.tokenRequests('authorization_code').at(-1));
  const { token: before } = await client.getAccessToken();

  await client.refresh();
  const refreshes = wire.tokenRequests('refresh_token');
  const sent = refreshes.at(-1);
  assert.equal(sent.status, 200);
  assert.deepEqual(wire.proof(sent).header.jwk, loginProof.header.jwk, 'the same key');
  assert.ok(wire.proof(sent).claims.nonce, 'with the token endpoint nonce');
  assert.equal(sent.json.token_type, 'DPoP');
  const { token, tokenType } = await client.getAccessToken();
  assert.notEqual(token, before);
  assert.equal(tokenType, 'DPoP');
  assert.equal((await introspect(token)).cnf?.jkt, jwkThumbprint(loginProof.header.jwk));
  assert.equal((await client.fetch(`${api.url}/me`)).status, 200);

  // Logout revokes the bound tokens (RFC 7009 needs no proof) and drops the key with them.
  await client.logout();
  assert.equal((await introspect(token)).active, false);
  await assert.rejects(client.fetch(`${api.url}/me`), (e) => e.code === 'login_required');
});

test('a stolen access token is refused by the API as Bearer, with another key, without a proof, and with a replayed proof', async () => {
  const wire = tap();
  const client = await newClient(wire);
  await logIn(client);
  assert.equal((await client.fetch(`${api.url}/me`)).status, 200);
  const { token } = await client.getAccessToken();
  const url = `${api.url}/me`;
  const last = wire.exchanges.at(-1);
  const nonce = last.resHeaders.get('dpop-nonce'); // current: a refusal below is not about the nonce
  const refusal = async (headers) => {
    const res = await fetch(url, { headers });
    assert.equal(res.status, 401);
    return res.headers.get('www-authenticate');
  };

  // The client's own last proof, captured on the wire, replayed with the same token.
  assert.match(await refusal({ Authorization: `DPoP ${token}`, DPoP: last.headers.get('dpop') }),
    /^DPoP error="invalid_dpop_proof", error_description="the DPoP proof was replayed/);
  assert.match(await refusal({ Authorization: `Bearer ${token}` }), /^Bearer error="invalid_token"/);
  assert.match(await refusal({ Authorization: `DPoP ${token}`, DPoP: foreignProof({ method: 'GET', url, token, nonce }) }),
    /^DPoP error="invalid_token", error_description="the DPoP proof key is not the one the token is bound to"/);
  assert.match(await refusal({ Authorization: `DPoP ${token}` }), /^DPoP error="invalid_dpop_proof"/);

  // The owner still gets through.
  assert.equal((await client.fetch(url)).status, 200);
  await client.logout({ revoke: false });
});

test('a stolen refresh token is refused at the token endpoint without the session key', async () => {
  const wire = tap();
  const client = await newClient(wire);
  await logIn(client);
  const refreshToken = wire.tokenRequests('authorization_code').at(-1).json.refresh_token;
  assert.ok(refreshToken);
  const token = `${as.issuer}/token`;

  const bare = await postForm(token, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' });
  assert.equal(bare.status, 400);
  assert.notEqual(bare.json.error, undefined);

  const stranger = async (nonce) => postForm(token, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' },
    { headers: { DPoP: foreignProof({ method: 'POST', url: token, nonce }) } });
  const first = await stranger();
  const withNonce = first.json?.error === 'use_dpop_nonce' ? await stranger(first.headers.get('dpop-nonce')) : first;
  assert.equal(withNonce.status, 400);
  assert.equal(withNonce.json.error, 'invalid_grant', 'a proof of another key does not redeem the bound refresh token');
});

test('client credentials in Node with dpop: true: proofs on the token request with the nonce retry, a DPoP-bound token the API takes only with a proof', async () => {
  const wire = tap();
  const client = await createClient({
    issuer: as.issuer, clientId: 'service', clientSecret: 'service-secret', apiOrigins: [api.url], core,
    fetch: wire.fetch, dpop: true,
  });
  const result = await client.loginWithClientCredentials({ scope: 'api:read', resource: [api.url] });
  assert.equal(result.authenticated, true);
  assert.equal(result.user, null);

  const sent = wire.tokenRequests('client_credentials');
  assert.equal(sent.length, 2, 'sent once without a nonce, then once more with the nonce the server demanded');
  assert.equal(sent[0].status, 400);
  assert.equal(sent[0].json.error, 'use_dpop_nonce');
  const [first, second] = sent.map(wire.proof);
  assert.equal(first.claims.nonce, undefined);
  assert.equal(second.claims.nonce, sent[0].resHeaders.get('dpop-nonce'));
  for (const [proof, request] of [[first, sent[0]], [second, sent[1]]]) {
    assert.equal(proof.header.typ, 'dpop+jwt');
    assert.equal(proof.header.alg, 'ES256');
    assert.equal(proof.header.jwk.d, undefined, 'only the public key');
    assert.equal(proof.claims.htm, 'POST');
    assert.equal(proof.claims.htu, request.url);
    assert.equal(proof.claims.ath, undefined);
  }
  assert.notEqual(first.claims.jti, second.claims.jti);
  assert.equal(sent[1].status, 200);
  assert.equal(sent[1].json.token_type, 'DPoP');

  const { token, tokenType } = await client.getAccessToken();
  assert.equal(tokenType, 'DPoP');
  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).client_id, 'service');
  const call = wire.exchanges.filter((e) => e.url.startsWith(api.url) && e.status === 200).at(-1);
  assert.equal(call.headers.get('authorization'), `DPoP ${token}`);
  const apiProof = wire.proof(call);
  assert.equal(apiProof.claims.ath, b64url(createHash('sha256').update(token).digest()));
  assert.deepEqual(apiProof.header.jwk, second.header.jwk, 'the same key as the token request');
  assert.equal(jwkThumbprint(apiProof.header.jwk), jwkThumbprint(second.header.jwk));

  const stolen = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(stolen.status, 401, 'the bound token is refused as Bearer');
});

test('the device flow in Node with dpop: true: every poll carries a proof, a nonce demand is polled again at once, the tokens are DPoP-bound', async () => {
  const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
  const wire = tap();
  // The device authorization response says interval 1, to keep the test quick.
  const fetchFn = async (url, init = {}) => {
    const res = await wire.fetch(url, init);
    if (!String(url).endsWith('/device/auth') || res.status !== 200) return res;
    return Response.json({ ...(await res.json()), interval: 1 });
  };
  const client = await createClient({ issuer: as.issuer, clientId: 'device', apiOrigins: [api.url], core, fetch: fetchFn, dpop: true });
  const polls = [];
  client.on('device_poll', (p) => polls.push(p.result));
  let userDone;
  const result = await client.loginWithDeviceCode({
    scope: 'openid profile offline_access',
    onPrompt({ verificationUri, userCode }) {
      userDone = (async () => {
        const ua = new UserAgent();
        return (await playUser(ua, await ua.navigate(verificationUri), { userCode, login: 'dave' })).text;
      })();
    },
  });
  assert.match(await userDone, /id="success"/);
  assert.equal(result.user.sub, 'dave');

  const sent = wire.tokenRequests(DEVICE_GRANT);
  assert.ok(sent.length >= 2, 'at least the nonce demand and the tokens');
  assert.ok(sent.every((e) => e.headers.has('dpop')), 'every poll carries a proof');
  assert.equal(sent[0].json.error, 'use_dpop_nonce', 'the first poll had no nonce');
  assert.equal(wire.proof(sent[1]).claims.nonce, sent[0].resHeaders.get('dpop-nonce'));
  assert.equal(polls[0], 'use_dpop_nonce', 'reported as such (the first poll event: the prompt came before), and polled again at once');
  for (const e of sent) {
    const proof = wire.proof(e);
    assert.equal(proof.claims.htm, 'POST');
    assert.equal(proof.claims.htu, e.url);
    assert.equal(proof.header.jwk.d, undefined);
  }
  assert.equal(sent.at(-1).json.token_type, 'DPoP');
  assert.equal((await client.getAccessToken()).tokenType, 'DPoP');
  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, 'dave');
});

test('the same server without DPoP: Bearer tokens, no proof headers', async () => {
  const plain = await startAuthServer({ appOrigin: APP });
  const plainApi = await startTestApi({ issuer: plain.issuer });
  try {
    const wire = tap();
    const client = await createClient({
      issuer: plain.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid api:read',
      apiOrigins: [plainApi.url], core, fetch: wire.fetch, autoRefresh: false, storage: new MemoryStorage(),
    });
    let authorizationUrl;
    await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
    const ua = new UserAgent();
    const done = await playUser(ua, await ua.navigate(authorizationUrl, { stopAt: atApp }), { login: 'bob', stopAt: atApp });
    await client.handleRedirectCallback(done.location);
    assert.equal(new URL(authorizationUrl).searchParams.has('dpop_jkt'), false);
    assert.equal((await client.getAccessToken()).tokenType, 'Bearer');
    assert.equal((await client.fetch(`${plainApi.url}/me`)).status, 200);
    assert.ok(wire.exchanges.every((e) => !e.headers.has('dpop')), 'no DPoP header anywhere');
    await client.logout({ revoke: false });
  } finally {
    await plainApi.close();
    await plain.close();
  }
});
