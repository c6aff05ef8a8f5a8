// The session holder's side of the silent restore (web/session.mjs#silentLogin) in Node, against
// the real authorization server, a cookie-keeping user agent standing in for the hidden frame: the
// prompt=none URL comes down the MessageChannel, the callback URL goes up it and is judged by the
// core as any callback. Bad input: a wrong state, an error answer, a frame that lands elsewhere or
// never answers, a second caller while one is in flight, no silentRedirectUri. Nothing sleeps:
// the timeout is a parameter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadIsolatedCore } from '../../dist/node.mjs';
import { openSession } from '../../web/session.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const SILENT = `${APP}/silent-callback`;
const atApp = (url) => url.startsWith(`${APP}/`);

let as;
let core;
let ua; // holds the server's session cookie once signedIn() ran

before(async () => {
  as = await startAuthServer({ appOrigin: APP });
  core = await loadIsolatedCore();
});

after(async () => {
  await as?.close();
});

const open = (config = {}) => {
  const events = [];
  return openSession(core, {
    issuer: as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, silentRedirectUri: SILENT,
    scope: 'openid profile', autoRefresh: false, ...config,
  }, (type, detail) => events.push({ type, code: detail?.code })).then((session) => Object.assign(session, { events }));
};

// A login by the user agent (cookies kept): the server's session exists afterwards.
async function signedIn() {
  if (ua) return;
  ua = new UserAgent();
  const session = await open();
  const { url } = await session.authorize({});
  const done = await playUser(ua, await ua.navigate(url, { stopAt: atApp }), { login: 'sam', stopAt: atApp });
  await session.callback(done.location, '');
}

// Starts session.silent(); resolves to { result, url, port } once the URL came down the port.
function start(session, options = {}, settings = {}) {
  const { port1: port, port2 } = new MessageChannel();
  const url = new Promise((resolve) => { port.onmessage = ({ data }) => resolve(data.url); });
  const result = session.silent(options, port2, settings);
  result.catch(() => {});
  return { result, url, port };
}

test('silent: the prompt=none URL to silentRedirectUri comes down the port; the callback goes up it and makes a session', async () => {
  await signedIn();
  const session = await open();
  const { result, url, port } = start(session);
  const request = new URL(await url);
  assert.equal(request.searchParams.get('prompt'), 'none');
  assert.equal(request.searchParams.get('redirect_uri'), SILENT);
  const answer = await ua.navigate(request.href, { stopAt: atApp });
  assert.ok(answer.location.startsWith(`${SILENT}?code=`), answer.location);
  port.postMessage({ url: answer.location });
  const login = await result;
  assert.equal(login.user.sub, 'sam');
  assert.equal(await session.isAuthenticated(), true);
  assert.deepEqual(session.events, [{ type: 'login', code: undefined }]);

  // Authenticated meanwhile (another tab restored it): no second attempt, the port closed.
  const again = start(session);
  assert.equal(await again.result, null);
});

test('a second caller joins the attempt in flight: one authorization request, one outcome for both', async () => {
  await signedIn();
  const session = await open();
  const first = start(session);
  const second = start(session);
  const request = await first.url;
  const answer = await ua.navigate(request, { stopAt: atApp });
  first.port.postMessage({ url: answer.location });
  const [a, b] = await Promise.all([first.result, second.result]);
  assert.equal(a, b);
  assert.equal(a.user.sub, 'sam');
  const nothing = await Promise.race([second.url, new Promise((resolve) => setImmediate(() => resolve('no url')))]);
  assert.equal(nothing, 'no url', 'the joining caller got no URL to frame');
});

test('bad answers up the port: a wrong state, an error, a landing elsewhere, silence: typed errors and no session', async () => {
  await signedIn();
  const session = await open();
  const codes = as.counts.authorization_code ?? 0;

  const forged = start(session);
  await forged.url;
  forged.port.postMessage({ url: `${SILENT}?code=forged&state=${'A'.repeat(43)}&iss=${encodeURIComponent(as.issuer)}` });
  await assert.rejects(forged.result, { code: 'state_mismatch' });

  const refused = start(session);
  const state = new URL(await refused.url).searchParams.get('state');
  refused.port.postMessage({ url: `${SILENT}?error=login_required&state=${state}&iss=${encodeURIComponent(as.issuer)}` });
  await assert.rejects(refused.result, { code: 'login_required' });

  const mixedUp = start(session);
  const mixedState = new URL(await mixedUp.url).searchParams.get('state');
  mixedUp.port.postMessage({ url: `${SILENT}?code=c&state=${mixedState}&iss=${encodeURIComponent('http://127.0.0.1:1')}` });
  await assert.rejects(mixedUp.result, { code: 'iss_mismatch' });

  const elsewhere = start(session);
  await elsewhere.url;
  elsewhere.port.postMessage({ landed: 'elsewhere' });
  await assert.rejects(elsewhere.result, { code: 'silent_frame_failed' });

  const silence = start(session, {}, { timeout: 1 });
  await assert.rejects(silence.result, { code: 'silent_frame_failed' });
  // The late answer finds the port closed: nothing happens.
  const late = await ua.navigate(await silence.url, { stopAt: atApp });
  silence.port.postMessage({ url: late.location });
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(await session.isAuthenticated(), false);
  assert.equal(as.counts.authorization_code ?? 0, codes, 'no code was redeemed');
  // Each attempt ended: a new one starts (no attempt left hanging in flight).
  const next = start(session, {}, { timeout: 1 });
  assert.ok(await next.url);
  await assert.rejects(next.result, { code: 'silent_frame_failed' });
});

test('without silentRedirectUri a silent restore is refused: invalid_argument', async () => {
  const session = await open({ silentRedirectUri: undefined });
  const { port2 } = new MessageChannel();
  assert.throws(() => session.silent({}, port2), { code: 'invalid_argument' });
  port2.close();
});
