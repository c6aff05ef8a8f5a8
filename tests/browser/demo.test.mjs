// The demo (make demo) in Chromium: the whole stack (demo web server, authorization server, API)
// started on free ports through demo/server.mjs's startDemo. All four flows are run from the page
// by clicking, through the auth server's real login, consent and device pages: the PKCE flow in
// the page, and the three server-run flows (confidential code flow, client credentials, device)
// through the wasm core in Node (dist/node.mjs), their steps and log streamed to the page. The
// refusals and the decision helper are checked too. Screenshots go to test-results/demo/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startDemo } from '../../demo/server.mjs';
import * as clientCredentials from '../../demo/flows/client-credentials.mjs';
import * as confidential from '../../demo/flows/confidential.mjs';
import * as device from '../../demo/flows/device.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';

const SHOTS = fileURLToPath(new URL('../../test-results/demo/', import.meta.url));
const SERVER_FLOWS = ['confidential', 'client-credentials', 'device'];

let demo;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo({ port: 0, asPort: 0, apiPort: 0 });
});

after(async () => {
  await demo?.close();
});

async function openDemo(context, at = demo, path = '/') {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(at.url + path);
  await page.waitForSelector('body[data-ready]');
  return page;
}

async function shoot(page, name, { phone = false } = {}) {
  if (phone) await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
  if (phone) await page.setViewportSize({ width: 1280, height: 900 });
}

const stepStates = (page) => page.$$eval('#steps li', (lis) => lis.map((li) => li.dataset.state));
const logEntries = (page) => page.$$eval('#log li.log-entry', (lis) => lis.map((li) => ({
  kind: li.dataset.kind,
  label: li.dataset.label,
  text: li.querySelector('.log-line')?.textContent ?? '',
  actors: li.querySelector('.log-actors')?.textContent ?? '',
  params: Object.fromEntries([...li.querySelectorAll('.log-params dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
})));
const SHORT = /^.{1,4}….{0,4} \(\d+ chars?\)/; // "abcd…wxyz (43 chars)": first/last few only

// On the auth server's pages: sign in, answer consent if asked, until `done` settles.
async function signIn(page, { login = 'alice', done }) {
  await page.waitForSelector('#login-form');
  assert.ok(page.url().startsWith(`${demo.issuer}/`) || page.url().includes('/interaction/'), `at the server's login page, not ${page.url()}`);
  await page.fill('#login', login);
  await page.fill('#password', 'any password');
  await page.click('#submit');
  const consent = await Promise.race([
    page.waitForSelector('#consent-form', { timeout: 15000 }).then(() => true),
    done.then(() => false),
  ]);
  if (consent) await page.click('#approve');
  await done;
}

const outcome = async (page) => {
  await page.waitForSelector('#outcome[data-ok]', { timeout: 30000 });
  return { ok: await page.$eval('#outcome', (o) => o.dataset.ok === 'true'), text: await page.textContent('#outcome') };
};

async function runPkce(page, { attacker = false, par = false, dpop = false } = {}) {
  await page.click('.card[data-flow="pkce"]');
  if (attacker) await page.check('#attacker');
  if (par) await page.check('#opt-par');
  if (dpop) await page.check('#opt-dpop');
  await page.click('#run');
  // On the auth server first: waitForURL resolves at once while the page is still on the demo's
  // origin, as it is while the core pushes a PAR request, and the consent page would go unanswered.
  await page.waitForURL((u) => u.href.startsWith(`${demo.issuer}/`), { timeout: 30000 });
  const back = page.waitForURL(`${demo.url}/**`, { timeout: 30000 }).then(() => page.waitForSelector('body[data-ready]'));
  await signIn(page, { done: back });
  return outcome(page);
}

test('PKCE from the page: every step lights up, the log holds the real requests in order, no whole token on the page', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  assert.equal(await page.getAttribute('.card[data-flow="pkce"]', 'aria-checked'), 'true', 'PKCE is the flow shown first');
  assert.equal(await page.isDisabled('#run'), false);
  const tokenRequests = demo.as.counts.authorization_code ?? 0;

  const result = await runPkce(page);
  assert.equal(result.ok, true, result.text);
  assert.match(result.text, /Signed in as “alice”.*200.*sub=alice/);
  assert.deepEqual(await stepStates(page), Array(7).fill('done'), 'all seven steps lit');
  assert.equal(new URL(page.url()).pathname, '/', 'code, state and iss left the address bar');
  assert.equal(demo.as.counts.authorization_code, tokenRequests + 1, 'exactly one token request');

  // The log, in order (a JWKS fetch, when the core makes one, may sit between the token response and the API).
  const logged = (await logEntries(page)).filter((e) => !e.label.startsWith('JWKS'));
  assert.deepEqual(logged.map((e) => `${e.kind}: ${e.label}`), [
    'request: discovery (RFC 8414 metadata)',
    'response: discovery (RFC 8414 metadata)',
    'redirect: authorization request',
    // The auth server's own redirects, as the demo server saw them (demo/auth-trail.mjs).
    'redirect: the auth server sends the browser to its login page',
    'redirect: the auth server sends the browser to its consent page',
    'redirect: the auth server redirects back to the app',
    'callback: authorization response',
    'note: the page reloaded',
    'request: discovery (RFC 8414 metadata)',
    'response: discovery (RFC 8414 metadata)',
    'request: token request · authorization_code',
    'response: token request · authorization_code',
    'note: ID token, decoded',
    'request: API call',
    'response: API call',
  ]);
  const [login, consent, back] = logged.slice(3, 6);
  assert.match(login.text, new RegExp(`^GET ${demo.issuer}/interaction/[\\w-]+ 303`));
  assert.match(consent.text, new RegExp(`^GET ${demo.issuer}/interaction/[\\w-]+ 303`));
  assert.match(back.text, new RegExp(`^GET ${demo.url}/callback 303`));
  assert.match(back.params.code, SHORT);
  assert.match(logged[7].text, /discovery/, 'the second discovery is explained');
  const idToken = logged[12].params;
  assert.equal(idToken['header alg'], 'RS256');
  assert.ok(idToken['header kid']);
  assert.equal(idToken['claim iss'], demo.issuer);
  assert.equal(idToken['claim sub'], 'alice');
  assert.equal(idToken['claim aud'], 'spa');
  assert.match(idToken['claim nonce'], SHORT, 'the nonce is shortened');
  assert.match(idToken['claim exp'], /^\d+ \(\d\d:\d\d:\d\d UTC\)$/);
  assert.match(await page.textContent('#log'), /signature verified by the core/);
  const entries = logged.filter((e) => e.kind !== 'note' && !e.label.startsWith('the auth server'));
  const [, , authorize, callback, , , tokenRequest, tokenResponse, apiCall, apiResponse] = entries;
  assert.match(authorize.text, new RegExp(`^GET ${demo.issuer}/auth`));
  assert.equal(authorize.params.response_type, 'code');
  assert.equal(authorize.params.code_challenge_method, 'S256');
  assert.equal(authorize.params.client_id, 'spa');
  assert.equal(authorize.params.redirect_uri, `${demo.url}/callback`);
  for (const p of ['code_challenge', 'state', 'nonce']) assert.match(authorize.params[p], SHORT, `${p} shortened`);
  assert.match(callback.text, new RegExp(`^GET ${demo.url}/callback`));
  assert.match(callback.params.code, SHORT);
  assert.match(callback.params.state, SHORT);
  assert.equal(callback.params.iss, demo.issuer);
  assert.match(tokenRequest.text, new RegExp(`^POST ${demo.issuer}/token`));
  assert.equal(tokenRequest.params.grant_type, 'authorization_code');
  assert.match(tokenRequest.params.code_verifier, SHORT, 'the verifier is shortened');
  assert.equal(tokenRequest.params.client_secret, undefined, 'no secret in a public client');
  assert.match(tokenResponse.text, /200/);
  assert.match(tokenResponse.params.access_token, SHORT);
  assert.match(tokenResponse.params.refresh_token, /….*sha256 [0-9a-f]{6}$/);
  assert.match(tokenResponse.params.id_token, /…/);
  assert.match(apiCall.text, new RegExp(`^GET ${demo.apiUrl}/me`));
  assert.match(apiCall.params.Authorization, /^Bearer .{4}….{4} \(\d+ chars\)$/);
  assert.match(apiResponse.text, /200/);
  assert.equal(apiResponse.params.sub, 'alice');

  // The PKCE explainer: this run's challenge, and the core's hash of the verifier that was sent.
  assert.equal(await page.textContent('#run-challenge'), await page.textContent('#run-recomputed'));
  assert.match(await page.getAttribute('#run-pkce-check', 'class'), /\bok\b/);
  assert.match(await page.textContent('#run-verifier'), SHORT);

  // No whole token anywhere on the page or in its storage (the real token, read in the page).
  const { token } = await page.evaluate(() => window.demo.pkceClient.getAccessToken());
  assert.ok(token?.length > 20);
  const seen = await page.evaluate(() => ({
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  }));
  for (const [where, value] of Object.entries(seen)) {
    assert.ok(!value.includes(token), `the access token is in the page's ${where}`);
    assert.doesNotMatch(value, /eyJ[\w-]+\.eyJ[\w-]+\./, `a JWT is in the page's ${where}`);
  }
  assert.match(await page.textContent('#storage-verdict'), /none of these \(checked against the real token/);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), ['oauth-wasm-demo.pkce-run'], 'only the demo\'s shortened log');
  // Rotation, live: a refresh gives a new refresh token (a new fingerprint); the attacker's copy
  // of the retired one, replayed, makes the server revoke the family and the client end the session.
  assert.equal(await page.isDisabled('#refresh-replay'), true, 'nothing to replay before a refresh');
  await page.click('#refresh-now');
  await page.waitForFunction(() => document.querySelectorAll('#refresh-view dd').length === 2);
  const fingerprints = await page.$$eval('#refresh-view dd', (dds) => dds.map((d) => d.textContent));
  assert.match(fingerprints[0], /^sha256 [0-9a-f]{6}$/);
  assert.notEqual(fingerprints[0], fingerprints[1], 'the refresh rotated the refresh token');
  await page.waitForFunction(() => !document.querySelector('#refresh-replay').disabled);
  await page.click('#refresh-replay');
  await page.waitForFunction(() => document.querySelector('#refresh-note').dataset.client);
  const note = await page.$eval('#refresh-note', (n) => ({ ...n.dataset, text: n.textContent }));
  assert.equal(note.replay, '400', 'the replayed old token is refused');
  assert.equal(note.client, 'session_expired', 'the client\'s own newest token was revoked with the family');
  assert.equal(note.event, 'session_expired', 'and the client fired session_expired');
  assert.equal(await page.evaluate(() => window.demo.pkceClient.isAuthenticated()), false, 'the tokens are gone');
  assert.equal(await page.isDisabled('#refresh-now'), true, 'nothing left to refresh');
  const rotation = (await logEntries(page)).filter((e) => !e.label.startsWith('JWKS')).slice(logged.length);
  assert.deepEqual(rotation.map((e) => `${e.kind}: ${e.label}`), [
    'request: token request · refresh_token', 'response: token request · refresh_token',
    'request: discovery (RFC 8414 metadata)', 'response: discovery (RFC 8414 metadata)',
    'request: token request · refresh_token', 'response: token request · refresh_token',
    'request: token request · refresh_token', 'response: token request · refresh_token',
  ]);
  assert.match(rotation[1].text, /200/);
  assert.match(rotation[4].actors, /^Attacker → Auth server$/);
  assert.equal(rotation[0].params.refresh_token.split(' ').pop(), entries[7].params.refresh_token.split(' ').pop(), 'the refresh sends the login\'s refresh token');
  assert.equal(rotation[4].params.refresh_token.split(' ').pop(), fingerprints[0].split(' ').pop(), 'the attacker replays the token the refresh retired');
  assert.match(rotation[5].text, /400/);
  assert.equal(rotation[5].params.error, 'invalid_grant');
  assert.match(rotation[7].text, /400/);
  assert.equal(rotation[7].params.error, 'invalid_grant');

  // The log grows with the run instead of scrolling inside a box.
  const box = await page.$eval('.log-scroll', (b) => ({ max: getComputedStyle(b).maxHeight, scroll: b.scrollHeight, client: b.clientHeight }));
  assert.equal(box.max, 'none');
  assert.ok(box.scroll <= box.client + 1, `the whole log shows: ${JSON.stringify(box)}`);

  await page.locator('#refresh').screenshot({ path: `${SHOTS}pkce-rotation.png` });
  await shoot(page, 'pkce');
  await shoot(page, 'pkce-phone', { phone: true });

  // A new run clears the old log.
  await page.evaluate(() => { window.location.hash = ''; });
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.ok((await logEntries(page)).length > 0, 'the recorded run survives a reload (shortened values only)');
  assert.match(await page.textContent('#storage-view'), /went with the page/);
}));

test('a stolen code is refused without the verifier, and the real client\'s exchange still works', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  const result = await runPkce(page, { attacker: true });
  assert.equal(result.ok, true, result.text);
  const entries = await logEntries(page);
  const thief = entries.findIndex((e) => e.kind === 'response' && e.text.includes('400'));
  assert.ok(thief > 0, 'the thief got a 400');
  assert.equal(entries[thief].params.error, 'invalid_grant');
  assert.equal(entries[thief - 1].kind, 'request');
  assert.equal(entries[thief - 1].params.code_verifier, undefined, 'the thief sent no verifier');
  const real = entries.findIndex((e, i) => i > thief && e.kind === 'response' && e.label.includes('authorization_code'));
  assert.ok(real > thief && entries[real].text.includes('200'), 'then the client\'s own exchange got 200');
  assert.equal(await page.getAttribute('#attack-result', 'data-error'), 'invalid_grant');
  assert.deepEqual(await stepStates(page), Array(7).fill('done'));
  await shoot(page, 'pkce-stolen-code');
}));

// The PKCE flow by popup, signed in as bob: the run succeeds with every step lit.
async function runPkcePopup(context, page, { dpop = false } = {}) {
  await page.check('input[name="pkce-mode"][value="popup"]');
  if (dpop) await page.check('#opt-dpop');
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#run')]);
  await signIn(popup, { login: 'bob', done: popup.waitForEvent('close') });
  const result = await outcome(page);
  assert.equal(result.ok, true, result.text);
  assert.match(result.text, /“bob”/);
  assert.deepEqual(await stepStates(page), Array(7).fill('done'));
}

test('PKCE by popup: the page stays put and logs the callback the popup posts back', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  await runPkcePopup(context, page);
  const entries = await logEntries(page);
  const callback = entries.find((e) => e.kind === 'callback');
  assert.ok(callback, 'the callback the popup posted is in the log');
  assert.match(callback.text, new RegExp(`${demo.url}/popup-callback`));
  assert.match(callback.params.code, SHORT);
  assert.equal(new URL(page.url()).pathname, '/', 'the page never navigated');
  const { token } = await page.evaluate(() => window.demo.pkceClient.getAccessToken());
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(token));
}));

// ---- the PKCE flow's options: PAR (RFC 9126) and DPoP (RFC 9449) ----

const withoutJwks = (entries) => entries.filter((e) => !e.label.startsWith('JWKS'));
const find = (entries, kind, label, from = 0) => entries.findIndex((e, i) => i >= from && e.kind === kind && e.label === label);

// The decoded proof of a request entry: header and claims as the log shows them, checked against
// RFC 9449 §4.2; the jwk row shows public members only. Returns the thumbprint row.
function assertProof(entry, { htm, htu, ath = false, nonce = false }) {
  const p = entry.params;
  assert.match(p.DPoP, SHORT, 'the proof itself is shortened');
  assert.equal(p['header typ'], 'dpop+jwt');
  assert.equal(p['header alg'], 'ES256');
  assert.match(p['header jwk'], /^crv=P-256, kty=EC, x=.{4}….{4} \(43 chars\), y=.{4}….{4} \(43 chars\)$/, 'the public key, and nothing else');
  assert.match(p['jwk thumbprint'], /^.{4}….{4} \(43 chars\) \(RFC 7638 jkt\)$/);
  assert.equal(p['claim htm'], htm);
  assert.equal(p['claim htu'], htu);
  assert.match(p['claim iat'], /^\d{10} \(\d\d:\d\d:\d\d UTC\)$/);
  assert.ok(Math.abs(Number(p['claim iat'].split(' ')[0]) - Date.now() / 1000) < 120, 'iat is now');
  assert.match(p['claim jti'], SHORT);
  if (ath) assert.match(p['claim ath'], /^.{4}….{4} \(43 chars\) = BASE64URL\(SHA-256\(access token\)\)$/);
  else assert.equal(p['claim ath'], undefined, 'ath only at the resource');
  if (nonce) assert.match(p['claim nonce'], SHORT);
  else assert.equal(p['claim nonce'], undefined);
  return p['jwk thumbprint'];
}

// Nothing that could be a private key on the page: no private JWK member in any jwk row, no "d" member.
async function assertNoPrivateKey(page) {
  const rows = await page.$$eval('#log .log-params dt', (dts) => dts.filter((dt) => dt.textContent === 'header jwk').map((dt) => dt.nextElementSibling.textContent));
  assert.ok(rows.length > 0);
  for (const row of rows) assert.doesNotMatch(row, /(^|, )(d|p|q|dp|dq|qi|k)=/, row);
  assert.doesNotMatch(await page.evaluate(() => document.documentElement.outerHTML), /"d"\s*:/);
}

test('PKCE with PAR and DPoP: the pushed request and its request_uri, a short authorize URL, proofs decoded, nonces exchanged, token_type DPoP, the API checks the proof', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  assert.equal(await page.isDisabled('#opt-par'), false, 'the demo server offers PAR');
  assert.equal(await page.isDisabled('#opt-dpop'), false, 'and DPoP');
  const navigations = [];
  context.on('request', (r) => { if (r.isNavigationRequest() && r.url().startsWith(`${demo.issuer}/auth?`)) navigations.push(new URL(r.url())); });
  const apiNonceDemands = demo.api.calls.nonceDemands;
  const apiOk = demo.api.calls.ok;

  const result = await runPkce(page, { par: true, dpop: true });
  assert.equal(result.ok, true, result.text);
  assert.match(result.text, /Signed in as “alice”.*200.*sub=alice/);
  assert.deepEqual(await stepStates(page), Array(7).fill('done'));
  const steps = await page.$$eval('#steps li .step-text', (s) => s.map((x) => x.textContent));
  assert.match(steps[1], /^PAR \(RFC 9126\).*request_uri.*in the URL: client_id and request_uri, nothing else/);
  assert.match(steps[4], /DPoP proof.*token_type DPoP/);
  assert.match(steps[5], /token_type DPoP/);
  assert.match(steps[6], /Authorization: DPoP.*ath.*HTTP 200/);

  const logged = withoutJwks(await logEntries(page));
  const exchange = (label) => [`request: ${label}`, `response: ${label}`];
  assert.deepEqual(logged.map((e) => `${e.kind}: ${e.label}`), [
    ...exchange('discovery (RFC 8414 metadata)'),
    ...exchange('pushed authorization request'),
    'redirect: authorization request',
    // With PAR the demo server files the server's redirects under the request_uri.
    'redirect: the auth server sends the browser to its login page',
    'redirect: the auth server sends the browser to its consent page',
    'redirect: the auth server redirects back to the app',
    'callback: authorization response',
    'note: the page reloaded',
    ...exchange('discovery (RFC 8414 metadata)'),
    ...exchange('token request · authorization_code'), // 400 use_dpop_nonce
    ...exchange('token request · authorization_code'),
    'note: ID token, decoded',
    ...exchange('API call'), // 401 use_dpop_nonce
    ...exchange('API call'),
  ]);
  const entries = logged.filter((e) => e.kind !== 'note' && !e.label.startsWith('the auth server'));
  const [, metadata, push, pushed, authorize, callback, , , token1, nonceDemand, token2, tokens, api1, apiDemand, api2, me] = entries;
  assert.equal(metadata.params.pushed_authorization_request_endpoint, `${demo.issuer}/request`, 'the server advertises PAR');
  assert.match(metadata.params.dpop_signing_alg_values_supported, /\bES256\b/, 'and DPoP with ES256');
  // PAR: the parameters in a POST body, a request_uri back, and a URL with nothing else.
  assert.match(push.text, new RegExp(`^POST ${demo.issuer}/request`));
  assert.equal(push.params.response_type, 'code');
  assert.equal(push.params.client_id, 'spa');
  assert.equal(push.params.redirect_uri, `${demo.url}/callback`);
  assert.equal(push.params.code_challenge_method, 'S256');
  assert.match(push.params.code_challenge, SHORT);
  assert.match(push.params.state, SHORT);
  assert.match(pushed.text, /201/);
  assert.match(pushed.params.request_uri, /^urn:ietf:params:oauth:request_uri:[\w-]+$/);
  assert.match(pushed.params.expires_in, /^\d+$/);
  assert.deepEqual(Object.keys(authorize.params).sort(), ['client_id', 'request_uri'], 'the authorize URL carries client_id and request_uri only');
  assert.equal(authorize.params.request_uri, pushed.params.request_uri);
  assert.equal(navigations.length, 1);
  assert.deepEqual([...navigations[0].searchParams.keys()].sort(), ['client_id', 'request_uri'], 'as the browser really navigated');
  assert.equal(navigations[0].searchParams.get('request_uri'), pushed.params.request_uri);
  assert.match(callback.params.code, SHORT);
  // The PKCE explainer takes the challenge from the pushed request.
  assert.equal(await page.textContent('#run-challenge'), await page.textContent('#run-recomputed'));
  assert.match(await page.getAttribute('#run-pkce-check', 'class'), /\bok\b/);

  // DPoP at the token endpoint: a proof, a nonce demanded (400 use_dpop_nonce), a proof with it, token_type DPoP.
  const key = assertProof(token1, { htm: 'POST', htu: `${demo.issuer}/token` });
  assert.match(token1.params.code_verifier, SHORT);
  assert.match(nonceDemand.text, /400/);
  assert.equal(nonceDemand.params.error, 'use_dpop_nonce');
  assert.match(nonceDemand.params['DPoP-Nonce'], SHORT);
  assert.equal(assertProof(token2, { htm: 'POST', htu: `${demo.issuer}/token`, nonce: true }), key, 'the same key signs every proof');
  assert.equal(token2.params['claim nonce'], nonceDemand.params['DPoP-Nonce'], 'the retry carries the server\'s nonce');
  assert.notEqual(token2.params['claim jti'], token1.params['claim jti'], 'a new jti for the new proof');
  assert.match(tokens.text, /200/);
  assert.equal(tokens.params.token_type, 'DPoP');
  assert.match(tokens.params.access_token, SHORT);

  // DPoP at the API: Authorization: DPoP, a proof with ath, the API's own nonce, then 200.
  for (const call of [api1, api2]) {
    assert.match(call.params.Authorization, /^DPoP .{4}….{4} \(\d+ chars\)$/);
    assert.equal(call.params.Authorization.split(' ')[1], tokens.params.access_token.split(' ')[0], 'the token from the response');
  }
  assert.equal(assertProof(api1, { htm: 'GET', htu: `${demo.apiUrl}/me`, ath: true }), key);
  assert.match(apiDemand.text, /401/);
  assert.match(apiDemand.params['WWW-Authenticate'], /^DPoP error="use_dpop_nonce"/);
  assert.equal(assertProof(api2, { htm: 'GET', htu: `${demo.apiUrl}/me`, ath: true, nonce: true }), key);
  assert.equal(api2.params['claim nonce'], apiDemand.params['DPoP-Nonce']);
  assert.equal(api2.params['claim ath'], api1.params['claim ath'], 'ath: the same token');
  assert.match(me.text, /200/);
  assert.equal(me.params.sub, 'alice');
  assert.equal(demo.api.calls.nonceDemands, apiNonceDemands + 1, 'the API demanded its nonce once');
  assert.equal(demo.api.calls.ok, apiOk + 1, 'and accepted the proof after');
  assert.equal((await page.evaluate(() => window.demo.pkceClient.getAccessToken())).tokenType, 'DPoP');
  assert.match(await page.textContent('#dpop-summary'), /token_type DPoP, after asking once for its DPoP-Nonce/);

  // The token alone, without the key: the API refuses it as Bearer and as DPoP without a proof.
  const { token } = await page.evaluate(() => window.demo.pkceClient.getAccessToken());
  await page.click('#dpop-steal');
  await page.waitForSelector('#dpop-result[data-statuses]');
  assert.equal(await page.getAttribute('#dpop-result', 'data-statuses'), '401 401');
  const theft = (await logEntries(page)).filter((e) => e.actors.startsWith('Attacker') || e.actors.endsWith('Attacker'));
  assert.deepEqual(theft.map((e) => `${e.kind}: ${e.label}`), ['request: API call', 'response: API call', 'request: API call', 'response: API call']);
  assert.match(theft[0].params.Authorization, /^Bearer .{4}….{4} \(\d+ chars\)$/);
  assert.equal(theft[0].params.DPoP, undefined);
  assert.match(theft[1].params['WWW-Authenticate'], /invalid_token/);
  assert.match(theft[2].params.Authorization, /^DPoP /);
  assert.match(theft[3].params['WWW-Authenticate'], /^DPoP error="invalid_dpop_proof"/);
  // The session still works: a refresh is DPoP-bound too.
  await page.click('#refresh-now');
  await page.waitForFunction(() => document.querySelectorAll('#refresh-view dd').length === 2);
  const refresh = withoutJwks(await logEntries(page)).filter((e) => e.label === 'token request · refresh_token');
  const sent = refresh.filter((e) => e.kind === 'request');
  assert.ok(sent.length >= 1);
  assertProof(sent.at(-1), { htm: 'POST', htu: `${demo.issuer}/token`, nonce: true });
  assert.equal(refresh.at(-1).params.token_type, 'DPoP');
  // The attacker's copy of the retired refresh token, replayed without a proof: refused, and as the
  // token is bound to the key, the family lives on and the client's own refresh still works.
  await page.waitForFunction(() => !document.querySelector('#refresh-replay').disabled);
  await page.click('#refresh-replay');
  await page.waitForFunction(() => document.querySelector('#refresh-note').dataset.client);
  const note = await page.$eval('#refresh-note', (n) => ({ ...n.dataset, text: n.textContent }));
  assert.equal(note.replay, '400');
  assert.equal(note.client, 'refreshed');
  assert.match(note.text, /bound to this session’s DPoP key and came without a proof/);
  assert.equal(await page.evaluate(() => window.demo.pkceClient.isAuthenticated()), true, 'the session lives on');

  // No whole token, proof or private key on the page.
  const seen = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText + JSON.stringify({ ...sessionStorage }));
  assert.ok(!seen.includes(token), 'the access token is not on the page');
  assert.doesNotMatch(seen, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no JWT (a proof or token) is on the page');
  await assertNoPrivateKey(page);
  await shoot(page, 'pkce-par-dpop');
}));

test('DPoP by popup: the code is bound to the core\'s key (dpop_jkt) and the API takes the proofs', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  await runPkcePopup(context, page, { dpop: true });
  const entries = withoutJwks(await logEntries(page));
  assert.equal(entries.filter((e) => e.label === 'pushed authorization request').length, 0, 'no PAR without the option');
  const authorize = entries.find((e) => e.kind === 'redirect');
  assert.equal(authorize.params.code_challenge_method, 'S256', 'all parameters in the URL, as without PAR');
  assert.match(authorize.params.dpop_jkt, SHORT, 'dpop_jkt binds the code to the key (RFC 9449 §10)');
  const token = entries.findLast((e) => e.kind === 'request' && e.label === 'token request · authorization_code');
  const key = assertProof(token, { htm: 'POST', htu: `${demo.issuer}/token`, nonce: true });
  assert.equal(key.split(' ')[0], authorize.params.dpop_jkt.split(' ')[0], 'the key of the proofs is the one dpop_jkt named');
  const tokens = entries.findLast((e) => e.kind === 'response' && e.label === 'token request · authorization_code');
  assert.equal(tokens.params.token_type, 'DPoP');
  const me = entries.findLast((e) => e.kind === 'response' && e.label === 'API call');
  assert.match(me.text, /200/);
  assert.equal(me.params.sub, 'bob');
  const call = entries.findLast((e) => e.kind === 'request' && e.label === 'API call');
  assertProof(call, { htm: 'GET', htu: `${demo.apiUrl}/me`, ath: true, nonce: true });
  await assertNoPrivateKey(page);
}));

test('PAR without DPoP: pushed, then Bearer tokens as before', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  const result = await runPkce(page, { par: true });
  assert.equal(result.ok, true, result.text);
  assert.deepEqual(await stepStates(page), Array(7).fill('done'));
  const entries = withoutJwks(await logEntries(page));
  const push = find(entries, 'request', 'pushed authorization request');
  assert.ok(push > 0);
  assert.equal(entries[push + 1].kind, 'response');
  assert.match(entries[push + 2].label, /^authorization request$/);
  assert.deepEqual(Object.keys(entries[push + 2].params).sort(), ['client_id', 'request_uri']);
  assert.equal(entries[push + 2].params.request_uri, entries[push + 1].params.request_uri);
  assert.ok(!entries.some((e) => e.params.DPoP), 'no DPoP proof anywhere');
  assert.equal(entries.find((e) => e.kind === 'response' && e.label === 'token request · authorization_code').params.token_type, 'Bearer');
  assert.match(entries.find((e) => e.kind === 'request' && e.label === 'API call').params.Authorization, /^Bearer /);
  assert.equal(await page.isHidden('#dpop-pane'), true, 'the DPoP pane is for DPoP runs');
}));

test('a forged callback (wrong state) is refused with state_mismatch before any token request', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  const tokenRequests = demo.as.counts.authorization_code ?? 0;
  await page.click('#forge');
  await page.waitForSelector('#forge-result[data-code]');
  assert.equal(await page.getAttribute('#forge-result', 'data-code'), 'state_mismatch');
  assert.match(await page.textContent('#forge-result'), /state_mismatch/);
  assert.equal(demo.as.counts.authorization_code ?? 0, tokenRequests, 'no token request');
  const entries = await logEntries(page);
  assert.equal(entries[0].kind, 'callback');
  assert.equal(entries[0].params.state, 'forged');
  assert.ok(!entries.some((e) => e.label.startsWith('token request')), 'no token request in the log');
  assert.equal(entries.at(-1).kind, 'error');
  assert.deepEqual((await stepStates(page)).slice(0, 4), ['pending', 'pending', 'pending', 'failed']);
  assert.equal(new URL(page.url()).search, '', 'the forged parameters left the address bar');
  await shoot(page, 'forged-callback');
}));

test('the implicit flow: the client refuses response_type=token with a typed error', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  const before = page.url();
  await page.click('#implicit');
  await page.waitForSelector('#implicit-result[data-code]:not([data-code=""])');
  const code = await page.getAttribute('#implicit-result', 'data-code');
  assert.ok(['implicit_flow_refused', 'invalid_argument'].includes(code), code);
  assert.match(await page.textContent('#implicit-result'), /^Refused by the core/);
  assert.equal(page.url(), before, 'the page did not move');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm.tx.'))), []);
  await page.locator('#attacks').screenshot({ path: `${SHOTS}implicit-refused.png` });
}));

test('the decision helper leads to each of the four flows and shows the chosen one', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  const paths = {
    'client-credentials': ['service'],
    device: ['user', 'device'],
    pkce: ['user', 'app', 'public'],
    confidential: ['user', 'app', 'backend'],
  };
  for (const [flow, answers] of Object.entries(paths)) {
    if (await page.$('#decide-restart')) await page.click('#decide-restart');
    for (const a of answers) await page.click(`#decide-box [data-answer="${a}"]`);
    assert.equal(await page.getAttribute('#decide-box .decide-result', 'data-flow'), flow);
    assert.equal(await page.$$eval('#decide-box .decide-path li', (l) => l.length), answers.length);
    await page.click('#decide-show');
    assert.equal(await page.getAttribute(`.card[data-flow="${flow}"]`, 'aria-checked'), 'true');
    assert.equal(await page.textContent('#flow-name'), await page.textContent('#decide-box .decide-flow'));
  }
  await page.click('#decide-back');
  assert.ok(await page.$('#decide-box [data-answer="public"]'), 'Back returns to the last question');
  await page.locator('#decide').screenshot({ path: `${SHOTS}decide.png` });
}));

// ---- the server-run flows ----

// Drives one server-run flow from the page, as a user would, and checks what the page shows.
async function runServerFlow(context, page, at, flow) {
  await page.click(`.card[data-flow="${flow}"]`);
  assert.equal(await page.isDisabled('#run'), false);
  if (flow === 'confidential') {
    await page.click('#run');
    await page.waitForURL((u) => u.href.startsWith(`${at.issuer}/`), { timeout: 30000 }); // see runPkce
    const back = page.waitForURL((u) => u.origin === at.url && u.pathname === '/', { timeout: 30000 })
      .then(() => page.waitForSelector('body[data-ready]'));
    await signIn(page, { login: 'carol', done: back });
  } else if (flow === 'device') {
    await page.click('#run');
    await page.waitForSelector('#device-user-code');
    const userCode = await page.textContent('#device-user-code');
    assert.match(userCode, /^[A-Z]{4}-[A-Z]{4}$/);
    // At 1280×900 the code shows where Run was clicked, with no scrolling after the click.
    const box = await page.$eval('#device-screen', (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight };
    });
    assert.ok(box.top >= 0 && box.bottom <= box.height, `the device screen is in view: ${JSON.stringify(box)}`);
    await page.screenshot({ path: `${SHOTS}device-code-in-view.png` });
    await page.waitForFunction(() => /Poll \d+: (authorization_pending|slow_down)/.test(document.getElementById('device-poll').textContent), null, { timeout: 20000 });
    const [phone] = await Promise.all([context.waitForEvent('page'), page.click('#phone-open')]);
    await phone.waitForSelector('#user_code');
    assert.ok(phone.url().startsWith(`${at.issuer}/`), 'the phone is on the auth server');
    await phone.fill('#user_code', userCode);
    await phone.click('#submit');
    for (;;) {
      const next = await phone.waitForSelector('#login-form, #consent-form, #device-confirm-form, #success', { timeout: 15000 });
      const id = await next.getAttribute('id');
      if (id === 'success') break;
      if (id === 'login-form') {
        await phone.fill('#login', 'dave');
        await phone.click('#submit');
      } else {
        await phone.click(id === 'consent-form' ? '#approve' : '#confirm');
      }
      await phone.waitForLoadState();
    }
    await phone.close();
  } else {
    await page.click('#run');
  }
  const result = await outcome(page);
  assert.equal(result.ok, true, result.text);
  assert.deepEqual(await stepStates(page), Array((await page.$$('#steps li')).length).fill('done'), `every ${flow} step lit`);
  return { result, entries: await logEntries(page) };
}

const labels = (entries) => entries.map((e) => `${e.kind}: ${e.label}`);

async function checkServerFlow(context, page, at, flow) {
  const { result, entries } = await runServerFlow(context, page, at, flow);
  if (flow === 'client-credentials') {
    assert.deepEqual(labels(entries), [
      'request: discovery (RFC 8414 metadata)',
      'response: discovery (RFC 8414 metadata)',
      'request: token request · client_credentials',
      'response: token request · client_credentials',
      'request: API call',
      'response: API call',
    ]);
    const request = entries.find((e) => e.kind === 'request' && e.label === 'token request · client_credentials');
    assert.equal(request.params.grant_type, 'client_credentials');
    assert.equal(request.params.scope, 'api:read');
    assert.equal(request.params.resource, at.apiUrl);
    assert.match(entries[3].params.access_token, SHORT);
    assert.ok(request.params.Authorization ? /^Basic .*…/.test(request.params.Authorization) : SHORT.test(request.params.client_secret), 'the secret is shortened');
    assert.ok(entries.some((e) => e.kind === 'response' && e.label === 'API call' && e.text.includes('200')));
    assert.match(result.text, /client_id=service/);
  }
  if (flow === 'device') {
    const all = labels(entries);
    const order = all.filter((l) => !l.includes('discovery') && !l.includes('JWKS'));
    assert.match(order.join('\n'), new RegExp('^request: device authorization request\nresponse: device authorization request\n'
      + '(request: token poll · device_code\nresponse: token poll · device_code\n){2,}request: API call\nresponse: API call$'), all.join('\n'));
    // The ID token is verified (JWKS fetched) after the last poll and before the API call.
    const jwks = all.findIndex((l) => l.includes('JWKS'));
    if (jwks >= 0) assert.ok(jwks > all.findLastIndex((l) => l.includes('token poll')) && jwks < all.indexOf('request: API call'));
    assert.ok(entries.some((e) => e.label === 'device authorization request' && e.kind === 'response' && SHORT.test(e.params.device_code)));
    const polls = entries.filter((e) => e.kind === 'response' && e.label.startsWith('token poll'));
    assert.ok(polls.length >= 2, 'polled at least twice');
    assert.ok(polls.slice(0, -1).every((e) => /authorization_pending|slow_down/.test(e.params.error)), JSON.stringify(polls, null, 1));
    assert.match(polls.at(-1).text, /200/);
    // dave, or whoever the browser is already signed in as at the auth server (the phone tab shares it).
    assert.match(result.text, /signed in as (\w+); the API answered 200 for sub=\1\./);
  }
  if (flow === 'confidential') {
    const order = labels(entries).filter((l) => !l.includes('discovery') && !l.includes('JWKS'));
    assert.deepEqual(order, [
      'request: the user starts login',
      'redirect: redirect to the auth server',
      'callback: authorization response',
      'request: token request · authorization_code',
      'response: token request · authorization_code',
      'redirect: back to the app page',
      'request: API call',
      'response: API call',
    ]);
    const token = entries.find((e) => e.label === 'token request · authorization_code' && e.kind === 'request');
    assert.ok(token.params.Authorization || token.params.client_secret, 'the secret went with the exchange');
    assert.match(token.params.code_verifier ?? '', SHORT, 'PKCE too, as OAuth 2.1 requires');
    const cookies = await context.cookies(at.url);
    const session = cookies.find((c) => c.name === 'demo_session');
    assert.ok(session?.httpOnly, 'an httpOnly session cookie');
    assert.equal(await page.evaluate(() => document.cookie.includes('demo_session')), false);
    assert.match(result.text, /carol/);
  }
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no JWT on the page');
  assert.ok(!text.includes('-secret'), 'no client secret on the page');
}

test('make demo\'s own server runs all three server flows through the core (none is reported unavailable)', () => {
  for (const flow of SERVER_FLOWS) {
    assert.deepEqual(demo.flows[flow], { available: true, where: 'server' }, `${flow}: ${demo.flows[flow].reason ?? ''}`);
  }
});

// The demo's own runners with the real core (dist/node.mjs), keeping the client each run makes so
// the test can compare the page with the real tokens.
function keepingClients() {
  const clients = {};
  const keep = (flow, make) => async (env, fetch) => {
    clients[flow] = await make(env, fetch);
    return clients[flow];
  };
  return {
    clients,
    runners: [
      confidential.createRunner(keep('confidential', confidential.coreClient)),
      clientCredentials.createRunner(keep('client-credentials', clientCredentials.coreClient)),
      device.createRunner(keep('device', device.coreClient)),
    ],
  };
}

test('the three server-run flows, by clicking, through the real core: steps lit, log in order, no token or secret on the page', () => withBrowser(async (context) => {
  const { clients, runners } = keepingClients();
  const staged = await startDemo({ port: 0, asPort: 0, apiPort: 0, runners });
  try {
    for (const flow of SERVER_FLOWS) assert.equal(staged.flows[flow].available, true, staged.flows[flow].reason);
    const page = await openDemo(context, staged);
    for (const flow of SERVER_FLOWS) {
      const runsBefore = clients[flow];
      await checkServerFlow(context, page, staged, flow);
      const client = clients[flow];
      assert.ok(client && client !== runsBefore, `${flow}: the run made its own client with the core`);
      assert.equal(typeof client.getAccessToken, 'function');
      // The real access token this run holds in Node: nowhere in the page.
      const { token } = await client.getAccessToken();
      assert.ok(token.length > 20);
      const seen = await page.evaluate(() => ({
        text: document.body.innerText,
        html: document.documentElement.outerHTML,
        storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
      }));
      for (const [where, value] of Object.entries(seen)) {
        assert.ok(!value.includes(token), `${flow}: the access token is in the page's ${where}`);
        assert.ok(!value.includes('-secret'), `${flow}: a client secret is in the page's ${where}`);
      }
      await shoot(page, flow);
    }
    await shoot(page, 'device-phone', { phone: true });
    // Runs start only from the demo page's own origin.
    const foreign = await fetch(`${staged.url}/demo/runs`, {
      method: 'POST', headers: { origin: 'http://127.0.0.1:9', 'content-type': 'application/json' }, body: '{"flow":"client-credentials"}',
    });
    assert.equal(foreign.status, 403);
  } finally {
    await staged.close();
  }
}));

test('the device flow can be stopped from the page while it polls: the core stops polling', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  await page.click('.card[data-flow="device"]');
  await page.click('#run');
  await page.waitForSelector('#device-user-code');
  await page.waitForFunction(() => /Poll \d+: authorization_pending/.test(document.getElementById('device-poll').textContent), null, { timeout: 20000 });
  const polls = () => demo.as.counts['urn:ietf:params:oauth:grant-type:device_code'] ?? 0;
  await page.click('#cancel');
  const result = await outcome(page);
  assert.equal(result.ok, false);
  const stopped = polls();
  await new Promise((r) => setTimeout(r, 6000)); // longer than the interval
  assert.equal(polls(), stopped, 'no poll after the stop');
  const entries = await logEntries(page);
  assert.ok(entries.some((e) => e.kind === 'note' && e.label === 'stopped'));
  assert.equal(entries.filter((e) => e.kind === 'error').length, 0, 'a stop is not an error');
}));
