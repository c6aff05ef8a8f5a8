// createClient() in Node against the real test authorization server (oidc-provider) and test API:
// discovery, a full authorization-code + PKCE login played by scripts/dev-servers/http-client.mjs's
// UserAgent, the API through client.fetch, and the server's own errors judged by the core.
// Runs against the wasm core's client API in dist/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, loadIsolatedCore, OAuthError } from '../../dist/node.mjs';
import { perform } from '../../web/http.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const REDIRECT_URI = `${APP}/callback`;
const atApp = (url) => url.startsWith(`${APP}/`);
const now = () => Math.floor(Date.now() / 1000);

let as;
let api;
let core;

// sessionStorage's interface, in memory.

before(async () => {
  as = await startAuthServer({ appOrigin: APP });
  api = await startTestApi({ issuer: as.issuer });
  const real = await loadIsolatedCore();
  assert.equal(typeof real.clientCreate, 'function', 'dist/ has no client API (core.clientCreate)');
  core = real;
});

after(async () => {
  await api?.close();
  await as?.close();
});

const newClient = (options = {}) => createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid profile email',
  apiOrigins: [api.url], storage: new MemoryStorage(), core, ...options,
});

// Plays the user from the authorization URL to the redirect back to the app; returns that URL.
async function playLogin(authorizationUrl, { login = 'demo', decision = 'approve' } = {}) {
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: atApp });
  const done = await playUser(ua, first, { login, decision, stopAt: atApp });
  assert.ok(done.location, `the server did not redirect back: ${done.url} ${done.text.slice(0, 200)}`);
  return done.location;
}

test('discovery: the client holds the issuer\'s endpoints', async () => {
  const client = await newClient();
  assert.equal(client.metadata.issuer, as.issuer);
  assert.equal(client.metadata.authorizationEndpoint, `${as.issuer}/auth`);
  assert.equal(client.metadata.tokenEndpoint, `${as.issuer}/token`);
  assert.equal(await client.isAuthenticated(), false);
});

test('discovery: a document naming another issuer is refused (issuer_mismatch)', async () => {
  const forged = async (url, init) => {
    const res = await fetch(url, init);
    const doc = await res.json();
    return Response.json({ ...doc, issuer: 'http://127.0.0.1:9' }, { status: res.status });
  };
  await assert.rejects(newClient({ fetch: forged }), (e) => e instanceof OAuthError && e.code === 'issuer_mismatch');
});

test('a full login: redirect URL, the server\'s login, callback, tokens only in the core, the API by client.fetch', async () => {
  const storage = new MemoryStorage();
  const client = await newClient({ storage });
  const seen = [];
  client.on('login', (detail) => seen.push(['login', detail.user?.sub]));
  client.on('logout', () => seen.push(['logout']));

  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const sent = new URL(authorizationUrl);
  assert.equal(`${sent.origin}${sent.pathname}`, `${as.issuer}/auth`);
  assert.equal(sent.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(sent.searchParams.get('redirect_uri'), REDIRECT_URI);
  assert.ok(sent.searchParams.get('nonce'));
  assert.deepEqual(storage.entries().map(([k]) => k), ['oauth-wasm.tx.trip'], 'one transaction');

  const callback = await playLogin(authorizationUrl, { login: 'alice' });
  assert.equal(new URL(callback).searchParams.get('iss'), as.issuer);
  const tokenRequests = as.counts.authorization_code ?? 0;
  const result = await client.handleRedirectCallback(callback);
  assert.equal(as.counts.authorization_code, tokenRequests + 1);
  assert.equal(result.authenticated, true);
  assert.equal(result.user.sub, 'alice');
  assert.ok(result.expiresAt > now());
  assert.equal(storage.length, 0, 'the transaction is gone after the trip');
  assert.equal(await client.isAuthenticated(), true);
  // The same callback again (a reload, the back button): its transaction is used up.
  await assert.rejects(client.handleRedirectCallback(callback), (e) => e.code === 'state_mismatch');
  assert.equal(as.counts.authorization_code, tokenRequests + 1, 'no second token request');
  assert.equal(await client.isAuthenticated(), true, 'a refused replay leaves the session alone');
  assert.equal((await client.getUser()).email, 'alice@example.test');

  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, 'alice');

  const { token, tokenType } = await client.getAccessToken();
  assert.equal(tokenType, 'Bearer');
  assert.ok(token.length > 20);
  assert.ok(!storage.entries().flat().some((v) => v.includes(token)));

  await assert.rejects(client.fetch('http://127.0.0.2:9/me'), (e) => e.code === 'origin_not_allowed');
  await assert.rejects(client.fetch(`${as.issuer}/me`), (e) => e.code === 'origin_not_allowed', 'not even to the issuer');

  const calls = api.calls.me;
  await client.logout();
  assert.equal(await client.isAuthenticated(), false);
  await assert.rejects(client.fetch(`${api.url}/me`), (e) => e.code === 'login_required');
  await assert.rejects(client.getAccessToken(), (e) => e.code === 'login_required');
  assert.equal(api.calls.me, calls, 'the refused call never left');
  assert.deepEqual(seen, [['login', 'alice'], ['logout']]);
});

// Issue 21 item 6: `resource` as a client option, the default of every login and restore().
test('the client\'s resource indicators go with every login unless the login names its own', async () => {
  const client = await newClient({ resource: [api.url] });
  const urls = [];
  const openUrl = (url) => { urls.push(new URL(url)); };
  await client.loginWithRedirect({ openUrl });
  await client.loginWithRedirect({ openUrl, resource: ['https://other.example.test/'] });
  assert.deepEqual(urls.map((u) => u.searchParams.getAll('resource')), [[api.url], ['https://other.example.test/']]);
  await assert.rejects(newClient({ resource: ['not a uri'] }).then((c) => c.loginWithRedirect({ openUrl })),
    (e) => e instanceof OAuthError && e.code === 'invalid_argument', 'checked by the core as a login\'s own');
});

// A redirect login played up to its callback URL, with the transaction in `storage`.
async function tripToCallback(storage) {
  const client = await newClient({ storage });
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  return { client, callback: new URL(await playLogin(authorizationUrl)) };
}

test('exposeAccessToken: false: getAccessToken is refused by the session holder, client.fetch sends the token', async () => {
  const storage = new MemoryStorage();
  const client = await newClient({ storage, exposeAccessToken: false });
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  await client.handleRedirectCallback(await playLogin(authorizationUrl, { login: 'kim' }));
  await assert.rejects(client.getAccessToken(), (e) => e instanceof OAuthError && e.code === 'invalid_argument'
    && e.description === 'getAccessToken() is off for this client (exposeAccessToken: false): use client.fetch');
  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, 'kim');
  await client.logout();
});

test('a callback whose state matches no transaction is refused before any token request (state_mismatch)', async () => {
  const storage = new MemoryStorage();
  const { client, callback } = await tripToCallback(storage);
  callback.searchParams.set('state', 'forged-state');
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  const tokenRequests = as.counts.authorization_code ?? 0;
  await assert.rejects(client.handleRedirectCallback(callback.href), (e) => e.code === 'state_mismatch');
  assert.equal(as.counts.authorization_code ?? 0, tokenRequests, 'no token request was made');
  assert.equal(storage.length, 0, 'the transaction is gone whatever the outcome');
  assert.equal(await client.isAuthenticated(), false);
  assert.deepEqual(errors, ['state_mismatch']);
});

test('a new redirect login replaces a trip that never came back: one transaction in storage', async () => {
  const storage = new MemoryStorage();
  const client = await newClient({ storage });
  const states = [];
  for (let i = 0; i < 2; i++) {
    await client.loginWithRedirect({ openUrl: (url) => { states.push(new URL(url).searchParams.get('state')); } });
  }
  assert.notEqual(states[0], states[1]);
  assert.deepEqual(storage.entries().map(([k]) => k), ['oauth-wasm.tx.trip']);
  assert.match(storage.getItem('oauth-wasm.tx.trip'), new RegExp(states[1]), 'the second trip\'s');
});

test('a callback URL that does not parse still takes the stored transaction out of storage', async () => {
  const storage = new MemoryStorage();
  const { client, callback } = await tripToCallback(storage);
  assert.equal(storage.length, 1);
  // A path without its origin (as an HTTP server's request line gives it): new URL() refuses it.
  await assert.rejects(client.handleRedirectCallback(`${callback.pathname}${callback.search}`), (e) => e instanceof OAuthError);
  assert.deepEqual(storage.entries(), [], 'the PKCE verifier and nonce do not stay behind after a failed callback');
});

test('a redirect login whose navigation fails leaves no transaction in storage', async () => {
  const storage = new MemoryStorage();
  const client = await newClient({ storage });
  const refused = new Error('navigation refused');
  await assert.rejects(client.loginWithRedirect({ openUrl: () => { throw refused; } }), (e) => e === refused);
  await assert.rejects(client.loginWithRedirect({ openUrl: async () => { throw refused; } }), (e) => e === refused);
  assert.deepEqual(storage.entries(), [], 'a trip that never started keeps no verifier');
});

test('a callback whose iss is another issuer is refused (iss_mismatch, RFC 9207 mix-up defence)', async () => {
  const client = await newClient();
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const callback = new URL(await playLogin(authorizationUrl));
  callback.searchParams.set('iss', 'http://127.0.0.1:9');
  const tokenRequests = as.counts.authorization_code ?? 0;
  await assert.rejects(client.handleRedirectCallback(callback.href), (e) => e.code === 'iss_mismatch');
  assert.equal(as.counts.authorization_code ?? 0, tokenRequests);
  callback.searchParams.delete('iss');
  await assert.rejects(client.handleRedirectCallback(callback.href), (e) => e.code === 'state_mismatch', 'the transaction went with the first try');
});

test('consent denied at the server: access_denied, blamed on the remote side', async () => {
  const client = await newClient();
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const callback = await playLogin(authorizationUrl, { decision: 'deny' });
  await assert.rejects(client.handleRedirectCallback(callback), (e) => e.code === 'access_denied' && e.blame === 'remote');
  assert.equal(await client.isAuthenticated(), false);
});

test('a redirect answering the token request is an error, never followed (unexpected_redirect)', async () => {
  const followed = [];
  const client = await newClient({
    fetch: async (url, init) => {
      if (String(url).endsWith('/token')) return new Response(null, { status: 307, headers: { Location: 'http://127.0.0.2:9/steal' } });
      followed.push(String(url));
      return fetch(url, init);
    },
  });
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  await assert.rejects(client.handleRedirectCallback(await playLogin(authorizationUrl)), (e) => e.code === 'unexpected_redirect');
  assert.ok(!followed.some((u) => u.includes('127.0.0.2')));
  assert.equal(await client.isAuthenticated(), false);
});

test('the core judges the real server\'s token errors: a replayed code is invalid_grant (RFC 6749 §4.1.2)', async () => {
  const { handle: id, request } = core.clientCreate(JSON.stringify({
    issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI,
  })).value;
  assert.ok(core.clientSetMetadata(id, await perform(request)).ok);
  const { url, transaction } = core.clientAuthorize(id, '{}', now()).value;
  const callback = await playLogin(url);

  const step = core.clientCallback(id, callback, transaction, now());
  assert.equal(step.ok, true, JSON.stringify(step.error));
  assert.equal(step.value.kind, 'perform');
  const tokenRequest = step.value.request;
  assert.equal(tokenRequest.method, 'POST');
  assert.equal(tokenRequest.url, `${as.issuer}/token`);
  const body = new URLSearchParams(tokenRequest.body);
  assert.equal(body.get('grant_type'), 'authorization_code');
  assert.ok(body.get('code_verifier'));

  const first = await perform(tokenRequest);
  assert.equal(first.status, 200);
  const replay = await perform(tokenRequest); // the same code again
  assert.equal(replay.status, 400);

  const judged = core.clientResume(id, replay, now());
  assert.equal(judged.ok, false);
  assert.equal(judged.error.code, 'invalid_grant');
  assert.equal(judged.error.blame, 'remote');
  assert.equal(judged.error.status, 400);
  assert.equal(core.clientIsAuthenticated(id, now()).value, false);
});

test('restore() with silentRedirectUri outside a page: no frame to open, so with fallback none it resolves false', async () => {
  const client = await newClient({ silentRedirectUri: `${APP}/silent-callback` });
  assert.equal(await client.restore({ fallback: 'none' }), false);
});
