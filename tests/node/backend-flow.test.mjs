// The backend-for-frontend (createBackend) against the real authorization server and test API:
// login through its routes, the session cookie's flags and rotation, "who am I", the proxy with
// the session's token, refresh on demand (one per session), logout with revocation and
// RP-initiated logout and its state; and the bad input of issue 26: forged, replayed, foreign,
// late or refused callbacks (each a redirect to the app with a typed error), forged, missing or
// replayed post-logout states, missing or wrong CSRF headers, tampered or foreign cookies, an API
// origin not configured.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startBackendApp, listen } from '../../scripts/dev-servers/backend-app.mjs';
import { UserAgent } from '../../scripts/dev-servers/http-client.mjs';

let app;
before(async () => { app = await startBackendApp(); });
after(() => app.close());

const setCookies = (res) => res.headers.getSetCookie();
const json = async (res) => ({ status: res.status, body: await res.json() });
// A navigation the backend refused: a redirect to the app's errorPath ('/') with the code alone.
const refusedWith = (res) => {
  assert.equal(res.status, 302);
  const to = new URL(res.headers.get('location'), app.origin);
  assert.equal(to.origin + to.pathname, `${app.origin}/`);
  assert.deepEqual([...to.searchParams.keys()], ['error']);
  assert.equal(res.headers.get('oauth-wasm-error'), to.searchParams.get('error'));
  return to.searchParams.get('error');
};

test('login: the browser gets one HttpOnly, SameSite=Strict session cookie and lands on returnTo; the session knows the user', async () => {
  const { ua, callback } = await app.login({ login: 'alice', returnTo: '/reports?x=1', stopAtCallback: true });
  const res = await ua.request(callback);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/reports?x=1');
  const [session, tx] = setCookies(res);
  assert.match(session, /^oauth-wasm-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=86400$/,
    'on loopback http: no Secure and so no __Host- prefix');
  assert.match(tx, /^oauth-wasm-tx=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/, 'the transaction cookie is deleted');
  const { status, body } = await json(await app.call(ua, 'session'));
  assert.equal(status, 200);
  assert.equal(body.authenticated, true);
  assert.equal(body.user.sub, 'alice');
  assert.equal(body.user.name, 'Demo User');
  assert.ok(!JSON.stringify(body).match(/token/i), 'no token in what the browser gets');
});

test('a Secure origin gets the __Host- prefix and Secure', async () => {
  const { cookieNames } = await import('../../web/backend/cookies.mjs');
  assert.deepEqual(cookieNames(true), { session: '__Host-oauth-wasm-session', transaction: '__Host-oauth-wasm-tx', logout: '__Host-oauth-wasm-logout' });
  const { cookie, cookieSecurity } = await import('../../web/backend/cookies.mjs');
  assert.deepEqual(cookieSecurity('https://app.example'), { secure: true });
  assert.deepEqual(cookieSecurity('http://localhost:3000'), { secure: false });
  assert.equal(cookieSecurity('http://app.example'), null, 'plain http off loopback is refused');
  assert.match(cookie('__Host-x', 'v', { secure: true, sameSite: 'Strict' }), /; Secure$/);
});

test('the proxy calls a configured API with the session\'s token; the answer has no Set-Cookie', async () => {
  const ua = await app.login({ login: 'bob' });
  const before = app.api.calls.ok;
  const res = await app.proxy(ua, `${app.api.url}/me`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.sub, 'bob');
  assert.equal(app.api.calls.ok, before + 1);
  assert.deepEqual(setCookies(res), []);
});

test('an API origin not configured is refused before any session or token is used', async () => {
  const seen = [];
  const other = createServer((req, res) => { seen.push(req.headers.authorization ?? ''); res.end('{}'); });
  const url = await listen(other);
  try {
    const ua = await app.login({ login: 'carol' });
    const { status, body } = await json(await app.proxy(ua, `${url}/me`));
    assert.equal(status, 403);
    assert.equal(body.error, 'origin_not_allowed');
    const signedOut = await json(await app.proxy(new UserAgent(), `${url}/me`));
    assert.equal(signedOut.body.error, 'origin_not_allowed');
    const userinfo = await json(await app.proxy(ua, `${app.api.url.replace('127.0.0.1', 'localhost')}/me`));
    assert.equal(userinfo.body.error, 'origin_not_allowed', 'the same server under another host name is another origin');
    assert.deepEqual(seen, [], 'nothing reached the other server');
  } finally {
    other.close();
  }
});

test('a forged state, a replayed callback and a callback from another browser are refused; the first session stands', async () => {
  assert.equal(refusedWith(await new UserAgent().request(`${app.origin}/auth/callback?code=abc&state=forged`)), 'state_mismatch');
  assert.equal(refusedWith(await new UserAgent().request(`${app.origin}/auth/callback?code=abc`)), 'state_mismatch');

  const { ua, callback } = await app.login({ login: 'dave', stopAtCallback: true });
  // Another browser (no transaction cookie) cannot complete this browser's login (login CSRF).
  assert.equal(refusedWith(await new UserAgent().request(callback)), 'state_mismatch');
  // That attempt used the transaction up: this browser's own callback finds none either.
  const spent = await ua.request(callback);
  assert.equal(refusedWith(spent), 'state_mismatch');
  assert.match(setCookies(spent)[0], /^oauth-wasm-tx=; .*Max-Age=0$/, 'the transaction cookie goes');

  const second = await app.login({ login: 'dave', stopAtCallback: true });
  assert.equal((await second.ua.request(second.callback)).status, 302);
  assert.equal(refusedWith(await second.ua.request(second.callback)), 'state_mismatch', 'a state is used once');
  const still = await json(await app.call(second.ua, 'session'));
  assert.equal(still.body.user.sub, 'dave', 'the replay did not touch the session');
});

test('a callback with the server\'s error, or too late, redirects to the app with the code only, never the server\'s text', async () => {
  // The server's answer, as it would redirect with it (RFC 6749 §4.1.2.1): this browser's state.
  const refused = async (error) => {
    const { ua, callback } = await app.login({ login: 'erin', stopAtCallback: true });
    const url = new URL(callback);
    const answer = new URL(`${app.origin}/auth/callback`);
    for (const name of ['state', 'iss']) answer.searchParams.set(name, url.searchParams.get(name));
    answer.searchParams.set('error', error);
    answer.searchParams.set('error_description', '<script>alert(1)</script> call 555-0100');
    const res = await ua.request(answer.href);
    assert.ok(!res.headers.get('location').includes('script') && !res.headers.get('location').includes('555'));
    assert.equal((await json(await app.call(ua, 'session'))).body.authenticated, false);
    return refusedWith(res);
  };
  assert.equal(await refused('access_denied'), 'access_denied');
  assert.equal(await refused('consent_required'), 'consent_required');
  assert.equal(await refused('made_up_by_the_server'), 'server_error', 'a code outside the RFCs is not reflected');

  const late = await app.login({ login: 'erin', stopAtCallback: true });
  await app.clock.advance(601); // transactionTtl is 600 s
  assert.equal(refusedWith(await late.ua.request(late.callback)), 'transaction_expired');
  assert.equal((await json(await app.call(late.ua, 'session'))).body.authenticated, false);
});

test('CSRF: a missing or wrong header, a cross-site Sec-Fetch-Site or a foreign Origin is refused on every route', async () => {
  const ua = await app.login({ login: 'erin' });
  const before = app.api.calls.total;
  const cases = [
    { csrf: null }, { csrf: '0' }, { csrf: 'true' },
    { headers: { 'Sec-Fetch-Site': 'cross-site' } }, { headers: { 'Sec-Fetch-Site': 'same-site' } },
    { headers: { Origin: 'http://evil.example' } },
  ];
  for (const options of cases) {
    for (const [route, method] of [['session', 'GET'], ['logout', 'POST'], [`proxy?url=${encodeURIComponent(`${app.api.url}/me`)}`, 'POST']]) {
      const res = await app.call(ua, route, { method, ...options });
      assert.equal(res.status, 403, `${method} ${route} ${JSON.stringify(options)}`);
      assert.equal((await res.json()).error, 'invalid_request');
    }
  }
  assert.equal(app.api.calls.total, before, 'no refused request reached the API');
  const ok = await app.call(ua, 'session', { headers: { 'Sec-Fetch-Site': 'same-origin', Origin: app.origin } });
  assert.equal((await ok.json()).user.sub, 'erin', 'the session survived every refused request');
});

test('a tampered cookie or one of no session reads as signed out and is cleared; two sessions never mix', async () => {
  const frank = await app.login({ login: 'frank' });
  const grace = await app.login({ login: 'grace' });
  assert.equal((await (await app.call(frank, 'session')).json()).user.sub, 'frank');
  assert.equal((await (await app.call(grace, 'session')).json()).user.sub, 'grace');
  assert.equal((await (await app.proxy(grace, `${app.api.url}/me`)).json()).sub, 'grace');

  const value = frank.jar.header(app.origin).match(/oauth-wasm-session=([^;]+)/)[1];
  const flipped = value.slice(0, -1) + (value.at(-1) === 'A' ? 'B' : 'A');
  for (const bad of [flipped, value.slice(1), `${value}x`, 'x', '']) {
    const res = await fetch(`${app.origin}/auth/session`, { headers: { Cookie: `oauth-wasm-session=${bad}`, 'X-OAuth-Wasm-CSRF': '1' } });
    assert.deepEqual(await res.json(), { authenticated: false }, `cookie ${JSON.stringify(bad)}`);
    if (bad) assert.match(setCookies(res)[0], /^oauth-wasm-session=; .*Max-Age=0$/);
    const proxied = await fetch(`${app.origin}/auth/proxy?url=${encodeURIComponent(`${app.api.url}/me`)}`,
      { headers: { Cookie: `oauth-wasm-session=${bad}`, 'X-OAuth-Wasm-CSRF': '1' } });
    assert.equal(proxied.status, 401);
    assert.equal((await proxied.json()).error, 'login_required');
  }
});

test('a new login rotates the session id; the old id no longer works', async () => {
  const ua = await app.login({ login: 'heidi' });
  const first = ua.jar.header(app.origin);
  await app.login({ ua, login: 'heidi' });
  const second = ua.jar.header(app.origin);
  assert.notEqual(first, second);
  const old = await fetch(`${app.origin}/auth/session`, { headers: { Cookie: first.match(/oauth-wasm-session=[^;]+/)[0], 'X-OAuth-Wasm-CSRF': '1' } });
  assert.deepEqual(await old.json(), { authenticated: false });
  assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'heidi');
});

test('refresh: a due token is refreshed once for concurrent calls, with rotation, and the calls go through', async () => {
  const ua = await app.login({ login: 'ivan' });
  const refreshes = app.as.counts.refresh_token ?? 0;
  await app.clock.advance(600); // the access token (600 s) is now past its margin
  const answers = await Promise.all(Array.from({ length: 6 }, () => app.proxy(ua, `${app.api.url}/me`)));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  assert.equal(app.as.counts.refresh_token, refreshes + 1, 'one refresh for six calls');
  await app.clock.advance(600);
  assert.equal((await app.proxy(ua, `${app.api.url}/me`)).status, 200);
  assert.equal(app.as.counts.refresh_token, refreshes + 2, 'the rotated refresh token works in turn');
});

test('logout revokes the tokens, ends the session and clears the cookie; endSession gives the end_session URL and form', async () => {
  const ua = await app.login({ login: 'judy' });
  const proxied = await app.proxy(ua, `${app.api.url}/me`);
  assert.equal(proxied.status, 200);
  const res = await app.call(ua, 'logout', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.deepEqual(await res.json(), {});
  assert.match(setCookies(res)[0], /^oauth-wasm-session=; .*Max-Age=0$/);
  assert.ok(app.as.events.some((e) => e.name === 'grant.revoked'), 'the grant was revoked at the server');
  assert.deepEqual(await (await app.call(ua, 'session')).json(), { authenticated: false });

  const kim = await app.login({ login: 'kim' });
  const cookie = kim.jar.header(app.origin);
  const out = await (await app.call(kim, 'logout', { method: 'POST', body: '{"endSession":true}' })).json();
  const end = new URL(out.endSessionUrl);
  assert.equal(end.origin, new URL(app.as.issuer).origin);
  assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${app.origin}/auth/logged-out`);
  assert.equal(end.searchParams.get('client_id'), 'web');
  assert.equal(end.searchParams.has('id_token_hint'), false, 'the ID token does not go to the browser');
  assert.deepEqual(Object.keys(out), ['endSessionUrl'], 'the page gets the GET URL only');
  const again = await fetch(`${app.origin}/auth/session`, { headers: { Cookie: cookie, 'X-OAuth-Wasm-CSRF': '1' } });
  assert.deepEqual(await again.json(), { authenticated: false }, 'the old cookie is dead on the server too');
});

test('unknown routes are 404; a bad returnTo goes home; a body that is not a JSON object is invalid_request', async () => {
  const ua = await app.login({ login: 'leo' });
  assert.equal((await app.call(ua, 'nothing')).status, 404);
  assert.equal((await app.call(ua, 'login/x')).status, 404);
  // '/日本' is no open redirect, but a Location header cannot carry it: the callback's redirect failed
  // (500, after the login was spent and the browser's previous session ended).
  for (const returnTo of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'home', '/\u65e5\u672c', '/a\tb']) {
    const res = await new UserAgent().request(`${app.origin}/auth/login?${new URLSearchParams({ returnTo })}`);
    assert.equal(res.status, 302);
    const again = await app.login({ returnTo });
    assert.equal(again.landedAt, `${app.origin}/`, `returnTo ${returnTo}`);
  }
  for (const body of ['{', 'null', '[]', '1']) {
    const bad = await app.call(ua, 'logout', { method: 'POST', body });
    assert.equal(bad.status, 400, `body ${body}`);
    assert.equal((await bad.json()).error, 'invalid_request');
  }
});

// The server's redirect after RP-initiated logout, through oidc-provider's own confirmation page.
async function loggedOutRedirect(ua) {
  const out = await (await app.call(ua, 'logout', { method: 'POST', body: '{"endSession":true}' })).json();
  const page = await ua.navigate(out.endSessionUrl);
  const done = await ua.submit(page, { values: { logout: 'yes' }, stopAt: (url) => url.startsWith(`${app.origin}/auth/logged-out`) });
  assert.ok(done.location, `no redirect back: ${done.status} ${done.text.slice(0, 200)}`);
  return done.location;
}

test('RP-initiated logout: the server\'s redirect back carries the state the backend made; it leads to afterLogout, once', async () => {
  const ua = await app.login({ login: 'lena' });
  const back = await loggedOutRedirect(ua);
  assert.ok(new URL(back).searchParams.get('state'));
  const res = await ua.request(back);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/');
  assert.match(setCookies(res)[0], /^oauth-wasm-logout=; .*Max-Age=0$/);
  assert.equal(refusedWith(await ua.request(back)), 'state_mismatch', 'a replayed state is refused');
});

test('a forged, missing or foreign post-logout state is refused with state_mismatch', async () => {
  const ua = await app.login({ login: 'mona' });
  const back = await loggedOutRedirect(ua);
  const forged = new URL(back);
  forged.searchParams.set('state', 'forged');
  assert.equal(refusedWith(await ua.request(forged.href)), 'state_mismatch', 'forged');
  const missing = new URL(back);
  missing.searchParams.delete('state');
  assert.equal(refusedWith(await ua.request(missing.href)), 'state_mismatch', 'missing');
  // Another browser (no logout cookie) with the right state: refused, and the state is spent.
  assert.equal(refusedWith(await new UserAgent().request(back)), 'state_mismatch', 'another browser');
  assert.equal(refusedWith(await ua.request(back)), 'state_mismatch', 'spent by that attempt');
});

test('the post-logout redirect URI is the backend\'s own; afterLogout and errorPath are local paths', async () => {
  const { createBackend } = await import('../../dist/node.mjs');
  const base = { issuer: app.as.issuer, clientId: 'web', clientSecret: 'web-secret', origin: app.origin };
  for (const extra of [{ postLogoutRedirectUri: `${app.origin}/` }, { afterLogout: 'https://evil.example/' }, { errorPath: '//evil.example' }]) {
    await assert.rejects(createBackend({ ...base, ...extra }), { code: 'invalid_argument' }, JSON.stringify(extra));
  }
});

test('settings the core refuses are refused by createBackend itself, before any login', async () => {
  const { createBackend } = await import('../../dist/node.mjs');
  const sent = [];
  const base = { issuer: app.as.issuer, clientId: 'web', clientSecret: 'web-secret', origin: app.origin, fetch: (url) => sent.push(url) };
  for (const [extra, code] of [[{ refreshMargin: -1 }, 'invalid_argument'], [{ refreshMargin: 86401 }, 'invalid_argument'],
    [{ issuer: 'http://auth.example' }, 'insecure_issuer'], [{ clientId: '' }, 'invalid_argument']]) {
    await assert.rejects(createBackend({ ...base, ...extra }), { code }, JSON.stringify(extra));
  }
  assert.equal(typeof await createBackend({ ...base, refreshMargin: 0 }), 'function', 'good settings make a handler');
  assert.deepEqual(sent, [], 'judging the settings sends nothing');
});
