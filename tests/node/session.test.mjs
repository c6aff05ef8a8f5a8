// The session lifecycle in Node (isolation 'none': web/session.mjs in this realm) against the real
// authorization server (10-minute access tokens, on a clock the tests move: scripts/dev-servers/manual-clock.mjs,
// so nothing waits for a timer, and the server still holds the tokens valid): refresh with rotation as a single flight, on
// demand and ahead of expiry, retries that keep the session, session_expired after a stolen refresh
// token is replayed, the API's 401 invalid_token, redirects, revocation and RP-initiated logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createClient, loadIsolatedCore } from '../../dist/node.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser, postForm } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';
import { manualClock } from '../../scripts/dev-servers/manual-clock.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const REDIRECT_URI = `${APP}/callback`;
const atApp = (url) => url.startsWith(`${APP}/`);
const TTL = 600; // the server's access tokens, seconds

let as;
let api;
let core;
let mini; // a second API origin for what the test API cannot do: redirects, 401 on demand, POST
let miniUrl;
const miniSeen = [];


before(async () => {
  as = await startAuthServer({ appOrigin: APP, accessTokenTTL: TTL });
  api = await startTestApi({ issuer: as.issuer });
  core = await loadIsolatedCore();
  assert.equal(typeof core.clientRefresh, 'function', 'dist/ has no clientRefresh');
  mini = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { pathname } = new URL(req.url, 'http://x');
      miniSeen.push({ path: pathname, method: req.method, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
      if (pathname === '/hop') return res.writeHead(302, { Location: '/landed' }).end();
      if (pathname === '/away') return res.writeHead(307, { Location: `${api.url}/me` }).end();
      if (pathname === '/not-refused') {  // invalid_token only inside quoted text and in another scheme
        return res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="see error=invalid_token", Basic error=invalid_token' }).end();
      }
      if (pathname === '/refused') {
        return res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="revoked"' }).end();
      }
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: pathname }));
    });
  });
  await new Promise((r) => mini.listen(0, '127.0.0.1', r));
  miniUrl = `http://127.0.0.1:${mini.address().port}`;
});

after(async () => {
  mini?.closeAllConnections();
  await new Promise((r) => mini?.close(r));
  await api?.close();
  await as?.close();
});

// Records the refresh tokens the client sends and receives (the network view a thief would have).
function tap(fetchFn = fetch) {
  const sent = [];
  const issued = [];
  const wrapped = async (url, init) => {
    const body = typeof init?.body === 'string' ? new URLSearchParams(init.body) : null;
    if (body?.get('grant_type') === 'refresh_token') sent.push(body.get('refresh_token'));
    const res = await fetchFn(url, init);
    if (body?.has('grant_type')) {
      const json = await res.clone().json().catch(() => ({}));
      if (json.refresh_token) issued.push(json.refresh_token);
    }
    return res;
  };
  return { sent, issued, fetch: wrapped };
}

const newClient = (options = {}) => createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid profile email',
  apiOrigins: [api.url, miniUrl], storage: new MemoryStorage(), core, ...options,
});

// A full redirect login played by a cookie-keeping user agent; returns the agent and the result.
async function logIn(client, login = 'alice') {
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: atApp });
  const done = await playUser(ua, first, { login, stopAt: atApp });
  assert.ok(done.location, 'the server redirected back');
  return { ua, result: await client.handleRedirectCallback(done.location) };
}

const refreshes = () => as.counts.refresh_token ?? 0;
// Moves `clock` one second past expiresAt (seconds).
const untilExpired = (clock, expiresAt) => clock.advance(Math.max(0, expiresAt * 1000 - clock.now()) + 1000);

// The waits before a refresh's retries: 0.5 s, 1 s, 2 s, … each jittered by 0.5 to 1.5.
function assertBackoff(waits) {
  waits.forEach((ms, attempt) => {
    const base = 500 * 2 ** attempt;
    assert.ok(ms >= 0.5 * base && ms <= 1.5 * base, `retry ${attempt + 1} after ${ms} ms (${base} ms jittered)`);
  });
}

async function introspect(token) {
  const res = await postForm(`${as.issuer}/token/introspection`, { token }, { basic: ['api', 'api-secret'] });
  return res.json;
}

test('20 concurrent client.fetch calls on an expired access token: exactly one refresh, all succeed', async () => {
  const clock = manualClock();
  const client = await newClient({ autoRefresh: false, clock });
  const { result } = await logIn(client);
  const { token: old } = await client.getAccessToken();
  await untilExpired(clock, result.expiresAt);
  const before = refreshes();
  const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch(`${api.url}/me`)));
  assert.deepEqual(responses.map((r) => r.status), Array(20).fill(200));
  assert.equal(refreshes(), before + 1, 'one refresh request');
  assert.equal((await responses[0].json()).sub, 'alice');
  const { token } = await client.getAccessToken();
  assert.notEqual(token, old);
  assert.equal(refreshes(), before + 1, 'the fresh token is used as is');
  await client.logout();
});

test('the access token is refreshed ahead of expiry on a timer (margin capped at half its lifetime)', async () => {
  const clock = manualClock();
  const client = await newClient({ refreshMargin: 2 * TTL, clock });
  const { result } = await logIn(client);
  const before = refreshes();
  const { token: old } = await client.getAccessToken();
  assert.equal(refreshes(), before, 'a young token is not refreshed');
  assert.equal(result.expiresAt - Math.floor(clock.now() / 1000), TTL);
  const refreshed = new Promise((resolve) => client.on('refresh', resolve));
  await clock.advance((TTL / 2 - 1) * 1000);
  assert.equal(refreshes(), before, 'not before half its lifetime');
  await clock.advance(1000); // half-way: the timer fires
  await refreshed;
  assert.equal(refreshes(), before + 1, 'refreshed without a call');
  const { token, expiresAt } = await client.getAccessToken();
  assert.notEqual(token, old);
  assert.equal(expiresAt, result.expiresAt + TTL / 2, 'a new lifetime from the refresh');
  assert.equal(clock.pending, 1, 'the next refresh is timed');
  await client.logout();
  assert.equal(clock.pending, 0, 'no timer after logout');
  const after = refreshes();
  await clock.advance(TTL * 1000);
  assert.equal(refreshes(), after);
});

test('a server issuing tokens with expires_in 0 gets no refresh every second: no timer, refresh on demand', async () => {
  const zero = async (url, init) => {
    const res = await fetch(url, init);
    if (!String(init?.body).includes('grant_type=')) return res;
    const json = await res.json();
    return Response.json({ ...json, expires_in: 0 }, { status: res.status, headers: res.headers });
  };
  const clock = manualClock();
  const client = await newClient({ fetch: zero, clock });
  await logIn(client);
  const before = refreshes();
  assert.equal(clock.pending, 0, 'no refresh timer');
  await clock.advance(3500);
  assert.equal(refreshes(), before, 'no timer-driven refresh of a token born expired');
  await client.fetch(`${api.url}/me`).catch(() => {});
  assert.ok(refreshes() >= before + 1, 'a call refreshes it on demand');
  await client.logout();
});

// Issue 21 item 6: an event when the tokens are renewed, with no token in it.
test('a refresh emits refresh with expiresAt and scope only', async () => {
  const client = await newClient({ autoRefresh: false });
  await logIn(client);
  const seen = [];
  client.on('refresh', (detail) => seen.push(detail));
  const result = await client.refresh();
  assert.deepEqual(seen, [{ expiresAt: result.expiresAt, scope: result.scope }]);
  assert.ok(seen[0].expiresAt > Date.now() / 1000);
  await client.logout();
});

test('a refresh failing on the network is retried with backoff and keeps the session', async () => {
  let failures = 2;
  const flaky = async (url, init) => {
    if (String(init?.body).includes('grant_type=refresh_token') && failures-- > 0) throw new TypeError('fetch failed');
    return fetch(url, init);
  };
  const clock = manualClock();
  const client = await newClient({ autoRefresh: false, fetch: flaky, clock });
  await logIn(client);
  const before = refreshes();
  const refreshing = client.refresh();
  const waits = [await clock.next(), await clock.next()];
  const result = await refreshing;
  assert.equal(result.authenticated, true);
  assert.equal(refreshes(), before + 1, 'only the attempt that got through reached the server');
  assertBackoff(waits);
  assert.equal(await client.isAuthenticated(), true);
  await client.logout();
});

test('a server answering 503 exhausts the retries (4 attempts), rejects, and the session stays', async () => {
  let attempts = 0;
  const down = async (url, init) => {
    if (String(init?.body).includes('grant_type=refresh_token')) {
      attempts++;
      return Response.json({ error: 'temporarily_unavailable' }, { status: 503 });
    }
    return fetch(url, init);
  };
  const clock = manualClock();
  const client = await newClient({ autoRefresh: false, fetch: down, retries: 3, clock });
  await logIn(client);
  const events = [];
  client.on('session_expired', () => events.push('session_expired'));
  const refreshing = assert.rejects(client.refresh(), (e) => e.status === 503 && e.code !== 'session_expired');
  assertBackoff([await clock.next(), await clock.next(), await clock.next()]);
  await refreshing;
  assert.equal(attempts, 4);
  assert.equal(clock.pending, 0, 'no fourth wait');
  assert.equal(await client.isAuthenticated(), true, 'the session is kept');
  assert.deepEqual(events, []);
  // The core is not left with a pending request: the next refresh goes out.
  attempts = 0;
  const again = assert.rejects(client.refresh(), (e) => e.status === 503);
  for (let i = 0; i < 3; i++) await clock.next();
  await again;
  assert.equal(attempts, 4);
  await client.logout();
});

test('a replayed stolen refresh token ends the session: session_expired once, tokens gone, a new login works', async () => {
  const { sent, fetch: tapped } = tap();
  const client = await newClient({ autoRefresh: false, fetch: tapped });
  await logIn(client);
  const expired = [];
  client.on('session_expired', (e) => expired.push(e.code));
  await client.refresh(); // rotation: the sent token is now spent
  assert.equal(sent.length, 1);
  // The thief replays it: the server sees reuse and revokes the whole family.
  const replay = await postForm(`${as.issuer}/token`, { grant_type: 'refresh_token', refresh_token: sent[0], client_id: 'spa' });
  assert.equal(replay.json.error, 'invalid_grant');

  const before = refreshes();
  const outcomes = await Promise.allSettled([client.refresh(), client.refresh(), client.refresh()]);
  assert.deepEqual(outcomes.map((o) => o.reason?.code), ['session_expired', 'session_expired', 'session_expired']);
  assert.equal(refreshes(), before + 1, 'one refresh request for all callers');
  assert.deepEqual(expired, ['session_expired'], 'the event fired once');
  assert.equal(sent.length, 2);
  assert.equal(await client.isAuthenticated(), false);
  await assert.rejects(client.getAccessToken(), (e) => e.code === 'login_required');
  await assert.rejects(client.fetch(`${api.url}/me`), (e) => e.code === 'login_required');

  const { result } = await logIn(client, 'alice');
  assert.equal(result.user.sub, 'alice');
  assert.equal((await client.fetch(`${api.url}/me`)).status, 200);
  await client.refresh();
  await client.logout();
});

test('the API refuses the token (401 invalid_token): one refresh, one retry; a stream body is not retried', async () => {
  const client = await newClient({ autoRefresh: false });
  await logIn(client);
  const { token: old } = await client.getAccessToken();
  // Gone at the server while our clock still holds it valid: that token alone (oidc-provider 9's
  // revocation endpoint would end the whole grant, refresh token included).
  await (await as.provider.AccessToken.find(old)).destroy();
  const before = refreshes();
  const rejected = api.calls.rejected;
  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal(api.calls.rejected, rejected + 1);
  assert.equal(refreshes(), before + 1);

  // An API that keeps refusing: retried once, then its 401 is the answer.
  miniSeen.length = 0;
  const refused = await client.fetch(`${miniUrl}/refused`, { method: 'POST', body: 'hello' });
  assert.equal(refused.status, 401);
  assert.deepEqual(miniSeen.map((s) => s.body), ['hello', 'hello'], 'the body was sent again');
  assert.notEqual(miniSeen[0].authorization, miniSeen[1].authorization, 'with the refreshed token');
  assert.equal(refreshes(), before + 2);

  // invalid_token that is not a Bearer or DPoP challenge's error (RFC 6750 §3): no refresh.
  miniSeen.length = 0;
  const other = await client.fetch(`${miniUrl}/not-refused`);
  assert.equal(other.status, 401);
  assert.equal(miniSeen.length, 1, 'not retried');
  assert.equal(refreshes(), before + 2);

  miniSeen.length = 0;
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('once')); c.close(); } });
  const streamed = await client.fetch(`${miniUrl}/refused`, { method: 'POST', body: stream, duplex: 'half' });
  assert.equal(streamed.status, 401);
  assert.deepEqual(miniSeen.map((s) => s.body), ['once'], 'not retried');
  assert.equal(refreshes(), before + 2);
  await client.logout();
});

test('redirects: followed by hand within the origin with the token; another origin is refused before the token leaves', async () => {
  const client = await newClient({ autoRefresh: false });
  await logIn(client);
  miniSeen.length = 0;
  const res = await client.fetch(`${miniUrl}/hop`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { path: '/landed' });
  assert.deepEqual(miniSeen.map((s) => s.path), ['/hop', '/landed']);
  assert.ok(miniSeen.every((s) => s.authorization?.startsWith('Bearer ')));

  const calls = api.calls.total;
  await assert.rejects(client.fetch(`${miniUrl}/away`), (e) => e.code === 'unexpected_redirect');
  assert.equal(api.calls.total, calls, 'the other origin saw nothing');
  await client.logout();
});

test('redirects: an app fetch that follows them itself gets unexpected_redirect, not the answer from where it went', async () => {
  const client = await newClient({ autoRefresh: false, fetch: (url, init) => fetch(url, { ...init, redirect: 'follow' }) });
  await logIn(client);
  await assert.rejects(client.fetch(`${miniUrl}/hop`), (e) => e.code === 'unexpected_redirect');
  await client.logout();
});

test('logout revokes the refresh and access tokens at the server and wipes them; revoke: false only wipes', async () => {
  const { issued, fetch: tapped } = tap();
  const client = await newClient({ autoRefresh: false, fetch: tapped });
  await logIn(client);
  await client.refresh();
  const refreshToken = issued.at(-1); // the one the client holds now
  assert.equal((await introspect(refreshToken)).active, true);
  const { token } = await client.getAccessToken();
  assert.equal((await introspect(token)).active, true);
  const events = [];
  client.on('logout', () => events.push('logout'));
  await client.logout();
  assert.deepEqual(events, ['logout']);
  assert.equal((await introspect(token)).active, false, 'the access token is revoked');
  assert.equal((await introspect(refreshToken)).active, false, 'the refresh token is revoked');
  assert.equal(await client.isAuthenticated(), false);
  await assert.rejects(client.getAccessToken(), (e) => e.code === 'login_required');
  assert.ok(as.events.every((e) => e.name !== 'revocation.error'), JSON.stringify(as.events.filter((e) => e.name === 'revocation.error')));

  const kept = await newClient({ autoRefresh: false });
  await logIn(kept);
  const { token: keptToken } = await kept.getAccessToken();
  await kept.logout({ revoke: false });
  assert.equal((await introspect(keptToken)).active, true, 'not revoked');
  assert.equal(await kept.isAuthenticated(), false, 'but wiped');
});

test('logout while a refresh is in flight: the refresh lands first, then its rotated tokens are wiped and revoked; no timer is left', async () => {
  let release;
  let reached;
  const held = new Promise((resolve) => { release = resolve; });
  const arrived = new Promise((resolve) => { reached = resolve; });
  const slow = async (url, init) => {
    const res = await fetch(url, init);
    if (typeof init?.body === 'string' && new URLSearchParams(init.body).get('grant_type') === 'refresh_token') {
      reached(); // the server has rotated the refresh token; its answer waits here
      await held;
    }
    return res;
  };
  const { issued, fetch: tapped } = tap(slow);
  const clock = manualClock();
  const client = await newClient({ fetch: tapped, clock });
  await logIn(client);
  const refreshing = client.refresh();
  await arrived;
  const loggingOut = client.logout();
  await new Promise((resolve) => setImmediate(resolve)); // logout's wipe would have run by now, were it not queued
  assert.equal(await client.isAuthenticated(), true, 'logout waits for the refresh in flight');
  release();
  await refreshing;
  await loggingOut;
  const rotated = issued.at(-1);
  assert.equal(issued.length, 2, 'the login and the refresh each issued one');
  assert.equal(await client.isAuthenticated(), false);
  assert.equal((await introspect(rotated)).active, false, 'the refresh token the refresh brought is revoked');
  await assert.rejects(client.getAccessToken(), (e) => e.code === 'login_required');
  assert.equal(clock.pending, 0, 'no refresh timer survived the logout');
  const count = refreshes();
  await clock.advance(TTL * 1000);
  assert.equal(refreshes(), count);
});

test('logout with endSession: RP-initiated logout URL, the server session ends, the returning state is checked', async () => {
  const storage = new MemoryStorage();
  const client = await newClient({ autoRefresh: false, storage });
  const { ua, result } = await logIn(client, 'dana');
  assert.equal(result.user.sub, 'dana');
  let endUrl;
  await client.logout({ endSession: true, postLogoutRedirectUri: `${APP}/`, openUrl: (url) => { endUrl = url; } });
  const sent = new URL(endUrl);
  assert.equal(`${sent.origin}${sent.pathname}`, client.metadata.endSessionEndpoint);
  assert.equal(sent.searchParams.has('id_token_hint'), false, 'no ID token in the URL by default (RP-Initiated Logout 1.0 §2)');
  assert.equal(sent.searchParams.get('client_id'), 'spa');
  assert.equal(sent.searchParams.get('post_logout_redirect_uri'), `${APP}/`);
  const state = sent.searchParams.get('state');
  assert.ok(state);
  assert.equal(await client.isAuthenticated(), false, 'wiped before leaving');

  const page = await ua.navigate(endUrl, { stopAt: atApp });
  const back = await ua.submit(page, { button: 'logout', stopAt: atApp });
  assert.ok(back.location?.startsWith(`${APP}/`), `back at the app: ${back.location} ${back.text?.slice(0, 200)}`);
  assert.equal(new URL(back.location).searchParams.get('state'), state);
  assert.equal(await client.handleLogoutCallback(back.location), true);
  assert.equal(storage.length, 0, 'the logout state is gone');
  await assert.rejects(client.handleLogoutCallback(back.location), (e) => e.code === 'state_mismatch', 'used once');

  // The server session is gone: prompt=none now answers login_required.
  let authorizationUrl;
  await client.loginWithRedirect({ prompt: 'none', openUrl: (url) => { authorizationUrl = url; } });
  const silent = await ua.navigate(authorizationUrl, { stopAt: atApp });
  assert.equal(new URL(silent.location).searchParams.get('error'), 'login_required');
  await assert.rejects(client.handleRedirectCallback(silent.location), (e) => e.code === 'login_required');
});
