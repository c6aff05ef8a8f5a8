// The backend with Redis (Debian's redis-server on loopback, a free port): the store's calls
// (sealed values, a login transaction used once, an exclusive lock), and two Node processes of one
// app (child processes) behind one Redis, against a server with DPoP: a login through one, API
// calls through the other with the same DPoP-bound token, concurrent calls on both after the token
// is due, or after the API refused the token on both (401 invalid_token), refresh once (the
// store's lock), and a logout on either ends the session everywhere.
// Redis killed mid-request answers 503 and keeps the cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createMemoryStore, createRedisStore } from '../../dist/node.mjs';
import { startRedis } from '../../scripts/dev-servers/redis-server.mjs';
import { startBackendApp } from '../../scripts/dev-servers/backend-app.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';
import { startBackendProcess } from '../../scripts/dev-servers/backend-process.mjs';

const key = randomBytes(32).toString('base64url');
let redis;
let client;
let app;
let a;
let b;
// Refreshes the server granted (a request it refused for want of a DPoP nonce and that came again
// with one is one refresh, not two).
let granted = 0;
let sent = 0; // refresh requests the server got, granted or not (but for those refused for want of a nonce)
const issued = []; // the access tokens the server issued, in order
before(async () => {
  redis = await startRedis();
  // disableOfflineQueue: with Redis gone, a command fails at once instead of waiting for it.
  client = await createClient({ url: redis.url, disableOfflineQueue: true }).connect();
  app = await startBackendApp({ backend: { store: createRedisStore(client), key }, authServer: { dpopRequireNonce: true } });
  app.as.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token' && ctx.oidc.params?.grant_type === 'refresh_token' && ctx.status === 200) granted++;
    if (ctx.oidc?.route === 'token' && ctx.oidc.params?.grant_type === 'refresh_token' && ctx.body?.error !== 'use_dpop_nonce') sent++;
    if (ctx.oidc?.route === 'token' && ctx.status === 200) issued.push(ctx.body.access_token);
  });
  const settings = { issuer: app.as.issuer, apiUrl: app.api.url, origin: app.origin, redisUrl: redis.url, key };
  [a, b] = await Promise.all([startBackendProcess(settings), startBackendProcess(settings)]);
});
after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await app?.close();
  await client?.quit();
  await redis?.close();
});

for (const [name, make] of [['memory', () => createMemoryStore()], ['Redis', () => createRedisStore(client, { prefix: `t${randomBytes(4).toString('hex')}:` })]]) {
  test(`the ${name} store: values with a lifetime, take once, an exclusive lock released only by its holder`, async () => {
    const store = make();
    assert.equal(await store.get('a'), null);
    await store.set('a', 'one', 60);
    assert.equal(await store.get('a'), 'one');
    assert.equal(await store.take('a'), 'one');
    assert.equal(await store.take('a'), null, 'taken once');
    await store.set('b', 'two', 60);
    await store.delete('b');
    assert.equal(await store.get('b'), null);
    const token = await store.lock('l', 5000);
    assert.ok(token);
    assert.equal(await store.lock('l', 5000), null, 'held');
    await store.unlock('l', 'not-the-token');
    assert.equal(await store.lock('l', 5000), null, 'another token does not release it');
    await store.unlock('l', token);
    const again = await store.lock('l', 5000);
    assert.ok(again && again !== token);
  });
}

test('the memory store: a lock and a value expire on the store\'s clock', async () => {
  let t = 0;
  const store = createMemoryStore({ now: () => t });
  assert.ok(await store.lock('l', 1000));
  await store.set('v', 'x', 1);
  t = 999;
  assert.equal(await store.lock('l', 1000), null);
  assert.equal(await store.get('v'), 'x');
  t = 1000;
  assert.ok(await store.lock('l', 1000), 'an abandoned lock expires');
  assert.equal(await store.get('v'), null);
});

test('Redis holds sealed values only: no claim, no transaction, no session id, no token in clear', async () => {
  const ua = await app.login({ login: 'rita' });
  const keys = await client.keys('oauth-wasm:*');
  assert.ok(keys.some((k) => k.startsWith('oauth-wasm:s:')), keys.join());
  const sid = ua.jar.header(app.origin).match(/oauth-wasm-session=([^;]+)/)[1];
  for (const k of keys) {
    assert.ok(!k.includes(sid), 'the cookie\'s session id is not a key');
    const value = await client.get(k);
    assert.match(value, /^v1\.[\w-]+\.[\w-]+$/);
    assert.ok(!value.includes('rita'));
  }
  // A record moved to another session's key does not open there: that session is over, not mixed.
  const sam = await app.login({ login: 'sam' });
  const [ritaKey, samKey] = [ua, sam].map((u) => u.jar.header(app.origin).match(/oauth-wasm-session=([^;]+)/)[1])
    .map((id) => `oauth-wasm:s:${createHash('sha256').update(id).digest('base64url')}`);
  await client.set(samKey, await client.get(ritaKey));
  assert.deepEqual(await (await app.call(sam, 'session')).json(), { authenticated: false });
  assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'rita');
});

// The same browser against either process (a load balancer without affinity). The app's origin is
// the redirect URI's; the callback is delivered to the process `base`.
async function loginAt(base, login) {
  const ua = new UserAgent();
  const atCallback = (url) => url.startsWith(`${app.origin}/auth/callback`);
  const start = await ua.navigate(`${base}/auth/login`, { stopAt: atCallback });
  const done = await playUser(ua, start, { login, stopAt: atCallback });
  const landed = await ua.request(done.location.replace(app.origin, base));
  assert.equal(landed.status, 302, await landed.text());
  return ua;
}
const csrf = { headers: { 'X-OAuth-Wasm-CSRF': '1' } };

test('two Node processes, one Redis: login through A, API calls through B, one refresh for calls racing on both, logout on B ends it on A', async () => {
  const ua = await loginAt(a.url, 'tom');
  const me = (base) => ua.request(`${base}/auth/proxy?${new URLSearchParams({ url: `${app.api.url}/me` })}`, csrf);
  // B never saw this session: it restores it from Redis (tokens and DPoP key) and calls the API;
  // the test API checks the DPoP proof against the token's cnf.jkt.
  const viaB = await me(b.url);
  assert.equal(viaB.status, 200, await viaB.clone().text());
  assert.equal((await viaB.json()).sub, 'tom');
  assert.equal((await (await ua.request(`${b.url}/auth/session`, csrf)).json()).user?.sub, 'tom');
  assert.equal((await me(a.url)).status, 200);

  const refreshes = granted;
  await Promise.all([a.advance(600), b.advance(600)]); // the access token (600 s) is due on both
  const answers = await Promise.all([a.url, b.url, a.url, b.url, a.url, b.url].map(me));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  assert.equal(granted, refreshes + 1, 'one refresh for the session across both processes');
  // The rotated refresh token is the one both hold: the next due refresh works from either.
  await Promise.all([a.advance(600), b.advance(600)]);
  assert.equal((await me(b.url)).status, 200);
  assert.equal((await me(a.url)).status, 200);
  assert.equal(granted, refreshes + 2);

  const out = await ua.request(`${b.url}/auth/logout`, { method: 'POST', body: '{}', headers: csrf.headers });
  assert.equal(out.status, 200);
  const after = await me(a.url);
  assert.equal(after.status, 401);
  assert.equal((await after.json()).error, 'login_required', 'the logout on B ended the session on A');
  assert.deepEqual(await (await ua.request(`${a.url}/auth/session`, csrf)).json(), { authenticated: false });
});

test('two Node processes, one Redis, the API refuses the session\'s token on both at once (401 invalid_token): one refresh, under the store\'s lock; every call retried with its token', async () => {
  const ua = await loginAt(a.url, 'val');
  const me = (base) => ua.request(`${base}/auth/proxy?${new URLSearchParams({ url: `${app.api.url}/me` })}`, csrf);
  // Both processes hold the session (and its refresh token) in memory.
  assert.deepEqual(await Promise.all([me(a.url), me(b.url)]).then((r) => r.map((x) => x.status)), [200, 200]);
  // The server revokes the access token before it is due (RFC 7009, as the app's admin might): the
  // API now answers 401 with an invalid_token challenge.
  const { revocation_endpoint: revocation } = await (await fetch(`${app.as.issuer}/.well-known/openid-configuration`)).json();
  const revoked = await fetch(revocation, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('web:web-secret').toString('base64')}` },
    body: new URLSearchParams({ token: issued.at(-1), token_type_hint: 'access_token' }),
  });
  assert.equal(revoked.status, 200);
  const rejected = app.api.calls.rejected;
  const refreshes = granted;
  const requests = sent;
  const events = app.as.events.length;
  const answers = await Promise.all([a.url, b.url, a.url, b.url].map(me));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200], 'every call retried with the refreshed token');
  assert.ok(app.api.calls.rejected >= rejected + 2, 'the API refused the revoked token on both processes');
  assert.equal(granted, refreshes + 1, 'one refresh for the session across both processes');
  assert.equal(sent, requests + 1, 'exactly one refresh request reached the server');
  assert.deepEqual(app.as.events.slice(events).filter((e) => e.error === 'invalid_grant'), [], 'no refresh token sent twice');
  // Both hold the rotated refresh token: the next due refresh works from either.
  await Promise.all([a.advance(600), b.advance(600)]);
  assert.deepEqual(await Promise.all([me(b.url), me(a.url)]).then((r) => r.map((x) => x.status)), [200, 200]);
  assert.equal(granted, refreshes + 2);
});

test('Redis killed mid-session: 503 network_error, the cookie kept; no login starts', async () => {
  const lost = await startRedis();
  const lostClient = await createClient({ url: lost.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 200 } });
  lostClient.on('error', () => {});
  await lostClient.connect();
  const solo = await startBackendApp({ backend: { store: createRedisStore(lostClient), key } });
  try {
    const ua = await solo.login({ login: 'una' });
    assert.equal((await (await solo.call(ua, 'session')).json()).user.sub, 'una');
    await lost.kill();
    for (const route of ['session', `proxy?${new URLSearchParams({ url: `${solo.api.url}/me` })}`]) {
      const res = await solo.call(ua, route);
      assert.equal(res.status, 503, route);
      assert.equal((await res.json()).error, 'network_error');
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
    assert.equal((await ua.request(`${solo.origin}/auth/login`)).status, 503);
  } finally {
    await solo.close();
    await lostClient.disconnect().catch(() => {});
    await lost.close();
  }
});
