// Device authorization (RFC 8628) in Node against the test authorization server: the client polls
// while the test plays the user on the server's device pages (tests/support playUser). The client's
// waits run on a clock the test moves (scripts/dev-servers/manual-clock.mjs): a poll goes out when the
// test moves the time to it, usually once the user has acted. End to end at the server's own pace
// (interval 5 s), then with a server that says interval 1: access denied, the code expiring (a
// short expires_in), slow_down and a poll without an answer, and cancelling by AbortSignal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, OAuthError } from '../../dist/node.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';
import { manualClock } from '../../scripts/dev-servers/manual-clock.mjs';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let as;
let api;

before(async () => {
  as = await startAuthServer();
  api = await startTestApi({ issuer: as.issuer });
});

after(async () => {
  await api?.close();
  await as?.close();
});

const polls = (server = as) => server.counts[DEVICE_GRANT] ?? 0;

// The user, on another device: opens the verification URI, types the code, signs in, decides.
async function actAsUser({ verificationUri, userCode }, { login = 'dave', decision = 'approve' } = {}) {
  const ua = new UserAgent();
  const done = await playUser(ua, await ua.navigate(verificationUri), { userCode, login, decision });
  return done.text;
}

// The grant_type a token request carries (null for anything else).
const grantOf = async (request) => (request.method === 'POST' ? new URLSearchParams(await request.clone().text()).get('grant_type') : null);

// A fetch through which the server's device authorization response says `changes` (interval: 1),
// and which can answer a poll itself (`onPoll(n)` returning a Response) instead of the server.
function serverSays(changes, { onPoll } = {}) {
  let n = 0;
  return async (input, init) => {
    const request = new Request(input, init);
    if (await grantOf(request) === DEVICE_GRANT) {
      const own = await onPoll?.(++n);
      if (own) return own;
    }
    const res = await fetch(request);
    if (!request.url.endsWith('/device/auth') || res.status !== 200) return res;
    return Response.json({ ...(await res.json()), ...changes });
  };
}

// serverSays({ interval: 1 }) with refresh requests held on the wire once hold() is called:
// hold() → { onWire (a refresh request has arrived), release() }.
function holdingRefreshes() {
  const base = serverSays({ interval: 1 });
  let gate = null;
  return {
    async fetch(input, init) {
      const request = new Request(input, init);
      if (gate && await grantOf(request) === 'refresh_token') {
        gate.arrived();
        await gate.released;
      }
      return base(request);
    },
    hold() {
      gate = {};
      gate.onWire = new Promise((resolve) => { gate.arrived = resolve; });
      gate.released = new Promise((resolve) => { gate.release = resolve; });
      return gate;
    },
  };
}

const deviceClient = (options = {}) => createClient({ issuer: as.issuer, clientId: 'device', apiOrigins: [api.url], ...options });

// A device login in which the user acts (`user`: actAsUser's options) as soon as the code is shown,
// and the client polls once, after the user is done: { result, page } (the user's last page).
async function deviceLogin(client, clock, { user, ...options } = {}) {
  let userDone;
  let off;
  const shown = new Promise((resolve) => { off = client.on('device_code', resolve); });
  const login = client.loginWithDeviceCode({ scope: 'openid', ...options, onPrompt(prompt) { userDone = actAsUser(prompt, user); } });
  await Promise.race([shown, login]);
  off();
  const page = await userDone;
  await clock.next(); // the interval passes: the poll that brings the tokens
  return { result: await login, page };
}

function record(client) {
  const seen = { prompts: [], polls: [], errors: [], logins: [] };
  client.on('device_code', (p) => seen.prompts.push(p));
  client.on('device_poll', (p) => seen.polls.push(p));
  client.on('error', (e) => seen.errors.push(e));
  client.on('login', (l) => seen.logins.push(l));
  return seen;
}

test('end to end at the server\'s pace: the code shown, authorization_pending while the user signs in, then tokens', async () => {
  const clock = manualClock();
  const pollTimes = [];
  const client = await deviceClient({
    clock,
    async fetch(input, init) {
      const request = new Request(input, init);
      if (await grantOf(request) === DEVICE_GRANT) pollTimes.push(clock.now());
      return fetch(request);
    },
  });
  const seen = record(client);
  const pending = new Promise((resolve) => client.on('device_poll', ({ result }) => result === 'authorization_pending' && resolve()));
  const before = polls();
  const started = clock.now();
  const login = client.loginWithDeviceCode({ scope: 'openid profile offline_access' });
  assert.equal(await clock.next(), 5000, 'the first poll waits the interval');
  // The user acts only once the client has been told to keep waiting.
  await pending;
  assert.match(await actAsUser(seen.prompts[0]), /id="success"/);
  assert.equal(await clock.next(), 5000);
  const result = await login;

  const [prompt] = seen.prompts;
  assert.match(prompt.userCode, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(prompt.verificationUri, `${as.issuer}/device`);
  assert.equal(prompt.verificationUriComplete, `${as.issuer}/device?user_code=${prompt.userCode}`);
  assert.equal(prompt.expiresIn, 600);
  assert.equal(prompt.interval, 5, 'no interval from the server: 5 s (RFC 8628 §3.2)');
  assert.deepEqual(seen.polls, [{ result: 'authorization_pending', interval: 5 }]);
  assert.equal(polls(), before + 2, 'the pending poll, then the one that brought the tokens');
  assert.deepEqual(pollTimes, [started + 5000, started + 10000], 'no poll sooner than the interval');

  // openid: the ID token was verified by the core, and the user is known.
  assert.equal(result.user.sub, 'dave');
  assert.equal(result.user.aud, 'device');
  assert.deepEqual(seen.logins, [{ user: result.user }]);
  assert.deepEqual(seen.errors, []);
  assert.equal(await client.isAuthenticated(), true);
  const res = await client.fetch(`${api.url}/me`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).sub, 'dave');
});

test('the user says no: access_denied ends the polling with a typed error', async () => {
  const clock = manualClock();
  const client = await deviceClient({ fetch: serverSays({ interval: 1 }), clock });
  const seen = record(client);
  await assert.rejects(deviceLogin(client, clock, { user: { decision: 'deny' } }),
    (e) => e instanceof OAuthError && e.code === 'access_denied' && e.blame === 'remote');
  assert.deepEqual(seen.errors.map((e) => e.code), ['access_denied']);
  assert.equal(await client.isAuthenticated(), false);
  assert.equal(clock.pending, 0, 'no wait for another poll');
  const after = polls();
  await clock.advance(5000);
  assert.equal(polls(), after, 'no poll after the end');
});

test('the code expires before the user acts: the poll stops at expires_in with expired_token', async () => {
  // The server's code lives 600 s; the client is told 3 s, and stops there on its own clock.
  const clock = manualClock();
  const client = await deviceClient({ fetch: serverSays({ interval: 1, expires_in: 3 }), clock });
  const seen = record(client);
  const before = polls();
  const started = clock.now();
  await assert.rejects(clock.run(client.loginWithDeviceCode({ scope: 'openid' })), (e) => e.code === 'expired_token');
  const elapsed = clock.now() - started;
  assert.equal(seen.prompts[0].expiresIn, 3);
  assert.ok(elapsed >= 1000 && elapsed <= 3000, `stopped at the deadline, not later (${elapsed} ms)`);
  const polled = polls() - before;
  assert.ok(polled >= 1 && polled <= 3, `polled ${polled} times within 3 s at 1 s`);
  assert.deepEqual(clock.requested, Array(polled).fill(1000), 'a poll every second');
  assert.ok(seen.polls.every((p) => p.result === 'authorization_pending'));
  assert.deepEqual(seen.errors.map((e) => e.code), ['expired_token']);
});

test('slow_down adds 5 s to the interval; a poll without an answer doubles it; then the login completes', async () => {
  const clock = manualClock();
  const pollTimes = [];
  const client = await deviceClient({
    clock,
    fetch: serverSays({ interval: 1 }, {
      onPoll(n) {
        pollTimes.push(clock.now());
        if (n === 1) throw new TypeError('fetch failed'); // no answer at all
        if (n === 2) return Response.json({ error: 'slow_down' }, { status: 400 });
        return null; // the server's own answers
      },
    }),
  });
  const seen = record(client);
  const login = client.loginWithDeviceCode({ scope: 'openid' });
  await clock.next(); // poll 1: no answer
  await clock.next(); // poll 2: slow_down
  await actAsUser(seen.prompts[0]);
  await clock.next(); // poll 3: the tokens
  await login;
  assert.deepEqual(seen.polls, [{ result: 'no_response', interval: 2 }, { result: 'slow_down', interval: 7 }]);
  const gap = (i) => pollTimes[i] - pollTimes[i - 1];
  assert.equal(gap(1), 2000, 'after no answer');
  assert.equal(gap(2), 7000, 'after slow_down');
  assert.equal(await client.isAuthenticated(), true);
});

test('an AbortSignal stops the polling at once; the flow can be started again', async () => {
  const clock = manualClock();
  const client = await deviceClient({ fetch: serverSays({ interval: 1 }), clock });
  const seen = record(client);
  const controller = new AbortController();
  const first = client.loginWithDeviceCode({ scope: 'openid', signal: controller.signal });
  const polled = new Promise((resolve) => client.on('device_poll', resolve));
  await clock.next();
  await polled;
  const before = polls();
  controller.abort();
  await assert.rejects(first, (e) => e.name === 'AbortError');
  assert.equal(clock.pending, 0, 'the wait for the next poll is gone');
  await clock.advance(5000);
  assert.equal(polls(), before, 'no poll after the abort');
  assert.deepEqual(seen.errors, [], 'cancelling is not an error event');
  await assert.rejects(client.loginWithDeviceCode({ signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');

  // And again, to the end.
  const { result } = await deviceLogin(client, clock, { user: { login: 'erin' } });
  assert.equal(result.user.sub, 'erin');
});

test('device tokens that arrive while a refresh is in flight wait for it, then log in: no out_of_order', async () => {
  // The poll that brings the second login's tokens starts a refresh of the first login first, and
  // the refresh's answer is held until the poll's answer is back: the grant hands the tokens to
  // the client only in its turn of the session's queue, after the refresh (docs/REVIEW.md 26).
  let approved = false;
  let held = null; // the refresh's request waits on this
  let refreshing;
  const refreshes = holdingRefreshes();
  const clock = manualClock();
  const client = await deviceClient({
    clock,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (held || !approved || await grantOf(request) !== DEVICE_GRANT) return refreshes.fetch(request);
      held = refreshes.hold();
      refreshing = client.refresh();
      await held.onWire;
      const res = await refreshes.fetch(request);
      setTimeout(held.release, 200);
      return res;
    },
  });
  const seen = record(client);
  const { result: first } = await deviceLogin(client, clock, { scope: 'openid offline_access' });
  assert.equal(first.user.sub, 'dave');

  // The next poll comes after erin has approved (deviceLogin), and brings the second login's tokens.
  approved = true;
  const { result: second, page } = await deviceLogin(client, clock, { scope: 'openid offline_access', user: { login: 'erin' } });
  assert.match(page, /id="success"/);
  assert.ok(held, 'the tokens came while the refresh was held');
  await refreshing;
  assert.equal(second.user.sub, 'erin');
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.logins.map((l) => l.user.sub), ['dave', 'erin']);
  const res = await client.fetch(`${api.url}/me`);
  assert.equal((await res.json()).sub, 'erin');
});

test('a device login after a service token: a login listener\'s client.fetch sends the user\'s token, no service token renewal', async () => {
  // The client credentials' renewal is switched off as soon as the client holds the user's tokens,
  // before the JWKS request and the 'login' listeners (the review of docs/REVIEW.md 26's fix).
  const both = await startAuthServer({ clientOverrides: { service: { grant_types: ['client_credentials', DEVICE_GRANT] } } });
  const bothApi = await startTestApi({ issuer: both.issuer });
  try {
    const clock = manualClock();
    const client = await createClient({
      issuer: both.issuer, clientId: 'service', clientSecret: 'service-secret', apiOrigins: [bothApi.url], fetch: serverSays({ interval: 1 }), clock,
    });
    await client.loginWithClientCredentials({ scope: 'api:read' });
    const calls = [];
    client.on('login', ({ user }) => { if (user?.sub) calls.push(client.fetch(`${bothApi.url}/me`).then((r) => r.json())); });
    const { result } = await deviceLogin(client, clock);
    assert.equal(result.user.sub, 'dave');
    assert.equal(calls.length, 1);
    assert.equal((await calls[0]).sub, 'dave', 'the listener\'s request carried the user\'s token');
    assert.equal(both.counts.client_credentials, 1, 'no renewal of the service token');
  } finally {
    await bothApi.close();
    await both.close();
  }
});

test('an abort while a poll\'s answer waits for a refresh: no further poll, no device_poll event', async () => {
  // The poll's answer waits for its turn behind a held refresh; the abort comes meanwhile.
  const refreshes = holdingRefreshes();
  const clock = manualClock();
  const client = await deviceClient({ fetch: refreshes.fetch, clock });
  await deviceLogin(client, clock, { scope: 'openid offline_access' });

  const seen = record(client);
  const controller = new AbortController();
  const second = client.loginWithDeviceCode({ scope: 'openid', signal: controller.signal });
  second.catch(() => {});
  await new Promise((resolve) => client.on('device_code', resolve));
  const held = refreshes.hold();
  const refreshing = client.refresh();
  await held.onWire;
  const before = polls();
  // The next poll goes out after the interval; its answer then waits behind the refresh.
  await clock.next();
  await new Promise((resolve) => {
    const check = setInterval(() => { if (polls() > before) { clearInterval(check); resolve(); } }, 20);
  });
  await new Promise((r) => setTimeout(r, 100));
  controller.abort();
  held.release();
  await assert.rejects(second, (e) => e.name === 'AbortError');
  await refreshing;
  const after = polls();
  await clock.advance(5000);
  assert.equal(polls(), after, 'no poll after the abort');
  assert.deepEqual(seen.polls, [], 'no device_poll event for the answer that came after the abort');
  assert.deepEqual(seen.errors, []);
});

test('a server without a device endpoint: device_flow_not_supported, before any request', async () => {
  const client = await deviceClient({
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/.well-known/')) return res;
      const { device_authorization_endpoint: _, ...rest } = await res.json();
      return Response.json(rest);
    },
  });
  await assert.rejects(client.loginWithDeviceCode(), (e) => e.code === 'device_flow_not_supported');
});
