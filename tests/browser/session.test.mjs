// The session lifecycle in Chromium against the real authorization server with 4-second access
// tokens from a login (a refreshed one lives 10 minutes, so that no second refresh falls due while a
// test's calls run, however slow the machine): the session lives in a SharedWorker (the page loads no wasm), 20 concurrent calls and
// two tabs make one refresh, a replayed stolen refresh token ends the session (session_expired,
// then a new login), a reload restores through prompt=none once and never loops, logout revokes.
// Nothing token-like in web storage, cookies or URLs, and the page cannot reach the refresh token.
//
// Playwright does not see a SharedWorker's requests, so the refresh tokens on the wire are read
// where they arrive: the authorization server's grant.success event shows what the worker sent.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { postForm } from '../../scripts/dev-servers/http-client.mjs';
import { openReady, withBrowser as inBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { persistedState } from '../../scripts/dev-servers/spa-page.mjs';

const TTL = 4;
// The session lives in a worker, on the system's clock (a page's clock cannot cross to it): the
// tests wait for the server's real expiry of a login's token, and a refreshed one outlives the test.
const accessTokenTtl = (ctx) => (ctx?.oidc?.params?.grant_type === 'refresh_token' ? 600 : TTL);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let app;
let as;
let api;
const wire = { sent: [], issued: [] }; // refresh tokens sent to and issued by the token endpoint

before(async () => {
  app = await startAppServer();
  as = await startAuthServer({ appOrigin: app.url, accessTokenTTL: TTL, ttlOverrides: { AccessToken: accessTokenTtl } });
  api = await startTestApi({ issuer: as.issuer });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
  as.provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') wire.sent.push(ctx.oidc.params.refresh_token);
    if (ctx.body?.refresh_token) wire.issued.push(ctx.body.refresh_token);
  });
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

beforeEach(() => {
  app.configure({ client: { autoRefresh: false }, restore: false });
});

// The shim's isolation warnings (console lines naming oauth-wasm) count as problems here.
const withBrowser = (fn) => inBrowser(fn, { alsoProblem: /oauth-wasm/i });
const openApp = (context, path = '/') => openReady(context, app.url + path);
const text = (page, selector) => page.locator(selector).textContent();
const refreshes = () => as.counts.refresh_token ?? 0;

// Plays the user on the server's pages (login, then consent when asked) until the app's callback
// page is ready; the server may skip either page when its session and grant already exist.
async function loginByRedirect(page, login = 'alice', server = as) {
  await Promise.all([page.waitForURL((u) => u.href.startsWith(`${server.issuer}/`)), page.click('#login-redirect')]);
  for (;;) {
    const quiet = (p) => p.catch(() => 'gone');
    const at = await Promise.race([
      quiet(page.waitForSelector('#login-form').then(() => 'login')),
      quiet(page.waitForSelector('#consent-form').then(() => 'consent')),
      quiet(page.waitForURL(`${app.url}/callback**`).then(() => 'back')),
    ]);
    if (at === 'back') break;
    const from = page.url();
    if (at === 'login') {
      await page.fill('#login', login);
      await page.fill('#password', 'any password');
    }
    await page.click(at === 'login' ? '#submit' : '#approve');
    await page.waitForURL((u) => u.href !== from);
  }
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
}

// Calls client.fetch n times at once in the page; the statuses, or error codes.
const fetchMany = (page, n) => page.evaluate(({ url, n }) => Promise.all(Array.from({ length: n },
  () => app.active.fetch(url).then((r) => r.status, (e) => e.code))), { url: `${api.url}/me`, n });

// Until the login's token (issued before now, for TTL seconds) has expired. Not read through the
// session: getAccessToken() would refresh a token past half its life, and a refreshed one lives 600 s.
const untilExpired = () => sleep(TTL * 1000 + 1100);

// Every place page script can persist data, and every URL the app server saw: no token, nothing
// JWT-shaped, no transaction left behind.
async function assertNothingStored(page, context, tokens) {
  const found = await persistedState(page);
  const cookies = (await context.cookies(app.url)).map((c) => `${c.name}=${c.value}`).join('\n');
  assert.deepEqual(found.databases, []);
  assert.deepEqual(found.caches, []);
  for (const [where, value] of Object.entries({ ...found, cookies, requests: app.requests.join('\n') })) {
    if (typeof value !== 'string') continue;
    for (const token of tokens) assert.ok(!value.includes(token), `a token is in ${where}`);
    assert.doesNotMatch(value, /eyJ[\w-]+\.eyJ[\w-]+\./, `a JWT is in ${where}`);
  }
  assert.doesNotMatch(found.session, /oauth-wasm\.tx\./, 'no transaction left');
}

// Walks everything page script can reach from window (own properties, getters of instances,
// prototypes, Map/Set contents, storage, the bytes of any ArrayBuffer; closures are out of reach
// of script and so of this search) looking for any of `secrets`; resolves to the paths of hits.
const searchPage = (page, secrets) => page.evaluate((secrets) => {
  const seen = new WeakSet();
  const hits = [];
  const queue = [[window, 'window']];
  let visited = 0;
  while (queue.length && visited < 200000) {
    const [value, path] = queue.shift();
    visited++;
    if (typeof value === 'string') {
      if (secrets.some((s) => value.includes(s))) hits.push(path);
      continue;
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = value instanceof ArrayBuffer ? value : value.buffer;
      if (bytes.byteLength && secrets.some((s) => new TextDecoder('latin1').decode(bytes).includes(s))) hits.push(path);
      continue;
    }
    if (value instanceof Storage) {
      for (let i = 0; i < value.length; i++) queue.push([value.getItem(value.key(i)), `${path}[${value.key(i)}]`]);
      continue;
    }
    if (value instanceof Map || value instanceof Set) for (const [k, v] of value.entries()) queue.push([k, `${path}.key`], [v, `${path}.get`]);
    let names = [];
    try { names = Reflect.ownKeys(value); } catch { /* a cross-origin window */ }
    const prototype = Object.hasOwn(value, 'constructor') && value.constructor?.prototype === value;
    for (const name of names) {
      const d = Object.getOwnPropertyDescriptor(value, name);
      let child = d?.value;
      // Getters run on instances only (on a prototype they throw, or reject a promise).
      if (d?.get && !prototype) try { child = value[name]; } catch { continue; }
      if (child instanceof Promise) child.catch(() => {});
      else queue.push([child, `${path}.${String(name)}`]);
    }
    try { queue.push([Object.getPrototypeOf(value), `${path}.__proto__`]); } catch { /* */ }
  }
  return { hits, visited };
}, secrets);

test('the session lives in a SharedWorker: the page loads no wasm; 20 concurrent calls on an expired token make one refresh', () => withBrowser(async (context) => {
  const page = await openApp(context);
  await loginByRedirect(page);
  const pageResources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.ok(pageResources.includes('/dist/worker.mjs') || app.requests.includes('/dist/worker.mjs'), 'the worker was loaded');
  assert.ok(!pageResources.some((p) => p.endsWith('.wasm')), `the page itself fetched no wasm: ${pageResources}`);
  assert.ok(app.requests.includes('/dist/oauth-wasm-core.wasm'), 'the worker did');

  await untilExpired();
  const before = refreshes();
  assert.deepEqual(await fetchMany(page, 20), Array(20).fill(200));
  assert.equal(refreshes(), before + 1, 'exactly one refresh request');
  assert.equal(api.calls.rejected, 0, 'no expired token was sent');
  await assertNothingStored(page, context, [...wire.sent, ...wire.issued]);
}));

test('two tabs share one session: the second is logged in at once; both refresh concurrently with one request; logout reaches both', () => withBrowser(async (context) => {
  const one = await openApp(context);
  await loginByRedirect(one, 'bob');
  const logins = as.counts.authorization_code;
  const two = await openApp(context);
  assert.equal(await text(two, '#status'), 'authenticated', 'the second tab found the session');
  assert.equal(JSON.parse(await text(two, '#user')).sub, 'bob');
  assert.equal(as.counts.authorization_code, logins, 'no second login');

  await untilExpired();
  const before = refreshes();
  const [a, b] = await Promise.all([fetchMany(one, 5), fetchMany(two, 5)]);
  assert.deepEqual([...a, ...b], Array(10).fill(200));
  assert.equal(refreshes(), before + 1, 'exactly one refresh request for both tabs');
  const [t1, t2] = await Promise.all([one, two].map((p) => p.evaluate(() => app.active.getAccessToken().then((t) => t.token))));
  assert.equal(t1, t2, 'one token set');

  await one.click('#logout');
  await two.waitForFunction(() => app.events.some((e) => e.type === 'logout'));
  assert.equal(await two.evaluate(() => app.active.isAuthenticated()), false);
}));

test('the worker refreshes ahead of expiry on its own, with no page asking', () => withBrowser(async (context) => {
  app.configure({ client: { refreshMargin: 60 } }); // capped at half the 4 s lifetime
  const page = await openApp(context);
  await loginByRedirect(page, 'gina');
  const { token: old } = await page.evaluate(() => app.active.getAccessToken());
  const before = refreshes();
  // The worker's own timer, on the system's clock: due at half the lifetime (2 s).
  for (let waited = 0; refreshes() === before && waited < 10 * TTL * 1000; waited += 50) await sleep(50);
  assert.ok(refreshes() >= before + 1, 'refreshed on a timer');
  const { token } = await page.evaluate(() => app.active.getAccessToken());
  assert.notEqual(token, old);
  assert.deepEqual(await fetchMany(page, 3), [200, 200, 200]);
}));

test('a stolen refresh token replayed: the server revokes the family, the client ends the session (session_expired) and a new login works', () => withBrowser(async (context) => {
  const page = await openApp(context);
  await loginByRedirect(page, 'carol');
  const sentBefore = wire.sent.length;
  await page.evaluate(() => app.active.refresh());
  assert.equal(wire.sent.length, sentBefore + 1);
  const stolen = wire.sent.at(-1); // as seen on the wire; now spent by rotation
  const current = wire.issued.at(-1); // the one the worker holds

  // The page's script cannot reach either: not in any object, storage or URL it can see.
  const { hits, visited } = await searchPage(page, [stolen, current]);
  assert.deepEqual(hits, [], 'no refresh token reachable from window');
  assert.ok(visited > 1000, `the search walked the page (${visited} values)`);
  // The search does find a value put where script can reach it.
  await page.evaluate(() => { app.probe = new Map([['k', { deep: [new TextEncoder().encode('probe:needle-1')] }]]); });
  assert.deepEqual((await searchPage(page, ['needle-1'])).hits, ['window.app.probe.get.deep.0']);
  await page.evaluate(() => { delete app.probe; });

  const replay = await postForm(`${as.issuer}/token`, { grant_type: 'refresh_token', refresh_token: stolen, client_id: 'spa' });
  assert.equal(replay.json.error, 'invalid_grant', 'reuse is refused');

  // The access token went with the family: the API says invalid_token, the client refreshes once,
  // the server refuses (invalid_grant): session_expired for every caller, one refresh request.
  const before = refreshes();
  assert.deepEqual(await fetchMany(page, 5), Array(5).fill('session_expired'));
  assert.equal(refreshes(), before + 1);
  assert.deepEqual(await page.evaluate(() => app.events.filter((e) => e.type === 'session_expired')), [{ type: 'session_expired', code: 'session_expired' }]);
  assert.equal(await page.evaluate(() => app.active.isAuthenticated()), false);
  assert.equal(await page.evaluate(() => app.active.getAccessToken().then(() => 'token', (e) => e.code)), 'login_required');

  await loginByRedirect(page, 'carol');
  assert.deepEqual(await fetchMany(page, 1), [200]);
  await assertNothingStored(page, context, [...wire.sent, ...wire.issued]);
}));

test('a reload restores the session through one prompt=none redirect and returns to the page', () => withBrowser(async (context) => {
  app.configure({ restore: true, client: { autoRefresh: false } });
  const authRequests = [];
  context.on('request', (r) => {
    if (r.url().startsWith(`${as.issuer}/auth?`)) authRequests.push(new URL(r.url()).searchParams.get('prompt'));
  });
  const first = await openApp(context, '/?from=home');
  // A fresh profile has no server session: one silent attempt, login_required, logged out.
  assert.deepEqual(authRequests, ['none']);
  assert.equal(await text(first, '#status'), 'anonymous');
  assert.equal(first.url(), `${app.url}/?from=home`, 'back on the page it started from');
  await loginByRedirect(first, 'dana');

  // Only tab of the origin: a reload ends the worker and the session with it.
  await first.close();
  const page = await openApp(context, '/?from=reload');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
  assert.deepEqual(authRequests, ['none', null, 'none'], 'one silent redirect restored it');
  assert.equal(page.url(), `${app.url}/?from=reload`);
  assert.equal(JSON.parse(await text(page, '#user')).sub, 'dana');
  assert.deepEqual(await fetchMany(page, 1), [200]);
  assert.equal(await page.evaluate(() => app.restored), undefined, 'this load ran the callback');
  await page.reload();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
  assert.equal(authRequests.length, 4, 'each reload tries once');
  await assertNothingStored(page, context, [...wire.sent, ...wire.issued]);
}));

test('no server session: restore answers login_required once per tab and never loops', () => withBrowser(async (context) => {
  app.configure({ restore: true, client: { autoRefresh: false } });
  const authRequests = [];
  context.on('request', (r) => {
    if (r.url().startsWith(`${as.issuer}/auth?`)) authRequests.push(new URL(r.url()).searchParams.get('prompt'));
  });
  const page = await openApp(context);
  assert.deepEqual(authRequests, ['none']);
  assert.equal(await text(page, '#status'), 'anonymous');
  assert.equal(await text(page, '#error-code'), 'login_required');
  assert.equal(page.url(), `${app.url}/`);
  for (let i = 0; i < 2; i++) {
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    assert.equal(await text(page, '#status'), 'anonymous');
    assert.equal(await page.evaluate(() => app.restored), false);
  }
  assert.deepEqual(authRequests, ['none'], 'tried once in this tab');
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).join()), 'oauth-wasm.restore', 'only the marker, no token');
}));

test('logout revokes at the server (introspection: inactive) and wipes the worker\'s session', () => withBrowser(async (context) => {
  const page = await openApp(context);
  await loginByRedirect(page, 'erin');
  await page.evaluate(() => app.active.refresh());
  const refreshToken = wire.issued.at(-1);
  const { token } = await page.evaluate(() => app.active.getAccessToken());
  const introspect = async (t) => (await postForm(`${as.issuer}/token/introspection`, { token: t }, { basic: ['api', 'api-secret'] })).json.active;
  assert.equal(await introspect(token), true);
  assert.equal(await introspect(refreshToken), true);
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
  await page.waitForFunction(() => app.events.some((e) => e.type === 'logout'));
  // The revocation requests leave after the wipe; give them a moment.
  for (let i = 0; i < 20 && (await introspect(refreshToken)); i++) await sleep(100);
  assert.equal(await introspect(refreshToken), false, 'the refresh token is revoked');
  assert.equal(await introspect(token), false, 'the access token is revoked');
  assert.deepEqual(await fetchMany(page, 1), ['login_required']);
  await assertNothingStored(page, context, [token, refreshToken]);
}));

// The default: GET with client_id and without id_token_hint (RP-Initiated Logout 1.0 §2 allows
// both), against a server that refuses POST at end_session as oidc-provider 9 does as shipped.
test('logout with endSession by default: a GET to end_session with client_id and no id_token_hint, where POST is refused; the tokens and the server session are gone', () => withBrowser(async (context) => {
  const strict = await startAuthServer({ appOrigin: app.url, endSessionPost: false });
  app.configure({ issuer: strict.issuer });
  try {
    const page = await openApp(context);
    await loginByRedirect(page, 'gina', strict);
    const { token } = await page.evaluate(() => app.active.getAccessToken());
    const toServer = [];
    page.on('request', (r) => r.url().startsWith(`${strict.issuer}/`) && toServer.push(r));
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(`${strict.issuer}/`)),
      page.evaluate(() => app.active.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/` })),
    ]);
    const end = toServer.find((r) => r.isNavigationRequest());
    assert.equal(end.method(), 'GET');
    const query = new URL(end.url()).searchParams;
    assert.equal(query.get('client_id'), 'spa');
    assert.equal(query.get('post_logout_redirect_uri'), `${app.url}/`);
    assert.ok(query.get('state'));
    assert.equal(query.has('id_token_hint'), false, 'no ID token in the URL, so none in history');
    await page.waitForSelector('#logout-form'); // the server's own confirmation page
    await page.click('#logout');
    await page.waitForURL(`${app.url}/`);
    await page.waitForSelector('body[data-ready]');
    assert.equal(await page.evaluate(() => app.loggedOut), true, 'handleLogoutCallback accepted the state');
    assert.equal(await text(page, '#status'), 'anonymous');
    assert.equal(await page.evaluate(() => app.active.isAuthenticated()), false);
    const introspected = await postForm(`${strict.issuer}/token/introspection`, { token }, { basic: ['api', 'api-secret'] });
    assert.equal(introspected.json.active, false, 'the access token is revoked');

    // The server session is over: a silent login now answers login_required.
    app.configure({ restore: true, client: { autoRefresh: false } });
    await page.goto(`${app.url}/`);
    await page.waitForSelector('body[data-ready]');
    await page.waitForFunction(() => document.getElementById('error-code').textContent === 'login_required');
    assert.deepEqual(strict.events.filter((e) => e.name.startsWith('end_session')), [], 'no end_session error at the server');
  } finally {
    app.configure({ issuer: as.issuer });
    await strict.close();
  }
}));

test('logout with endSession and idTokenHint: a form POST to the server\'s end_session (id_token_hint in no URL) and back, the state checked, the server session over', () => withBrowser(async (context) => {
  const page = await openApp(context);
  await loginByRedirect(page, 'hana');
  const { token } = await page.evaluate(() => app.active.getAccessToken());
  const toServer = [];
  page.on('request', (r) => r.url().startsWith(`${as.issuer}/`) && toServer.push(r));
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${as.issuer}/`)),
    page.evaluate(() => app.active.logout({ endSession: true, idTokenHint: true, postLogoutRedirectUri: `${location.origin}/` })),
  ]);
  // OIDC RP-Initiated Logout §2 (POST): the parameters travel in the body, under the app's strict CSP.
  const end = toServer.find((r) => r.isNavigationRequest());
  assert.equal(end.method(), 'POST');
  assert.equal(new URL(end.url()).search, '', 'the end_session URL carries no parameter');
  const form = new URLSearchParams(end.postData());
  assert.ok(form.get('id_token_hint')?.split('.').length === 3, 'id_token_hint sent in the body');
  assert.equal(form.get('client_id'), 'spa');
  assert.equal(form.get('post_logout_redirect_uri'), `${app.url}/`);
  const state = form.get('state');
  assert.ok(state);
  assert.ok(!page.url().includes('id_token_hint') && toServer.every((r) => !r.url().includes('id_token_hint')), 'in no URL');
  await page.waitForSelector('#logout-form');
  await page.click('#logout');
  await page.waitForURL(`${app.url}/`); // back, and the state already out of the address bar
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.evaluate(() => app.loggedOut), true, 'handleLogoutCallback accepted the state');
  assert.equal(await text(page, '#status'), 'anonymous');
  assert.ok(app.requests.includes(`/?state=${state}`), 'the server came back with our state');

  // A forged return (a state nobody sent) is refused.
  await page.goto(`${app.url}/?state=forged`);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await text(page, '#error-code'), 'state_mismatch');

  // The server session is over: a silent login now answers login_required.
  app.configure({ restore: true, client: { autoRefresh: false } });
  await page.goto(`${app.url}/`);
  await page.waitForSelector('body[data-ready]');
  await page.waitForFunction(() => document.getElementById('error-code').textContent === 'login_required');
  await assertNothingStored(page, context, [token, ...wire.issued]);
}));

test('logout with endSession and openUrl: openUrl gets the end_session request as a GET URL (the hint only with idTokenHint) and the page stays', () => withBrowser(async (context) => {
  const page = await openApp(context);
  for (const idTokenHint of [false, true]) {
    await loginByRedirect(page, 'ines');
    const url = await page.evaluate((idTokenHint) => new Promise((resolve, reject) => {
      app.active.logout({ endSession: true, idTokenHint, postLogoutRedirectUri: `${location.origin}/`, openUrl: resolve }).catch(reject);
    }), idTokenHint);
    const end = new URL(url);
    assert.equal(`${end.origin}${end.pathname}`, (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()).end_session_endpoint);
    assert.equal(end.searchParams.get('id_token_hint')?.split('.').length === 3, idTokenHint);
    assert.equal(end.searchParams.get('client_id'), 'spa');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('oauth-wasm.logout')), end.searchParams.get('state'));
    assert.ok(page.url().startsWith(app.url), 'no navigation');
    assert.equal(await page.evaluate(() => app.active.isAuthenticated()), false, 'the session is wiped');
  }
}));

test('isolation \'worker\' (a dedicated worker) and \'none\' (the page) log in and call the API too', async () => {
  for (const isolation of ['worker', 'none']) await withBrowser(async (context) => {
    app.configure({ client: { autoRefresh: false, isolation } });
    const page = await openApp(context);
    await loginByRedirect(page, `frank-${isolation}`);
    await untilExpired();
    const before = refreshes();
    assert.deepEqual(await fetchMany(page, 5), Array(5).fill(200), isolation);
    assert.equal(refreshes(), before + 1, isolation);
    await page.click('#logout');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
  });
});
