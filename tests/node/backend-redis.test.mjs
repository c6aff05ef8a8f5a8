// The backend with Redis (Debian's redis-server on loopback, a free port): the store's calls
// (sealed values, a login transaction used once, an exclusive lock), and two processes of one app
// behind one Redis: a login started on one finishes on the other, both know the session, a logout
// on either ends it everywhere, and concurrent calls on both after the token is due refresh once.
// Redis killed mid-request answers 503 and keeps the cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { createMemoryStore, createRedisStore } from '../../dist/node.mjs';
import { startRedis } from '../../scripts/dev-servers/redis-server.mjs';
import { startBackendApp } from '../../scripts/dev-servers/backend-app.mjs';
import { startBackendProcess } from '../../scripts/dev-servers/backend-process.mjs';

const key = randomBytes(32).toString('base64url');
let redis;
let client;
let app;
let other;
before(async () => {
  redis = await startRedis();
  // disableOfflineQueue: with Redis gone, a command fails at once instead of waiting for it.
  client = await createClient({ url: redis.url, disableOfflineQueue: true }).connect();
  app = await startBackendApp({ backend: { store: createRedisStore(client), key } });
  other = await startBackendProcess({ issuer: app.as.issuer, apiUrl: app.api.url, origin: app.origin, redisUrl: redis.url, key });
});
after(async () => {
  await other?.close();
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
    if (k.startsWith('oauth-wasm:i:')) continue; // a process's heartbeat: '1'
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

// The same browser against either process (a load balancer without affinity).
const at = (base, path) => `${base}${path}`;

test('two processes, one Redis: login across them, both know the session, one refresh for concurrent calls, logout everywhere', async () => {
  const { ua, callback } = await app.login({ login: 'tom', stopAtCallback: true });
  // The login started on this process; its callback lands on the other one.
  const landed = await ua.request(callback.replace(app.origin, other.url));
  assert.equal(landed.status, 302, await landed.text());
  for (const base of [app.origin, other.url]) {
    const res = await ua.request(at(base, '/auth/session'), { headers: { 'X-OAuth-Wasm-CSRF': '1' } });
    assert.equal((await res.json()).user?.sub, 'tom', `the session at ${base}`);
  }
  const me = (base) => ua.request(at(base, `/auth/proxy?${new URLSearchParams({ url: `${app.api.url}/me` })}`), { headers: { 'X-OAuth-Wasm-CSRF': '1' } });
  assert.equal((await me(other.url)).status, 200);

  const refreshes = app.as.counts.refresh_token ?? 0;
  app.clock.advance(600);
  await other.advance(600);
  const answers = await Promise.all([app.origin, other.url, app.origin, other.url, app.origin, other.url].map(me));
  assert.equal(app.as.counts.refresh_token, refreshes + 1, 'one refresh for the session across both processes');
  const statuses = answers.map((r) => r.status);
  if (app.backend.portable) {
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
  } else {
    // Without the core's session record API the tokens stay in the process that finished the login.
    assert.deepEqual(statuses, [503, 200, 503, 200, 503, 200]);
    assert.deepEqual(answers[0].headers.getSetCookie(), [], 'the other process does not end the session');
  }

  const out = await ua.request(at(app.origin, '/auth/logout'), { method: 'POST', body: '{}', headers: { 'X-OAuth-Wasm-CSRF': '1' } });
  assert.equal(out.status, 200);
  const after = await me(other.url);
  assert.equal(after.status, 401);
  assert.equal((await after.json()).error, 'login_required', 'the logout on one process ended the session on the other');
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
