// PAR (RFC 9126) and DPoP (RFC 9449) in Chromium: the test SPA (default isolation: the session in
// a SharedWorker) against a server that requires pushed authorization requests and DPoP nonces,
// and the test API verifying DPoP proofs with nonces of its own. The parameters are pushed from
// the worker; the browser goes to the authorization endpoint with client_id and request_uri only;
// the tokens come back DPoP-bound and client.fetch reaches the API with proofs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { postForm } from '../../scripts/dev-servers/http-client.mjs';
import {
  assertSignedIn, callApi, loginByRedirect, openApp, signIn as signInAt, text, waitForOutcome, withBrowser,
} from '../../scripts/dev-servers/spa-page.mjs';

let app;
let as;
let api;
const pushes = []; // { status, dpopJkt } of each pushed authorization request the server answered

before(async () => {
  app = await startAppServer(); // first: its origin goes into the `spa` client's redirect URIs
  as = await startAuthServer({ appOrigin: app.url, requirePar: true, dpopRequireNonce: true });
  as.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'pushed_authorization_request') pushes.push({ status: ctx.status, dpopJkt: ctx.oidc.params?.dpop_jkt });
  });
  api = await startTestApi({ issuer: as.issuer, dpopNonce: true });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

// Every navigation of `context` to the authorization endpoint, as the browser made it.
function authorizationsOf(context) {
  const seen = [];
  context.on('request', (r) => {
    if (r.isNavigationRequest() && r.url().startsWith(`${as.issuer}/auth?`)) seen.push(new URL(r.url()));
  });
  return seen;
}

const signIn = (page, options) => signInAt(page, { issuer: as.issuer, ...options });

function assertPushedOnly(url) {
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri'],
    `the authorization URL carries client_id and request_uri only: ${url}`);
  assert.equal(url.searchParams.get('client_id'), 'spa');
  assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/);
}

test('PAR login by redirect: pushed, navigated with request_uri only, DPoP-bound tokens, the API through client.fetch', () => withBrowser(async (context) => {
  const authorizations = authorizationsOf(context);
  const page = await openApp(context, app.url);
  const pushed = pushes.length;
  const nonceDemands = api.calls.nonceDemands;

  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'alice' });
  await assertSignedIn(page, 'alice');
  assert.deepEqual(pushes.slice(pushed), [{ status: 201, dpopJkt: undefined }],
    'one pushed authorization request; the page leaves, so the code is not bound to a key that may not survive');
  assert.equal(authorizations.length, 1);
  assertPushedOnly(authorizations[0]);

  const me = await callApi(page);
  assert.equal(me.status, 200);
  assert.equal(me.body.sub, 'alice');
  assert.ok(api.calls.nonceDemands > nonceDemands, 'the API demanded its nonce and the client retried with it');
  assert.equal((await page.evaluate(() => app.active.getAccessToken())).tokenType, 'DPoP');
}));

test('PAR login by popup: the code is bound to the worker\'s DPoP key (dpop_jkt pushed) and the API accepts the proofs', () => withBrowser(async (context) => {
  const authorizations = authorizationsOf(context);
  const page = await openApp(context, app.url);
  const pushed = pushes.length;
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
  const closed = popup.waitForEvent('close');
  await signIn(popup, { login: 'bob', arrived: closed });
  await waitForOutcome(page);
  await assertSignedIn(page, 'bob');
  assert.equal(pushes.length, pushed + 1, 'one pushed authorization request');
  assert.equal(pushes.at(-1).status, 201);
  assert.match(pushes.at(-1).dpopJkt ?? '', /^[\w-]{43}$/, 'dpop_jkt pushed');
  assert.equal(authorizations.length, 1);
  assertPushedOnly(authorizations[0]);

  const me = await callApi(page);
  assert.equal(me.status, 200);
  assert.equal(me.body.sub, 'bob');
  const { token, tokenType } = await page.evaluate(() => app.active.getAccessToken());
  assert.equal(tokenType, 'DPoP');
  const info = (await postForm(`${as.issuer}/token/introspection`, { token }, { basic: ['api', 'api-secret'] })).json;
  assert.equal(info.cnf?.jkt, pushes.at(-1).dpopJkt, 'the token is bound to the key the code was bound to');
}));
