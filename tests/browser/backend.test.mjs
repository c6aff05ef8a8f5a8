// The backend mode end to end in Chromium: the test page (tests/support/backend-page/, under a
// CSP that lets it talk to its own origin only) with oauth-wasm/backend, the app's server with
// createBackend, the real authorization server and the test API. Login, reload, an API call through
// the proxy, a refresh, logout; the page loads no wasm and no worker and never calls the API
// itself; and no token is anywhere the page or the browser keeps: cookies (document.cookie and the
// browser's jar), every storage area (web storage, IndexedDB, Cache Storage), the URLs, the DOM and
// the values reachable from the page's globals (tests/support/token-search.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../../scripts/dev-servers/static-server.mjs';
import { startBackendApp } from '../../scripts/dev-servers/backend-app.mjs';
import { openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { signIn } from '../../scripts/dev-servers/spa-page.mjs';
import { assertNoTokenVisible, recordingTokens } from '../support/token-search.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mounts = { '/dist/': `${root}dist/`, '/': `${root}tests/support/backend-page/` };

// Every token the backend got from the token endpoint.
const tokens = new Set();

let app;
before(async () => {
  let config;
  app = await startBackendApp({
    backend: { fetch: recordingTokens(tokens) },
    handle: async (req, res) => {
      res.setHeader('Content-Security-Policy', ["default-src 'none'", "script-src 'self'", "connect-src 'self'",
        "base-uri 'none'", `form-action ${new URL(app.as.issuer).origin}`, "frame-ancestors 'none'"].join('; '));
      if (new URL(req.url, 'http://x').pathname === '/config.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify(config));
      }
      if (!(await serveStatic(mounts, req, res))) res.writeHead(404).end();
    },
  });
  config = { apiUrl: app.api.url };
});
after(() => app.close());

// Resolves once the page has left for the authorization server and come back to `url`, ready.
const backAt = (page, url) => page.waitForURL((u) => !u.href.startsWith(url))
  .then(() => page.waitForURL(url)).then(() => page.waitForSelector('body[data-ready]'));
const text = (page, selector) => page.textContent(selector);
const clicked = async (page, selector) => {
  const done = Number((await page.getAttribute('body', 'data-done')) ?? 0);
  await page.click(selector);
  await page.waitForSelector(`body[data-done="${done + 1}"]`);
};

test('login, reload, the API through the proxy, a refresh and logout; no wasm, no worker, no token in the page', async () => {
  await withBrowser(async (context) => {
    const requests = [];
    context.on('request', (r) => requests.push(r.url()));
    let page = await openReady(context, `${app.origin}/`);
    assert.equal(await text(page, '#status'), 'anonymous');

    const arrived = backAt(page, `${app.origin}/`);
    await page.click('#login');
    await signIn(page, { issuer: app.as.issuer, login: 'alice', arrived });
    assert.equal(await text(page, '#status'), 'authenticated');
    assert.equal(JSON.parse(await text(page, '#user')).sub, 'alice');

    const jar = (await context.cookies(app.origin)).filter((c) => c.name.startsWith('oauth-wasm'));
    assert.deepEqual(jar.map((c) => [c.name, c.httpOnly, c.sameSite, c.path]), [['oauth-wasm-session', true, 'Strict', '/']]);
    assert.equal(await page.evaluate(() => document.cookie.includes('oauth-wasm')), false, 'HttpOnly: not in document.cookie');

    await page.reload();
    await page.waitForSelector('body[data-ready]');
    assert.equal(await text(page, '#status'), 'authenticated', 'a reload keeps the session: the cookie does');

    const ok = app.api.calls.ok;
    await clicked(page, '#call');
    assert.match(await text(page, '#api'), /^200 .*"sub":"alice"/);
    assert.equal(app.api.calls.ok, ok + 1);

    const refreshes = app.as.counts.refresh_token ?? 0;
    await app.clock.advance(600);
    await clicked(page, '#call');
    assert.match(await text(page, '#api'), /^200 /);
    assert.equal(app.as.counts.refresh_token, refreshes + 1, 'the backend refreshed (rotation) before the call');

    assert.ok(tokens.size >= 4, 'the backend got an access, refresh and ID token, then a new access and refresh token');
    await assertNoTokenVisible({ page, context, tokens, requests });

    assert.deepEqual(requests.filter((u) => u.endsWith('.wasm') || u.includes('worker')), [], 'no wasm, no worker');
    assert.deepEqual(page.workers(), []);
    assert.deepEqual(requests.filter((u) => u.startsWith(app.api.url)), [], 'the page never called the API itself');

    await clicked(page, '#logout');
    assert.equal(await text(page, '#status'), 'anonymous');
    assert.deepEqual((await context.cookies(app.origin)).filter((c) => c.name.startsWith('oauth-wasm')), []);
    assert.ok(app.as.events.some((e) => e.name === 'grant.revoked'), 'the backend revoked the tokens');
    page = await openReady(context, `${app.origin}/`);
    assert.equal(await text(page, '#status'), 'anonymous');
    await clicked(page, '#call');
    assert.equal(await text(page, '#error-code'), 'login_required');
  });
});

test('RP-initiated logout: the page leaves for the server\'s end_session_endpoint by GET (no ID token in it) and comes back through the state check', async () => {
  await withBrowser(async (context) => {
    const page = await openReady(context, `${app.origin}/`);
    const arrived = backAt(page, `${app.origin}/`);
    await page.click('#login');
    await signIn(page, { issuer: app.as.issuer, login: 'bob', arrived });
    assert.equal(await text(page, '#status'), 'authenticated');
    const left = page.waitForRequest((r) => r.url().startsWith(app.as.issuer) && r.isNavigationRequest());
    await page.click('#logout-everywhere');
    const request = await left;
    assert.equal(request.method(), 'GET');
    const params = new URL(request.url()).searchParams;
    assert.deepEqual([params.get('client_id'), params.has('id_token_hint'), params.has('state')], ['web', false, true], 'client_id and state, no hint');
    // The server asks to confirm the logout on its own page.
    await page.waitForSelector('#logout-form');
    await page.click('#logout');
    // Back through {path}/logged-out, which checked the end_session state, to afterLogout ('/'):
    // a state it refused would have led to /?error=state_mismatch.
    await page.waitForURL(`${app.origin}/`);
    await page.waitForSelector('body[data-ready]');
    assert.equal(await text(page, '#status'), 'anonymous');
  });
});
