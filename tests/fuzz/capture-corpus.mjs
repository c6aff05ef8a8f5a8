// Captures the fuzzers' seed corpora from real exchanges with the test authorization server
// (oidc-provider on 127.0.0.1, scripts/dev-servers/auth-server.mjs) and the test API in front of it
// (scripts/dev-servers/test-api.mjs), in each harness's input format (see the header of
// tests/fuzz/fuzz_<target>.cpp). Run by hand when a harness or the server changes:
//   node tests/fuzz/capture-corpus.mjs [target ...]
// rewrites tests/fuzz/corpus/<target>/oidc-* for the named targets (all when none is named).
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, dpopProof, playUser, pkcePair, postForm } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173';
const REDIRECT_URI = `${APP}/callback`;
const atApp = (url) => url.startsWith(`${APP}/`);
const corpus = new URL('./corpus/', import.meta.url);
const written = new Set();
const only = new Set(process.argv.slice(2));

function seed(target, name, ...fields) {
  if (only.size > 0 && !only.has(target)) return;
  const dir = new URL(`${target}/`, corpus);
  if (!written.has(target)) {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (f.startsWith('oidc-')) rmSync(new URL(f, dir));
    written.add(target);
  }
  writeFileSync(new URL(`oidc-${name}`, dir), fields.join('\n'));
}
const text = async (res) => ({ status: res.status, body: await res.text() });
// A response with its headers, as fuzz::http_response reads it: status, "name: value" lines, an
// empty line, the body.
const withHeaders = (res, body) => [res.status, ...[...res.headers].map(([n, v]) => `${n}: ${v}`), '', body].join('\n');

async function login(as, { login: user = 'alice', extra = {} } = {}) {
  const pkce = pkcePair();
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  const url = new URL(`${as.issuer}/auth`);
  for (const [k, v] of Object.entries({
    response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT_URI, scope: 'openid profile email offline_access',
    state, nonce, code_challenge: pkce.challenge, code_challenge_method: 'S256', prompt: 'consent', ...extra,
  })) url.searchParams.set(k, v);
  const ua = new UserAgent();
  const first = await ua.navigate(url.href, { stopAt: atApp });
  const done = await playUser(ua, first, { login: user, stopAt: atApp });
  return { callback: done.location, state, nonce, pkce, ua };
}

const as = await startAuthServer({ appOrigin: APP, idTokenAlg: 'ES256' });
try {
  const discovery = await text(await fetch(`${as.issuer}/.well-known/openid-configuration`));
  seed('metadata', 'discovery', as.issuer, discovery.body);
  const meta = JSON.parse(discovery.body);
  const jwks = await text(await fetch(meta.jwks_uri));
  seed('jwks', 'jwks', jwks.body);

  const tx = await login(as);
  seed('callback_url', 'code', as.issuer, REDIRECT_URI, tx.state, tx.callback);
  const exchange = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code', code: new URL(tx.callback).searchParams.get('code'),
    redirect_uri: REDIRECT_URI, client_id: 'spa', code_verifier: tx.pkce.verifier,
  });
  seed('token_response', 'code-exchange', exchange.status, exchange.text);
  const tokens = exchange.json;
  seed('jws', 'id-token', JSON.stringify(JSON.parse(jwks.body)), tokens.id_token);
  // The harness signs with its own ES256 key (kid "fuzz"): the real header with that alg and
  // kid, the real claims.
  const [h, p] = tokens.id_token.split('.').map((part) => Buffer.from(part, 'base64url').toString());
  const claims = JSON.parse(p);
  const header = JSON.stringify({ ...JSON.parse(h), alg: 'ES256', kid: 'fuzz' });
  seed('id_token', 'login', as.issuer, 'spa', tx.nonce, claims.iat, '', tokens.access_token, header, p);
  seed('id_token', 'login-max-age', as.issuer, 'spa', tx.nonce, claims.iat + 30, 60, '', header, p);

  const refreshed = await postForm(meta.token_endpoint, {
    grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'spa',
  });
  seed('token_response', 'refresh', refreshed.status, refreshed.text);
  if (refreshed.json?.id_token) {
    const payload = Buffer.from(refreshed.json.id_token.split('.')[1], 'base64url').toString();
    seed('id_token', 'refresh', as.issuer, 'spa', '', JSON.parse(payload).iat, '', refreshed.json.access_token, header, payload);
  }

  const replay = await postForm(meta.token_endpoint, {
    grant_type: 'authorization_code', code: new URL(tx.callback).searchParams.get('code'),
    redirect_uri: REDIRECT_URI, client_id: 'spa', code_verifier: tx.pkce.verifier,
  });
  seed('oauth_error', 'code-replay', replay.status, replay.text);
  seed('token_response', 'code-replay', replay.status, replay.text);

  // The session harness: a login, the JWKS, a refresh, then the refresh token refused.
  const part = (status, body) => `${status}\n${body}`;
  const withoutIdToken = (text) => {
    const { id_token: _, ...rest } = JSON.parse(text);
    return JSON.stringify(rest);
  };
  seed('session', 'openid-login-refresh', 'openid profile email offline_access',
    [part(exchange.status, exchange.text), part(jwks.status, jwks.body), part(refreshed.status, refreshed.text),
      part(replay.status, replay.text)].join('\n---\n'));
  seed('session', 'oauth-login-refresh', 'api:read',
    [part(exchange.status, withoutIdToken(exchange.text)), part(refreshed.status, withoutIdToken(refreshed.text)),
      part(replay.status, replay.text)].join('\n---\n'));

  const badClient = await postForm(meta.token_endpoint, { grant_type: 'client_credentials' }, { basic: ['service', 'wrong'] });
  seed('oauth_error', 'invalid-client', badClient.status, badClient.text);
  const notFound = await text(await fetch(`${as.issuer}/no-such-endpoint`));
  seed('oauth_error', 'not-found', notFound.status, notFound.body);

  // prompt=none without a session: an error comes back to the redirect URI.
  const silent = await login(as, { extra: { prompt: 'none' } }).catch(() => null);
  if (silent?.callback) seed('callback_url', 'login-required', as.issuer, REDIRECT_URI, silent.state, silent.callback);

  const device = await postForm(meta.device_authorization_endpoint, { client_id: 'device', scope: 'openid' });
  seed('device_authorization', 'device', device.status, device.text);
  const pending = await postForm(meta.token_endpoint, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.json.device_code, client_id: 'device',
  });
  seed('oauth_error', 'authorization-pending', pending.status, pending.text);
  // Polled again at once (oidc-provider still answers authorization_pending). The poll harness:
  // interval, expires_in, then each poll's seconds since the last, status and body; a status 0 is
  // a poll that got no answer.
  const again = await postForm(meta.token_endpoint, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.json.device_code, client_id: 'device',
  });
  seed('device_poll', 'pending-twice', device.json.interval ?? 5, device.json.expires_in,
    [`0\n${pending.status}\n${pending.text}`, `0\n${again.status}\n${again.text}`, '10\n0\n',
      `20\n${exchange.status}\n${withoutIdToken(exchange.text)}`].join('\n---\n'));

  // The settings and login options as the shim sends them to the core (web/session.mjs).
  seed('settings', 'spa', JSON.stringify({ issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, apiOrigins: [APP] }),
    JSON.stringify({ scope: 'openid profile email offline_access' }));
  seed('settings', 'confidential', JSON.stringify({
    issuer: as.issuer, clientId: 'web', redirectUri: `${APP}/server/callback`, clockSkew: 30, transactionTtl: 300,
    clientSecret: 'web-secret', tokenEndpointAuthMethod: 'client_secret_post',
  }), JSON.stringify({
    scope: 'openid api:read', resource: [`${APP}/api`], prompt: 'login', loginHint: 'alice', maxAge: 300, extraParams: { ui_locales: 'en' },
  }));

  // The grant options as the shim sends them to the core (web/grants.mjs).
  seed('grant_options', 'device', JSON.stringify({ scope: 'openid' }));
  seed('grant_options', 'client-credentials', JSON.stringify({ scope: 'api:read', resource: [`${APP}/api`] }));

  // RP-initiated logout: the user confirms, and comes back to the post-logout URI with our state.
  const logoutState = randomBytes(32).toString('base64url');
  const endUrl = new URL(meta.end_session_endpoint);
  for (const [k, v] of Object.entries({
    id_token_hint: tokens.id_token, client_id: 'spa', post_logout_redirect_uri: `${APP}/`, state: logoutState,
  })) endUrl.searchParams.set(k, v);
  const back = await tx.ua.submit(await tx.ua.navigate(endUrl.href, { stopAt: atApp }), { button: 'logout', stopAt: atApp });
  seed('end_session_callback', 'logout', logoutState, back.location);

  // The transaction the shim keeps for the redirect, as the built core writes it (needs make dist).
  try {
    const { createClient, loadCore } = await import('../../dist/node.mjs');
    const storage = new MemoryStorage();
    const client = await createClient({ issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, storage, core: await loadCore() });
    await client.loginWithRedirect({ openUrl: () => {} });
    seed('transaction', 'redirect', storage.getItem(storage.key(0)));
  } catch (e) {
    console.warn(`transaction corpus skipped (${e.message}): run make dist first`);
  }
} finally {
  await as.close();
}

// PAR (RFC 9126) and DPoP with nonces (RFC 9449 §8, §9): a server with both, the test API before it.
const dpopAs = await startAuthServer({ appOrigin: APP, par: true, dpopRequireNonce: true });
const api = await startTestApi({ issuer: dpopAs.issuer, dpopNonce: true });
try {
  const meta = JSON.parse((await text(await fetch(`${dpopAs.issuer}/.well-known/openid-configuration`))).body);
  const pkce = pkcePair();
  const authorization = {
    response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT_URI, scope: 'openid profile',
    state: randomBytes(32).toString('base64url'), code_challenge: pkce.challenge, code_challenge_method: 'S256',
  };
  const pushed = await postForm(meta.pushed_authorization_request_endpoint, authorization);
  seed('par_response', 'created', withHeaders(pushed, pushed.text));
  const refused = await postForm(meta.pushed_authorization_request_endpoint,
    { ...authorization, redirect_uri: 'https://elsewhere.example.test/callback' });
  seed('par_response', 'invalid-redirect-uri', withHeaders(refused, refused.text));
  // The session's side (fuzz_client_push): a push answered, its callback, a push refused.
  seed('client_push', 'created-callback-refused', 'openid profile', '', ['authorize', withHeaders(pushed, pushed.text),
    'callback\n0', 'authorize', withHeaders(refused, refused.text)].join('\n---\n'));

  // The token endpoint demands a nonce, then issues a DPoP-bound token; the API demands its own.
  const tokenRequest = (nonce) => postForm(meta.token_endpoint,
    { grant_type: 'client_credentials', scope: 'api:read', resource: api.url },
    { basic: ['service', 'service-secret'], headers: { DPoP: dpopProof({ method: 'POST', url: meta.token_endpoint, nonce }) } });
  const demand = await tokenRequest();
  const issued = await tokenRequest(demand.headers.get('dpop-nonce'));
  const me = `${api.url}/me`;
  const call = (authorization, proof) => fetch(me, { headers: { Authorization: authorization, ...(proof ? { DPoP: proof } : {}) } });
  const token = issued.json?.access_token;
  const apiDemand = await call(`DPoP ${token}`, dpopProof({ method: 'GET', url: me, token }));
  const apiDemandBody = await apiDemand.text();
  const inactive = await call('DPoP bm90LWEtdG9rZW4', dpopProof({ method: 'GET', url: me, token: 'bm90LWEtdG9rZW4' }));
  const inactiveBody = await inactive.text();
  const bearer = await call('Bearer bm90LWEtdG9rZW4');
  const none = await fetch(me);
  seed('dpop_nonce', 'token-then-api', [
    `${meta.token_endpoint}\n${withHeaders(demand, demand.text)}`, `${meta.token_endpoint}\n${withHeaders(issued, issued.text)}`,
    `${me}\n${withHeaders(apiDemand, apiDemandBody)}`, `${me}\n${withHeaders(inactive, inactiveBody)}`,
  ].join('\n---\n'));
  for (const [name, res] of [['api-use-dpop-nonce', apiDemand], ['api-dpop-inactive', inactive], ['api-bearer-inactive', bearer],
    ['api-no-token', none]]) seed('www_authenticate', name, res.headers.get('www-authenticate') ?? '');
  const bearerBody = await bearer.text();
  await none.text();
  // The session's side (fuzz_client_resource), at the API origin the harness configures.
  const harnessMe = 'http://127.0.0.1:37083/me';
  seed('client_resource', 'api-dpop-nonce-then-inactive', 'DPoP',
    [`${harnessMe}\n${withHeaders(apiDemand, apiDemandBody)}`, `${harnessMe}\n${withHeaders(inactive, inactiveBody)}`].join('\n---\n'));
  seed('client_resource', 'api-bearer-inactive', 'Bearer', `${harnessMe}\n${withHeaders(bearer, bearerBody)}`);
} finally {
  await api.close();
  await dpopAs.close();
}
console.log(`seeds written for ${[...written].join(', ')}`);
