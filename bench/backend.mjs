#!/usr/bin/env node
// The backend for frontend (createBackend), measured end to end on 127.0.0.1 against the real
// authorization server and the test API (which introspects every token it is shown):
//   1. API call latency through the backend's proxy (cookie, CSRF check, session lookup in the
//      store, the token added, the answer streamed back) against the same call made directly with
//      the bearer token, in the same rounds: median and p95 of sequential calls, their ratio, and
//      the time for N concurrent calls each way.
//   2. Refreshes per N concurrent calls made when the token is due, on one process, and across two
//      processes behind one Redis (Debian's redis-server; skipped when it is not installed); across
//      the two processes also when the API refuses the token (revoked at the server before it was
//      due: 401 invalid_token on both).
//
//   node bench/backend.mjs [--calls 200] [--n 1,20,100] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startBackendApp } from '../scripts/dev-servers/backend-app.mjs';

const { values: args } = parseArgs({
  options: { calls: { type: 'string', default: '200' }, n: { type: 'string', default: '1,20,100' }, json: { type: 'boolean', default: false } },
});
const CALLS = Number(args.calls);
const SIZES = args.n.split(',').map(Number);
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const round = (x) => Math.round(x * 100) / 100;

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

// ---- 1. latency -----------------------------------------------------------------------------
const tokens = [];
const app = await startBackendApp({
  backend: {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/token')) {
        const body = await res.clone().json().catch(() => ({}));
        if (body.access_token) tokens.push(body.access_token);
      }
      return res;
    },
  },
});
const ua = await app.login({ login: 'bench' });
const target = `${app.api.url}/me`;
const proxied = async () => {
  const res = await app.proxy(ua, target);
  if (res.status !== 200) throw new Error(`proxy ${res.status}`);
  await res.arrayBuffer();
};
const direct = async () => {
  const res = await fetch(target, { headers: { Authorization: `Bearer ${tokens.at(-1)}` } });
  if (res.status !== 200) throw new Error(`direct ${res.status}`);
  await res.arrayBuffer();
};
for (let i = 0; i < 20; i++) { await proxied(); await direct(); } // warm-up
const times = { proxied: [], direct: [] };
for (let i = 0; i < CALLS; i++) { // interleaved, so both see the same machine load
  times.proxied.push(await timed(proxied));
  times.direct.push(await timed(direct));
}
const latency = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { median: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)) }]));
latency.ratio = { median: round(latency.proxied.median / latency.direct.median), p95: round(latency.proxied.p95 / latency.direct.p95) };
const concurrent = [];
for (const n of SIZES) {
  const p = await timed(() => Promise.all(Array.from({ length: n }, proxied)));
  const d = await timed(() => Promise.all(Array.from({ length: n }, direct)));
  concurrent.push({ n, proxied: round(p), direct: round(d), ratio: round(p / d) });
}

// ---- 2. refreshes per N concurrent calls ------------------------------------------------------
async function refreshesOnOne(n) {
  const user = await app.login({ login: `one-${n}` });
  const before = app.as.counts.refresh_token ?? 0;
  await app.clock.advance(600);
  const answers = await Promise.all(Array.from({ length: n }, () => app.proxy(user, target)));
  return { n, refreshes: (app.as.counts.refresh_token ?? 0) - before, ok: answers.filter((r) => r.status === 200).length };
}
const one = [];
for (const n of SIZES) one.push(await refreshesOnOne(n));

let two = null;
const redisInstalled = spawnSync(process.env.REDIS_SERVER ?? 'redis-server', ['--version']).status === 0;
if (redisInstalled) {
  const { createClient } = await import('redis');
  const { createRedisStore } = await import('../dist/node.mjs');
  const { startRedis } = await import('../scripts/dev-servers/redis-server.mjs');
  const { startBackendProcess } = await import('../scripts/dev-servers/backend-process.mjs');
  const redis = await startRedis();
  const client = await createClient({ url: redis.url, disableOfflineQueue: true }).connect();
  const key = randomBytes(32).toString('base64url');
  const a = await startBackendApp({ backend: { store: createRedisStore(client), key } });
  const b = await startBackendProcess({ issuer: a.as.issuer, apiUrl: a.api.url, origin: a.origin, redisUrl: redis.url, key });
  const issued = [];
  a.as.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token' && ctx.status === 200) issued.push(ctx.body.access_token);
  });
  const { revocation_endpoint: revocation } = await (await fetch(`${a.as.issuer}/.well-known/openid-configuration`)).json();
  const revoke = (token) => fetch(revocation, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('web:web-secret').toString('base64')}` },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  two = { rows: [], refused: [] };
  for (const n of SIZES) {
    const user = await a.login({ login: `two-${n}` });
    const before = a.as.counts.refresh_token ?? 0;
    await a.clock.advance(600);
    await b.advance(600);
    const url = (base) => `${base}/auth/proxy?${new URLSearchParams({ url: `${a.api.url}/me` })}`;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => user.request(url(i % 2 ? b.url : a.origin), { headers: { 'X-OAuth-Wasm-CSRF': '1' } })));
    const statuses = {};
    for (const r of answers) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    two.rows.push({ n, refreshes: (a.as.counts.refresh_token ?? 0) - before, statuses });
  }
  for (const n of SIZES) {
    const user = await a.login({ login: `refused-${n}` });
    const url = (base) => `${base}/auth/proxy?${new URLSearchParams({ url: `${a.api.url}/me` })}`;
    const call = (i) => user.request(url(i % 2 ? b.url : a.origin), { headers: { 'X-OAuth-Wasm-CSRF': '1' } });
    await Promise.all([call(0), call(1)]); // both processes hold the session
    await revoke(issued.at(-1));
    const before = a.as.counts.refresh_token ?? 0;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
    const statuses = {};
    for (const r of answers) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    two.refused.push({ n, refreshes: (a.as.counts.refresh_token ?? 0) - before, statuses });
  }
  await b.close();
  await a.close();
  await client.quit();
  await redis.close();
}
await app.close();

const report = { calls: CALLS, latency, concurrent, refreshes: { oneProcess: one, twoProcesses: two ?? 'skipped: redis-server is not installed' } };
if (args.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`backend proxy vs direct API call, ${CALLS} sequential calls each (ms):`);
  console.log(`  median ${latency.proxied.median} vs ${latency.direct.median} (×${latency.ratio.median}); p95 ${latency.proxied.p95} vs ${latency.direct.p95} (×${latency.ratio.p95})`);
  for (const c of concurrent) console.log(`  ${c.n} concurrent: ${c.proxied} ms vs ${c.direct} ms (×${c.ratio})`);
  console.log('refreshes when the token is due, N concurrent calls:');
  for (const r of one) console.log(`  one process, N=${r.n}: ${r.refreshes} refresh, ${r.ok}/${r.n} answered 200`);
  if (!two) console.log('  two processes: skipped (redis-server is not installed)');
  else {
    for (const r of two.rows) {
      console.log(`  two processes (half the calls each), N=${r.n}: ${r.refreshes} refresh, statuses ${JSON.stringify(r.statuses)}`);
    }
    for (const r of two.refused) {
      console.log(`  two processes, the token revoked (401 invalid_token), N=${r.n}: ${r.refreshes} refresh, statuses ${JSON.stringify(r.statuses)}`);
    }
  }
}
