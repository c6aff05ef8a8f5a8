// The backend mode end to end in Chromium against Glewlwyd 2.7.5 (Debian's package,
// tests/support/glewlwyd.mjs), the second, independent authorization server: the test page
// (tests/support/backend-page/, oauth-wasm/backend only) on the app's server with createBackend as a
// confidential client (client_secret_basic; PKCE, PAR and DPoP because Glewlwyd advertises them),
// and Glewlwyd's userinfo as the API (it checks the DPoP proof). Login through Glewlwyd's login app,
// reload, the API through the proxy, a due refresh (rotation: each refresh token once), the API
// refusing a revoked token, logout with revocation; no token in the page. Skipped, with the reason, when glewlwyd is not installed.
//
// Glewlwyd's deviations (issue 23) met here: its ID token's sub is pairwise, it sends RFC 9207 `iss`
// without advertising it (the core checks it all the same), and it answers refused requests with
// an empty 403/400 (none happens on this path), and its userinfo refuses a revoked token with a bare
// 401 (no WWW-Authenticate challenge: not taken for invalid_token, so no refresh). RP-initiated logout is not walked: the backend
// sends end_session no id_token_hint, which Glewlwyd needs to end anything, and the page leaves by
// a form POST, which it does not take (tests/node/glewlwyd.test.mjs shows both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../../dist/node.mjs';
import { serveStatic } from '../../scripts/dev-servers/static-server.mjs';
import { listen, testClock } from '../../scripts/dev-servers/backend-app.mjs';
import { openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { signInOnLoginPage, startGlewlwyd, USER_PASSWORD } from '../support/glewlwyd.mjs';
import { assertNoTokenVisible, recordingTokens } from '../support/token-search.mjs';

const installed = existsSync('/usr/bin/glewlwyd');
const skip = installed ? false : 'glewlwyd is not installed (scripts/bootstrap.sh --browser)';
const root = fileURLToPath(new URL('../..', import.meta.url));
const mounts = { '/dist/': `${root}dist/`, '/': `${root}tests/support/backend-page/` };
const SECRET = 'web-secret-glewlwyd';

const tokens = new Set(); // every token Glewlwyd gave the backend
const issued = []; // the access tokens, in order
const wire = []; // { url, grantType, dpop, status, challenge } of each request the backend sent Glewlwyd
let server;
let origin;
let gw;
let metadata;
let backend;
const clock = testClock();

before(async () => {
  if (!installed) return;
  server = createServer();
  origin = await listen(server); // first: the client's redirect URI names it
  gw = await startGlewlwyd({
    appOrigin: origin,
    users: ['alice'],
    clients: [{
      client_id: 'web', confidential: true, client_secret: SECRET, password: SECRET, token_endpoint_auth_method: ['client_secret_basic'],
      redirect_uri: [`${origin}/auth/callback`], post_logout_redirect_uris: [`${origin}/auth/logged-out`],
      authorization_type: ['code', 'refresh_token', 'delete_token'],
    }],
  });
  metadata = (await gw.call('/api/oidc/.well-known/openid-configuration')).json;
  const record = recordingTokens(tokens);
  backend = await createBackend({
    issuer: gw.issuer, clientId: 'web', clientSecret: SECRET, origin, apiOrigins: [gw.base], scope: 'openid api', clock,
    async fetch(input, init = {}) {
      const form = typeof init.body === 'string' ? new URLSearchParams(init.body) : null;
      const res = await record(input, init);
      if (String(input) === metadata.token_endpoint && res.ok) issued.push((await res.clone().json()).access_token);
      wire.push({ url: String(input), grantType: form?.get('grant_type') ?? null, dpop: new Headers(init.headers).has('dpop'), status: res.status, challenge: res.headers.get('www-authenticate') });
      return res;
    },
  });
  const config = JSON.stringify({ apiUrl: gw.issuer, apiPath: '/userinfo' });
  server.on('request', (req, res) => backend(req, res, async () => {
    res.setHeader('Content-Security-Policy', ["default-src 'none'", "script-src 'self'", "connect-src 'self'",
      "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; '));
    if (new URL(req.url, origin).pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(config);
    }
    if (!(await serveStatic(mounts, req, res))) res.writeHead(404).end();
  }));
});

after(async () => {
  await backend?.close();
  if (server) await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  await gw?.close();
});

const text = (page, selector) => page.textContent(selector);
const clicked = async (page, selector) => {
  const done = Number((await page.getAttribute('body', 'data-done')) ?? 0);
  await page.click(selector);
  await page.waitForSelector(`body[data-done="${done + 1}"]`);
};
const refreshes = () => wire.filter((r) => r.grantType === 'refresh_token');

test('Glewlwyd 2.7.5: login, reload, the API through the proxy, a due refresh, a revoked token\'s bare 401 passed on, logout; no token in the page', { skip }, () => withBrowser(async (context) => {
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  let page = await openReady(context, `${origin}/`);
  assert.equal(await text(page, '#status'), 'anonymous');

  // The backend's login leads to Glewlwyd's login app; from there, its sign-in and consent.
  await page.click('#login');
  await page.waitForURL(`${gw.base}/login.html?**`);
  await page.evaluate(signInOnLoginPage, { login: 'alice', password: USER_PASSWORD });
  await page.waitForURL(`${origin}/`);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await text(page, '#status'), 'authenticated');
  const { sub } = JSON.parse(await text(page, '#user'));
  assert.match(sub, /^\w{20,}$/, 'Glewlwyd\'s pairwise sub');
  const pushed = wire.find((r) => r.url === metadata.pushed_authorization_request_endpoint);
  assert.equal(pushed?.status, 201, 'the login was pushed (PAR), with the client\'s secret');
  const code = wire.find((r) => r.grantType === 'authorization_code');
  assert.deepEqual([code?.status, code?.dpop], [200, true], 'the code redeemed with a DPoP proof');

  const jar = (await context.cookies(origin)).filter((c) => c.name.startsWith('oauth-wasm'));
  assert.deepEqual(jar.map((c) => [c.name, c.httpOnly, c.sameSite, c.path]), [['oauth-wasm-session', true, 'Strict', '/']]);
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await text(page, '#status'), 'authenticated', 'a reload keeps the session: the cookie does');

  // The API (Glewlwyd's userinfo) through the proxy: the DPoP-bound token and its proof.
  await clicked(page, '#call');
  assert.equal(await text(page, '#error-code'), '');
  assert.equal(JSON.parse((await text(page, '#api')).replace(/^200 /, '')).sub, sub);

  // Due on the backend's clock: refreshed before the call, with rotation.
  await clock.advance(600);
  await clicked(page, '#call');
  assert.match(await text(page, '#api'), /^200 /);
  assert.deepEqual(refreshes().map((r) => [r.status, r.dpop]), [[200, true]], 'one refresh, DPoP-bound');

  // Glewlwyd revokes the access token (RFC 7009, by the client); its userinfo then answers a bare
  // 401, without the WWW-Authenticate challenge of RFC 6750 §3, so nothing says the token was
  // refused as such: the API's 401 reaches the page as it is, no refresh is made, the session stays;
  // once the token is due, the next call refreshes and goes through.
  const revoked = await fetch(metadata.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`web:${SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ token: issued.at(-1), token_type_hint: 'access_token' }),
  });
  assert.equal(revoked.status, 200);
  await clicked(page, '#call');
  assert.deepEqual([await text(page, '#api'), await text(page, '#error-code')], ['401 ', ''], 'the API\'s own 401, passed on');
  const refused = wire.filter((r) => r.url === metadata.userinfo_endpoint).at(-1);
  assert.deepEqual([refused.status, refused.challenge], [401, null], 'no challenge with Glewlwyd\'s 401');
  assert.equal(refreshes().length, 1, 'no refresh for a 401 that does not say invalid_token');
  assert.equal(await text(page, '#status'), 'authenticated');
  await clock.advance(600);
  await clicked(page, '#call');
  assert.match(await text(page, '#api'), /^200 /);
  assert.deepEqual(refreshes().map((r) => r.status), [200, 200], 'the next due refresh, with the rotated refresh token');

  await assertNoTokenVisible({ page, context, tokens, requests });
  assert.deepEqual(requests.filter((u) => u.startsWith(`${gw.issuer}/userinfo`)), [], 'the page never called the API itself');

  await clicked(page, '#logout');
  assert.equal(await text(page, '#status'), 'anonymous');
  assert.deepEqual((await context.cookies(origin)).filter((c) => c.name.startsWith('oauth-wasm')), []);
  const revocations = wire.filter((r) => r.url === metadata.revocation_endpoint);
  assert.ok(revocations.length >= 1 && revocations.every((r) => r.status === 200), 'the backend revoked the tokens at Glewlwyd');
  page = await openReady(context, `${origin}/`);
  assert.equal(await text(page, '#status'), 'anonymous');
  await clicked(page, '#call');
  assert.equal(await text(page, '#error-code'), 'login_required');
}));
