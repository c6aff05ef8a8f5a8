// The backend when things fail (issue 26): the session store unreachable mid-request (before the
// session is read, or as a refresh's tokens are written), a slow or
// failing authorization server during a refresh (bounded by `timeout`, a typed error, the session
// kept), and a refresh token the server refuses (the session ends, the cookie goes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../dist/node.mjs';
import { createServer } from 'node:http';
import { listen, startBackendApp, testClock } from '../../scripts/dev-servers/backend-app.mjs';

// The in-memory store behind a switch: while `down`, every call rejects as a lost connection would;
// the calls named in `failing` reject the same way.
function switchableStore() {
  const inner = createMemoryStore();
  const store = { down: false, failing: [] };
  for (const name of ['get', 'set', 'delete', 'take', 'lock', 'unlock']) {
    store[name] = (...args) => (store.down || store.failing.includes(name) ? Promise.reject(new Error('ECONNREFUSED')) : inner[name](...args));
  }
  return store;
}

// Another process of the app over the same store (createBackend on a server of its own, its own
// clock), calling its routes with the cookie `ua` holds.
async function serveAnother(ua, options) {
  const { createBackend } = await import('../../dist/node.mjs');
  const backend = await createBackend({ issuer: app.as.issuer, clientSecret: 'web-secret', origin: app.origin, apiOrigins: [app.api.url], store, ...options });
  const server = createServer((req, res) => backend(req, res));
  const url = await listen(server);
  const call = (route) => fetch(`${url}/auth/${route}`, { headers: { cookie: ua.jar.header(app.origin), 'x-oauth-wasm-csrf': '1' } });
  return { call, close: async () => { server.close(); await backend.close(); } };
}

// The authorization server's token endpoint for refresh_token, as a test sets it: 'slow' holds the
// request until the test releases it (held: { arrived, release, answered }; then a 503, which
// nobody waits for any more), 'down' answers with a
// 503, 'refuse' with invalid_grant; null lets requests through. The backend's request deadline
// (TIMEOUT ms) runs on its clock, which the tests move: nothing waits for real time.
const TIMEOUT = 20000; // below the session's own requestTimeout (30 s of real time)
let fault = null;
let held = null;
function hold() {
  let arrive;
  let release;
  let answer;
  held = {
    arrived: new Promise((resolve) => { arrive = resolve; }),
    released: new Promise((resolve) => { release = resolve; }),
    answered: new Promise((resolve) => { answer = resolve; }),
  };
  Object.assign(held, { arrive, release, answer });
  return held;
}
const store = switchableStore();
let app;
before(async () => {
  app = await startBackendApp({ backend: { store, key: Buffer.alloc(32, 7), timeout: TIMEOUT } });
  app.as.use(async (ctx, next) => {
    const refreshing = ctx.path === '/token' && ctx.method === 'POST' && fault;
    if (refreshing === 'slow') { // the refresh token is not used: the server never got to it
      const slow = held;
      slow.arrive();
      await slow.released;
      ctx.status = 503;
      ctx.body = '';
      slow.answer();
      return;
    }
    if (refreshing === 'down') {
      ctx.status = 503;
      ctx.body = '';
      return;
    }
    if (refreshing === 'refuse') {
      ctx.status = 400;
      ctx.body = { error: 'invalid_grant', error_description: 'grant request is invalid' };
      return;
    }
    await next();
  });
});
after(() => app.close());

const me = (ua) => app.proxy(ua, `${app.api.url}/me`);

test('the store unreachable mid-request: 503 network_error, the cookie kept; the session works again after', async () => {
  const ua = await app.login({ login: 'mia' });
  store.down = true;
  try {
    for (const res of [await app.call(ua, 'session'), await me(ua), await app.call(ua, 'logout', { method: 'POST', body: '{}' })]) {
      assert.equal(res.status, 503);
      assert.equal((await res.json()).error, 'network_error');
      assert.deepEqual(res.headers.getSetCookie(), [], 'the cookie is not touched');
    }
    const login = await ua.request(`${app.origin}/auth/login`);
    assert.equal(login.status, 503, 'no login starts without the store');
  } finally {
    store.down = false;
  }
  assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'mia');
  assert.equal((await me(ua)).status, 200);
});

test('a store that lost the session (flushed, evicted) logs the user out cleanly', async () => {
  const ua = await app.login({ login: 'nina' });
  const before = app.api.calls.total;
  for (const key of ['get']) {
    const saved = store[key];
    store[key] = async () => null; // the record is gone
    try {
      const res = await me(ua);
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, 'login_required');
      assert.match(res.headers.getSetCookie()[0], /Max-Age=0/);
    } finally {
      store[key] = saved;
    }
  }
  assert.equal(app.api.calls.total, before, 'no token went out');
  assert.deepEqual(await (await app.call(ua, 'session')).json(), { authenticated: false }, 'the process dropped its client too');
});

test('the store failing mid-request, as the refreshed tokens are written: 503 network_error, the cookie kept; the process stores them once the store is back, and another process refreshes with the rotated refresh token', async () => {
  const ua = await app.login({ login: 'vera' });
  const refreshes = app.as.counts.refresh_token ?? 0;
  await app.clock.advance(600);
  store.failing = ['set'];
  try {
    const res = await me(ua);
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error, 'network_error');
    assert.deepEqual(res.headers.getSetCookie(), [], 'the cookie is not touched');
  } finally {
    store.failing = [];
  }
  assert.equal(app.as.counts.refresh_token, refreshes + 1, 'the server rotated the refresh token before the write failed');
  assert.equal((await me(ua)).status, 200, 'the process kept the new tokens');
  const clock = testClock();
  const other = await serveAnother(ua, { clientId: 'web', key: Buffer.alloc(32, 7), clock });
  try {
    assert.equal((await other.call('session')).status, 200);
    await clock.advance(600); // due there: it refreshes from the stored record
    const res = await other.call(`proxy?${new URLSearchParams({ url: `${app.api.url}/me` })}`);
    assert.equal(res.status, 200, 'the stored refresh token was the rotated one');
    assert.equal(app.as.counts.refresh_token, refreshes + 2);
  } finally {
    await other.close();
  }
});

test('a slow server during refresh: bounded by timeout, network_error, the session kept and refreshed later', async () => {
  const ua = await app.login({ login: 'omar' });
  await app.clock.advance(600);
  fault = 'slow';
  const slow = hold();
  try {
    const started = Date.now();
    const answer = me(ua);
    await slow.arrived;
    await app.clock.advance(TIMEOUT / 1000); // the backend's deadline passes; the server has not answered
    const res = await answer;
    assert.equal(res.status, 502);
    assert.equal((await res.json()).error, 'network_error');
    assert.ok(Date.now() - started < TIMEOUT, 'the deadline ran on the backend\'s clock, not on real time');
  } finally {
    fault = null;
    slow.release();
  }
  await slow.answered; // the slow answer lands; it is not ours
  const res = await me(ua);
  assert.equal(res.status, 200, 'the session was kept and refreshes now');
  assert.equal((await res.json()).sub, 'omar');
});

test('a failing server during refresh (503): a typed error, the session kept', async () => {
  const ua = await app.login({ login: 'pia' });
  await app.clock.advance(600);
  fault = 'down';
  try {
    const res = await me(ua);
    assert.ok(res.status >= 500, `status ${res.status}`);
    const body = await res.json();
    assert.ok(body.error, 'a typed error');
    assert.deepEqual(res.headers.getSetCookie(), []);
  } finally {
    fault = null;
  }
  assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'pia');
  assert.equal((await me(ua)).status, 200);
});

test('a refresh token the server refuses ends the session: 401 session_expired, the cookie cleared', async () => {
  const ua = await app.login({ login: 'quinn' });
  await app.clock.advance(600);
  fault = 'refuse';
  try {
    const res = await me(ua);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, 'session_expired');
    assert.match(res.headers.getSetCookie()[0], /^oauth-wasm-session=; .*Max-Age=0$/);
  } finally {
    fault = null;
  }
  assert.deepEqual(await (await app.call(ua, 'session')).json(), { authenticated: false });
});

test('a process that stopped leaves its sessions in the store: the next one restores them; another client or key reads them as signed out', async () => {
  const ua = await app.login({ login: 'rosa' });
  await app.backend.close();
  const serve = (options) => serveAnother(ua, options);
  // Another key: the record does not open (signed out there); another client of the same server
  // with the same key: the core refuses the record as foreign. Neither touches the session.
  const otherKey = await serve({ clientId: 'web', key: Buffer.alloc(32, 8) });
  try {
    const res = await otherKey.call('session');
    assert.deepEqual(await res.json(), { authenticated: false });
    assert.match(res.headers.getSetCookie()[0], /^oauth-wasm-session=; .*Max-Age=0$/);
  } finally {
    await otherKey.close();
  }
  const foreign = await serve({ clientId: 'web-post', key: Buffer.alloc(32, 7) });
  try {
    assert.deepEqual(await (await foreign.call('session')).json(), { authenticated: false });
  } finally {
    await foreign.close();
  }
  const next = await serve({ clientId: 'web', key: Buffer.alloc(32, 7) });
  try {
    assert.equal((await (await next.call('session')).json()).user.sub, 'rosa');
    const res = await next.call(`proxy?${new URLSearchParams({ url: `${app.api.url}/me` })}`);
    assert.equal(res.status, 200, 'the restored session calls the API with its tokens');
    assert.equal((await res.json()).sub, 'rosa');
  } finally {
    await next.close();
  }
});
