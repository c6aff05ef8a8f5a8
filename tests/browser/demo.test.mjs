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
import { withBrowser } from './chromium.mjs';

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

async function runPkce(page, { attacker = false } = {}) {
  await page.click('.card[data-flow="pkce"]');
  if (attacker) await page.check('#attacker');
  await page.click('#run');
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
  const entries = (await logEntries(page)).filter((e) => !e.label.startsWith('JWKS'));
  assert.deepEqual(entries.map((e) => `${e.kind}: ${e.label}`), [
    'request: discovery (RFC 8414 metadata)',
    'response: discovery (RFC 8414 metadata)',
    'redirect: authorization request',
    'callback: authorization response',
    'request: discovery (RFC 8414 metadata)',
    'response: discovery (RFC 8414 metadata)',
    'request: token request · authorization_code',
    'response: token request · authorization_code',
    'request: API call',
    'response: API call',
  ]);
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
  const rotation = (await logEntries(page)).filter((e) => !e.label.startsWith('JWKS')).slice(10);
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

test('PKCE by popup: the page stays put and logs the callback the popup posts back', () => withBrowser(async (context) => {
  const page = await openDemo(context);
  await page.check('input[name="pkce-mode"][value="popup"]');
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#run')]);
  await signIn(popup, { login: 'bob', done: popup.waitForEvent('close') });
  const result = await outcome(page);
  assert.equal(result.ok, true, result.text);
  assert.match(result.text, /“bob”/);
  assert.deepEqual(await stepStates(page), Array(7).fill('done'));
  const entries = await logEntries(page);
  const callback = entries.find((e) => e.kind === 'callback');
  assert.ok(callback, 'the callback the popup posted is in the log');
  assert.match(callback.text, new RegExp(`${demo.url}/popup-callback`));
  assert.match(callback.params.code, SHORT);
  assert.equal(new URL(page.url()).pathname, '/', 'the page never navigated');
  const { token } = await page.evaluate(() => window.demo.pkceClient.getAccessToken());
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(token));
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
    const back = page.waitForURL((u) => u.origin === at.url && u.pathname === '/', { timeout: 30000 })
      .then(() => page.waitForSelector('body[data-ready]'));
    await signIn(page, { login: 'carol', done: back });
  } else if (flow === 'device') {
    await page.click('#run');
    await page.waitForSelector('#device-user-code');
    const userCode = await page.textContent('#device-user-code');
    assert.match(userCode, /^[A-Z]{4}-[A-Z]{4}$/);
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
