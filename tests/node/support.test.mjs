// Proves the shared test servers and fixtures in scripts/dev-servers/ work, without a browser:
// node --test tests/node/
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import {
  UserAgent, discover, jwtPayload, pkcePair, playUser, postForm, randomToken,
} from '../../scripts/dev-servers/http-client.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { manualClock } from '../../scripts/dev-servers/manual-clock.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: we stop at the redirect
const REDIRECT_URI = `${APP}/callback`;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const atApp = (url) => url.startsWith(`${APP}/`);

let as;
let api;
let meta;

before(async () => {
  as = await startAuthServer({ appOrigin: APP, dpop: true, par: true });
  api = await startTestApi({ issuer: as.issuer });
  meta = await discover(as.issuer);
});

after(async () => {
  await api?.close();
  await as?.close();
});

function authorizationUrl(params) {
  const url = new URL(meta.authorization_endpoint);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

// Authorization-code + PKCE login for `spa` played by hand; returns the redirect's
// query parameters plus what the client kept.
async function authorize({ decision = 'approve', scope = 'openid profile email offline_access' } = {}) {
  const ua = new UserAgent();
  const pkce = pkcePair();
  const state = randomToken(16);
  const nonce = randomToken(16);
  const first = await ua.navigate(authorizationUrl({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    nonce,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
  }), { stopAt: atApp });
  assert.equal(first.status, 200, 'the login page is shown first');
  assert.match(first.text, /id="login-form"/);
  assert.doesNotMatch(first.text, /<(script|link)\b|@import|https?:\/\/(?!127\.0\.0\.1)/i, 'login page loads nothing external');

  const done = await playUser(ua, first, { decision, stopAt: atApp });
  assert.ok(done.location, `ended at the app, not at ${done.url}: ${done.text.slice(0, 200)}`);
  const redirect = new URL(done.location);
  assert.equal(`${redirect.origin}${redirect.pathname}`, REDIRECT_URI);
  return { params: redirect.searchParams, state, nonce, pkce, ua };
}

async function loginSpa() {
  const { params, pkce, nonce } = await authorize();
  const res = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
    client_id: 'spa',
  });
  assert.equal(res.status, 200, res.text);
  return { tokens: res.json, nonce, code: params.get('code'), verifier: pkce.verifier };
}

const refresh = (refreshToken) => postForm(meta.token_endpoint, {
  grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa',
});

const callApi = (authorization) => fetch(`${api.url}/me`, {
  headers: authorization ? { Authorization: authorization } : {},
});

test('discovery: exact issuer, RFC 9207 iss, S256 only, endpoints on the issuer', () => {
  assert.equal(as.issuer, `http://127.0.0.1:${as.port}`);
  assert.equal(meta.issuer, as.issuer);
  assert.equal(meta.authorization_response_iss_parameter_supported, true);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(meta.response_types_supported, ['code']);
  for (const key of ['authorization_endpoint', 'token_endpoint', 'introspection_endpoint',
    'revocation_endpoint', 'device_authorization_endpoint', 'pushed_authorization_request_endpoint',
    'end_session_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
    assert.ok(meta[key]?.startsWith(`${as.issuer}/`), `${key} = ${meta[key]}`);
  }
  assert.ok(meta.dpop_signing_alg_values_supported.includes('ES256'));
});

test('client credentials token for `service` is accepted by the test API; garbage is not', async () => {
  const before = as.counts.client_credentials ?? 0;
  const res = await postForm(meta.token_endpoint, {
    grant_type: 'client_credentials', scope: 'api:read', resource: api.url,
  }, { basic: ['service', 'service-secret'] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(res.json.scope, 'api:read');
  assert.equal(as.counts.client_credentials, before + 1);

  const ok = await callApi(`Bearer ${res.json.access_token}`);
  assert.equal(ok.status, 200);
  // No `sub`: a client-credentials token has no end-user.
  assert.deepEqual(await ok.json(), { scope: 'api:read', client_id: 'service', aud: api.url });

  const garbage = await callApi(`Bearer ${randomToken(32)}`);
  assert.equal(garbage.status, 401);
  assert.match(garbage.headers.get('www-authenticate'), /^Bearer error="invalid_token"/);

  const none = await callApi();
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');

  const wrongSecret = await postForm(meta.token_endpoint, { grant_type: 'client_credentials' },
    { basic: ['service', 'nope'] });
  assert.equal(wrongSecret.status, 401);
  assert.equal(wrongSecret.json.error, 'invalid_client');

  const foreign = await postForm(meta.token_endpoint, {
    grant_type: 'client_credentials', resource: 'http://api.example.test/',
  }, { basic: ['service', 'service-secret'] });
  assert.equal(foreign.status, 400);
  assert.equal(foreign.json.error, 'invalid_target');
});

test('test API and token endpoint answer CORS for loopback origins only', async () => {
  const preflight = await fetch(`${api.url}/me`, {
    method: 'OPTIONS',
    headers: { Origin: APP, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), APP);
  assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);

  const tokenCors = await fetch(meta.token_endpoint, {
    method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(tokenCors.headers.get('access-control-allow-origin'), APP);

  // clientBasedCORS runs on the actual request, once the client is known.
  const foreign = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { Origin: 'http://evil.example.test', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'spa' }),
  });
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  assert.ok(api.calls.preflight >= 1);
});

test('authorization code + PKCE login for `spa` by hand: iss, tokens, id_token claims, userinfo', async () => {
  const before = as.counts.authorization_code ?? 0;
  const { params, state, nonce, pkce } = await authorize();
  assert.equal(params.get('state'), state);
  assert.equal(params.get('iss'), as.issuer, 'RFC 9207 iss in the authorization response');
  assert.ok(params.get('code'));

  const wrongVerifier = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: REDIRECT_URI,
    code_verifier: pkcePair().verifier, client_id: 'spa',
  });
  assert.equal(wrongVerifier.status, 400);
  assert.equal(wrongVerifier.json.error, 'invalid_grant');

  // A failed PKCE check does not consume the code, so exchange it now properly.
  const res = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier, client_id: 'spa',
  });
  assert.equal(res.status, 200, res.text);
  const { access_token: at, refresh_token: rt, id_token: idt } = res.json;
  assert.ok(at && rt && idt, `tokens: ${Object.keys(res.json)}`);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(as.counts.authorization_code, before + 2);

  const claims = jwtPayload(idt);
  assert.equal(claims.iss, as.issuer);
  assert.equal(claims.aud, 'spa');
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.sub, 'demo');
  assert.equal(claims.name, 'Demo User');
  assert.equal(claims.email, 'demo@example.test');
  assert.equal(JSON.parse(Buffer.from(idt.split('.')[0], 'base64url')).alg, 'RS256');

  const userinfo = await fetch(meta.userinfo_endpoint, { headers: { Authorization: `Bearer ${at}` } });
  assert.equal(userinfo.status, 200);
  assert.equal((await userinfo.json()).email, 'demo@example.test');

  const replay = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier, client_id: 'spa',
  });
  assert.equal(replay.status, 400);
  assert.equal(replay.json.error, 'invalid_grant');
});

test('PKCE is required and consent can be denied', async () => {
  const ua = new UserAgent();
  const noPkce = await ua.navigate(authorizationUrl({
    response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT_URI, scope: 'openid', state: 's1',
  }), { stopAt: atApp });
  const error = new URL(noPkce.location).searchParams;
  assert.equal(error.get('error'), 'invalid_request');
  assert.match(error.get('error_description'), /PKCE/);
  assert.equal(error.get('iss'), as.issuer);

  const denied = await authorize({ decision: 'deny' });
  assert.equal(denied.params.get('error'), 'access_denied');
  assert.equal(denied.params.get('state'), denied.state);
  assert.equal(denied.params.get('code'), null);
});

test('refresh tokens rotate; replaying an old one revokes the whole family', async () => {
  const { tokens } = await loginSpa();
  const before = as.counts.refresh_token ?? 0;

  const first = await refresh(tokens.refresh_token);
  assert.equal(first.status, 200, first.text);
  assert.ok(first.json.access_token);
  assert.ok(first.json.refresh_token);
  assert.notEqual(first.json.refresh_token, tokens.refresh_token, 'rotated');

  const replay = await refresh(tokens.refresh_token);
  assert.equal(replay.status, 400);
  assert.equal(replay.json.error, 'invalid_grant');

  const newest = await refresh(first.json.refresh_token);
  assert.equal(newest.status, 400, 'the newest refresh token died with the family');
  assert.equal(newest.json.error, 'invalid_grant');

  assert.equal(as.counts.refresh_token, before + 3);
  const reasons = as.events.filter((e) => e.name === 'grant.error' && e.grant_type === 'refresh_token');
  assert.ok(reasons.length >= 2, JSON.stringify(as.events));
  assert.ok(as.events.some((e) => e.name === 'grant.revoked'));
});

test('device flow: pending, user enters the code on the verification page, tokens', async () => {
  const start = await postForm(meta.device_authorization_endpoint, {
    client_id: 'device', scope: 'openid profile offline_access',
  });
  assert.equal(start.status, 200, start.text);
  const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri } = start.json;
  assert.ok(deviceCode && userCode && verificationUri);
  assert.ok(verificationUri.startsWith(`${as.issuer}/`));
  assert.match(userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);

  const poll = () => postForm(meta.token_endpoint, {
    grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'device',
  });
  const pending = await poll();
  assert.equal(pending.status, 400);
  assert.equal(pending.json.error, 'authorization_pending');

  const ua = new UserAgent();
  const input = await ua.navigate(verificationUri);
  assert.equal(input.status, 200);
  assert.match(input.text, /id="user_code"/);
  const wrong = await ua.submit(input, { button: 'submit', values: { user_code: 'BCDF-GHJK' } });
  assert.match(wrong.text, /id="error"/, 'a wrong code is refused');
  const done = await playUser(ua, wrong, { userCode });
  assert.equal(done.status, 200);
  assert.match(done.text, /id="success"/, done.text.slice(0, 300));

  const tokens = await poll();
  assert.equal(tokens.status, 200, tokens.text);
  assert.ok(tokens.json.access_token && tokens.json.refresh_token && tokens.json.id_token);
  assert.equal(jwtPayload(tokens.json.id_token).aud, 'device');

  const again = await poll();
  assert.equal(again.status, 400);
  assert.equal(again.json.error, 'invalid_grant');
});

test('the manual clock: time moves only when told, timers run at their moment in order, cleared ones never', async () => {
  const clock = manualClock(1_000_000);
  const ran = [];
  clock.setTimeout(() => ran.push(['b', clock.now()]), 200);
  const cleared = clock.setTimeout(() => ran.push(['never', clock.now()]), 50);
  clock.setTimeout(() => {
    ran.push(['a', clock.now()]);
    clock.setTimeout(() => ran.push(['set by a', clock.now()]), 50); // due within the same advance
  }, 100);
  clock.clearTimeout(cleared);
  assert.equal(clock.pending, 2);
  await clock.advance(99);
  assert.deepEqual(ran, []);
  assert.equal(clock.now(), 1_000_099);
  await clock.advance(1000);
  assert.deepEqual(ran, [['a', 1_000_100], ['set by a', 1_000_150], ['b', 1_000_200]]);
  assert.equal(clock.now(), 1_001_099);
  assert.equal(clock.pending, 0);
  assert.deepEqual(clock.requested, [200, 50, 100, 50]);

  // next(): waits for a timer to be set, then moves to it; run(): to each timer until settled.
  const later = clock.next();
  setImmediate(() => clock.setTimeout(() => ran.push(['next', clock.now()]), 300));
  assert.equal(await later, 300);
  assert.deepEqual(ran.at(-1), ['next', 1_001_399]);
  const waits = (async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => clock.setTimeout(resolve, 1000));
    return clock.now();
  })();
  assert.equal(await clock.run(waits), 1_004_399);
  await assert.rejects(clock.next({ within: 20 }), /no timer was set within 20 ms/);
});
