// PAR (RFC 9126) and DPoP (RFC 9449) in Chromium: the test SPA (default isolation: the session in
// a SharedWorker) against a server that requires pushed authorization requests and DPoP nonces,
// and the test API verifying DPoP proofs with nonces of its own. The parameters are pushed from
// the worker; the browser goes to the authorization endpoint with client_id and request_uri only;
// the tokens come back DPoP-bound and client.fetch reaches the API with proofs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../support/app-server.mjs';
import { startAuthServer } from '../support/auth-server.mjs';
import { startTestApi } from '../support/test-api.mjs';
import { postForm } from '../support/http-client.mjs';
import { launchBrowser } from './chromium.mjs';

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

async function withBrowser(fn) {
  const browser = await launchBrowser();
  const problems = [];
  browser.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  browser.context.on('console', (m) => {
    if (/Content Security Policy|Uncaught/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  // Every navigation to the authorization endpoint, as the browser made it.
  const authorizations = [];
  browser.context.on('request', (r) => {
    if (r.isNavigationRequest() && r.url().startsWith(`${as.issuer}/auth?`)) authorizations.push(new URL(r.url()));
  });
  try {
    await fn(browser.context, authorizations);
    assert.deepEqual(problems, [], 'no script errors and no CSP violations');
  } finally {
    await browser.close();
  }
}

async function openApp(context) {
  const page = await context.newPage();
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready]');
  return page;
}

const text = (page, selector) => page.locator(selector).textContent();

async function signIn(page, { login, arrived }) {
  await page.waitForSelector('#login-form');
  await page.fill('#login', login);
  await page.fill('#password', 'any password');
  await page.click('#submit');
  const consent = await Promise.race([
    page.waitForSelector('#consent-form', { timeout: 15000 }).then(() => true),
    arrived.then(() => false),
  ]);
  if (consent) await page.click('#approve');
  await arrived;
}

async function waitForOutcome(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status').textContent;
    return document.body.dataset.ready && (status === 'authenticated' || document.getElementById('error-code').textContent);
  });
}

async function callApi(page) {
  await page.evaluate(() => { document.getElementById('api-result').textContent = ''; });
  await page.click('#call-api');
  await page.waitForFunction(() => document.getElementById('api-result').textContent || document.getElementById('error-code').textContent);
  const result = await text(page, '#api-result');
  return result ? JSON.parse(result) : { error: await text(page, '#error-code') };
}

function assertPushedOnly(url) {
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri'],
    `the authorization URL carries client_id and request_uri only: ${url}`);
  assert.equal(url.searchParams.get('client_id'), 'spa');
  assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/);
}

test('PAR login by redirect: pushed, navigated with request_uri only, DPoP-bound tokens, the API through client.fetch', () => withBrowser(async (context, authorizations) => {
  const page = await openApp(context);
  const pushed = pushes.length;
  const nonceDemands = api.calls.nonceDemands;

  await page.click('#login-redirect');
  await signIn(page, { login: 'alice', arrived: page.waitForURL(`${app.url}/callback**`).then(() => page.waitForSelector('body[data-ready]')) });
  await waitForOutcome(page);
  assert.equal(await text(page, '#error-code'), '');
  assert.equal(await text(page, '#status'), 'authenticated');
  assert.equal(JSON.parse(await text(page, '#user')).sub, 'alice');
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

test('PAR login by popup: the code is bound to the worker\'s DPoP key (dpop_jkt pushed) and the API accepts the proofs', () => withBrowser(async (context, authorizations) => {
  const page = await openApp(context);
  const pushed = pushes.length;
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#login-popup')]);
  const closed = popup.waitForEvent('close');
  await signIn(popup, { login: 'bob', arrived: closed });
  await waitForOutcome(page);
  assert.equal(await text(page, '#error-code'), '');
  assert.equal(await text(page, '#status'), 'authenticated');
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
