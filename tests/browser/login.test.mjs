// The client in Chromium against the real authorization server (oidc-provider), the test API and
// the test SPA (scripts/dev-servers/app/, under a strict CSP): login by redirect and by popup through the
// server's own login and consent pages, the API through client.fetch, and no token anywhere but in
// the core's memory. Each test gets a fresh browser profile.
//
// OAUTH_WASM_FAKE_CORE=1 runs the page on the JS test double instead of the wasm client API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { loadIsolatedCore } from '../../dist/node.mjs';
import {
  assertSignedIn, callApi, loginByRedirect, openApp as openPage, persistedState, signIn as signInAt, text, waitForOutcome,
  withBrowser,
} from '../../scripts/dev-servers/spa-page.mjs';

let app;
let as;
let api;

before(async () => {
  app = await startAppServer(); // first: its origin goes into the `spa` client's redirect URIs
  as = await startAuthServer({ appOrigin: app.url });
  api = await startTestApi({ issuer: as.issuer });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
  assert.equal(typeof (await loadIsolatedCore()).clientCreate, 'function', 'dist/ has no client API (core.clientCreate)');
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

const openApp = (context, path = '/') => openPage(context, app.url + path);
const signIn = (page, options) => signInAt(page, { issuer: as.issuer, ...options });

// Looks in every place a script can persist data for the access token (read through the escape
// hatch inside the page), for anything JWT-shaped (the ID token), and for our transaction keys.
async function assertNothingStored(page, context, { token } = {}) {
  const found = await persistedState(page);
  const cookies = (await context.cookies(app.url)).map((c) => `${c.name}=${c.value}`).join('\n');
  assert.deepEqual(found.transactionKeys, [], 'the transaction left sessionStorage');
  assert.deepEqual(found.databases, [], 'no IndexedDB database');
  assert.deepEqual(found.caches, [], 'no Cache Storage');
  for (const [where, value] of Object.entries({ localStorage: found.local, sessionStorage: found.session, 'document.cookie': found.cookie, cookies })) {
    if (token) assert.ok(!value.includes(token), `the access token is in ${where}`);
    assert.doesNotMatch(value, /eyJ[\w-]+\.eyJ[\w-]+\./, `a JWT is in ${where}`);
  }
  if (token) assert.ok(!app.requests.some((u) => u.includes(token)), 'the token never went into a URL');
}

const clean = (page) => {
  const url = new URL(page.url());
  for (const p of ['code', 'state', 'iss', 'error', 'error_description', 'session_state']) {
    assert.equal(url.searchParams.has(p), false, `${p} left in the address bar: ${page.url()}`);
  }
  assert.equal(url.hash, '');
};

test('login by redirect: the server\'s login and consent, a clean address bar, the API, no token stored, logout', () => withBrowser(async (context) => {
  const page = await openApp(context);
  assert.equal(await text(page, '#status'), 'anonymous');
  const tokenRequests = as.counts.authorization_code ?? 0;

  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'alice' });
  await assertSignedIn(page, 'alice');
  assert.equal(page.url(), `${app.url}/callback`, 'code, state and iss left the address bar');
  assert.equal(as.counts.authorization_code, tokenRequests + 1, 'one token request');
  assert.ok(app.requests.some((u) => u.startsWith('/callback?code=')), 'the code did come back in the URL');

  const okCalls = api.calls.ok;
  const me = await callApi(page);
  assert.equal(me.status, 200);
  assert.equal(me.body.sub, 'alice');
  assert.equal(api.calls.ok, okCalls + 1);

  const { token } = await page.evaluate(() => app.active.getAccessToken());
  assert.ok(token?.length > 20);
  await assertNothingStored(page, context, { token });

  // client.fetch attaches the token to the configured API origin only; anything else is refused
  // before a request is made (the issuer included).
  const refused = await page.evaluate((urls) => Promise.all(urls.map((u) => app.active.fetch(u).then(() => 'sent', (e) => e.code))),
    ['http://127.0.0.2:9/me', `${as.issuer}/me`, 'https://api.example.test/me']);
  assert.deepEqual(refused, ['origin_not_allowed', 'origin_not_allowed', 'origin_not_allowed']);

  const me2 = api.calls.me;
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
  assert.equal(await page.evaluate(() => app.active.isAuthenticated()), false);
  assert.deepEqual(await callApi(page), { error: 'login_required' });
  assert.equal(await page.evaluate(() => app.active.getAccessToken().then(() => 'token', (e) => e.code)), 'login_required');
  assert.equal(api.calls.me, me2, 'the shim refused the API call itself');
  assert.deepEqual(await page.evaluate(() => app.events.map((e) => e.type)), ['login', 'logout']);
  await assertNothingStored(page, context, { token });
}));

test('login by popup: the opener gets the callback by postMessage, its own URL never changes, foreign messages are ignored', () => withBrowser(async (context) => {
  const page = await openApp(context);
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
  const closed = popup.waitForEvent('close');
  // A look-alike message from another window (here the page itself) is not the popup's.
  await page.evaluate(() => window.postMessage({ type: 'oauth-wasm:callback', url: `${location.origin}/popup-callback?code=x&state=y` }, location.origin));
  await signIn(popup, { login: 'bob', arrived: closed });
  await waitForOutcome(page);
  await assertSignedIn(page, 'bob');
  assert.equal(page.url(), `${app.url}/`);
  assert.ok(app.requests.some((u) => u.startsWith('/popup-callback?code=')), 'the popup came back to /popup-callback');

  const me = await callApi(page);
  assert.equal(me.status, 200);
  assert.equal(me.body.sub, 'bob');
  const { token } = await page.evaluate(() => app.active.getAccessToken());
  await assertNothingStored(page, context, { token });
  assert.deepEqual(await page.evaluate(() => app.events.map((e) => e.type)), ['login']);
}));

test('a popup closed by the user ends the login with popup_closed', () => withBrowser(async (context) => {
  const page = await openApp(context);
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
  await popup.waitForSelector('#login-form');
  await popup.close();
  await waitForOutcome(page);
  assert.equal(await text(page, '#error-code'), 'popup_closed');
  assert.equal(await text(page, '#status'), 'anonymous');
}));

test('a popup login that does not finish in time ends with popup_timeout and closes the popup', () => withBrowser(async (context) => {
  const page = await openApp(context);
  const popupOpened = context.waitForEvent('page');
  const outcome = page.evaluate(() => app.popupClient.loginWithPopup({ timeout: 1500 }).then(() => 'logged in', (e) => e.code));
  const popup = await popupOpened;
  const closed = popup.waitForEvent('close');
  assert.equal(await outcome, 'popup_timeout');
  await closed;
  assert.deepEqual(await page.evaluate(() => app.events), [{ type: 'error', code: 'popup_timeout' }]);
}));

test('a forged callback with a state of no transaction: state_mismatch, no token request, nothing stored', () => withBrowser(async (context) => {
  const page = await openApp(context);
  // A real transaction waiting in sessionStorage, as after a click on "log in".
  await page.evaluate(() => app.redirectClient.loginWithRedirect({ openUrl: () => {} }));
  const keys = await page.evaluate(() => Object.keys(sessionStorage));
  assert.equal(keys.length, 1);
  assert.match(keys[0], /^oauth-wasm\.tx\./);

  const tokenRequests = as.counts.authorization_code ?? 0;
  await page.goto(`${app.url}/callback?code=forged&state=wrong&iss=${encodeURIComponent(as.issuer)}`);
  await waitForOutcome(page);
  assert.equal(await text(page, '#error-code'), 'state_mismatch');
  assert.equal(await text(page, '#status'), 'anonymous');
  assert.equal(as.counts.authorization_code ?? 0, tokenRequests, 'no token request');
  clean(page);
  await assertNothingStored(page, context);
}));

test('consent denied: the server\'s access_denied is shown and the address bar is cleaned', () => withBrowser(async (context) => {
  const page = await openApp(context);
  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'carol', decision: 'deny' });
  assert.equal(await text(page, '#error-code'), 'access_denied');
  assert.equal(await text(page, '#status'), 'anonymous');
  assert.equal(page.url(), `${app.url}/callback`);
  await assertNothingStored(page, context);
  assert.deepEqual(await page.evaluate(() => app.events), [{ type: 'error', code: 'access_denied' }]);
}));
