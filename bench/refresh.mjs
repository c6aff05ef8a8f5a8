#!/usr/bin/env node
// Refresh on an expired access token, measured end to end in one Node process against the real
// authorization server (oidc-provider, 3-second access tokens) and the test API on 127.0.0.1:
// N concurrent client.fetch calls made when the token has just expired. Reported per N:
//   - refresh requests the server counted (the single flight makes it 1 whatever N is),
//   - the time from the calls to the last API response, as a ratio to two baselines run in the
//     same rounds: (warm) the same N calls with a valid token (no refresh), and (by hand) the
//     minimum a client must do, one refresh_token POST then the N API calls with plain fetch.
// The client is dist/node.mjs with isolation 'none' (the core in this realm), as in the tests.
//
//   node bench/refresh.mjs [--rounds 5] [--n 1,20,100] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createClient, loadIsolatedCore } from '../dist/node.mjs';
import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser } from '../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../scripts/dev-servers/memory-storage.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, n: { type: 'string', default: '1,20,100' }, json: { type: 'boolean', default: false } },
});
const ROUNDS = Number(args.rounds);
const SIZES = args.n.split(',').map(Number);
const APP = 'http://127.0.0.1:5173'; // nothing listens: the user agent stops at the redirect
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const as = await startAuthServer({ appOrigin: APP, accessTokenTTL: 3 });
const api = await startTestApi({ issuer: as.issuer });
const core = await loadIsolatedCore();
const metadata = await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json();

// A logged-in client; `issued` sees the refresh tokens on the wire (for the by-hand baseline only).
async function loggedIn() {
  const issued = [];
  const tap = async (url, init) => {
    const res = await fetch(url, init);
    if (String(url) === metadata.token_endpoint) {
      const json = await res.clone().json().catch(() => ({}));
      if (json.refresh_token) issued.push(json.refresh_token);
    }
    return res;
  };
  const client = await createClient({
    issuer: as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid offline_access api:read',
    apiOrigins: [api.url], storage: new MemoryStorage(), core, fetch: tap, autoRefresh: false,
  });
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: (u) => u.startsWith(`${APP}/`) });
  const done = await playUser(ua, first, { login: 'alice', stopAt: (u) => u.startsWith(`${APP}/`) });
  const result = await client.handleRedirectCallback(done.location);
  return { client, expiresAt: result.expiresAt, refreshToken: () => issued.at(-1) };
}

async function timed(fn) {
  const t0 = performance.now();
  const out = await fn();
  return { ms: performance.now() - t0, out };
}

const allOk = (responses) => {
  if (!responses.every((r) => r.status === 200)) throw new Error(`an API call failed: ${responses.map((r) => r.status).join(',')}`);
};

async function round(n) {
  const [mine, hand] = [await loggedIn(), await loggedIn()];
  await sleep(Math.max(mine.expiresAt, hand.expiresAt) * 1000 - Date.now() + 1100);

  const before = as.counts.refresh_token ?? 0;
  const expired = await timed(() => Promise.all(Array.from({ length: n }, () => mine.client.fetch(`${api.url}/me`))));
  allOk(expired.out);
  const refreshes = (as.counts.refresh_token ?? 0) - before;

  const warm = await timed(() => Promise.all(Array.from({ length: n }, () => mine.client.fetch(`${api.url}/me`))));
  allOk(warm.out);

  const byHand = await timed(async () => {
    const res = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: hand.refreshToken(), client_id: 'spa' }),
    });
    const { access_token: token } = await res.json();
    return Promise.all(Array.from({ length: n }, () => fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } })));
  });
  allOk(byHand.out);
  await Promise.all(expired.out.concat(warm.out, byHand.out).map((r) => r.arrayBuffer()));
  await mine.client.logout();
  return { refreshes, expired: expired.ms, warm: warm.ms, byHand: byHand.ms };
}

const rows = [];
try {
  for (const n of SIZES) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await round(n));
    rows.push({
      n,
      refreshes: [...new Set(runs.map((r) => r.refreshes))].join('/'),
      expiredMs: median(runs.map((r) => r.expired)),
      vsWarm: median(runs.map((r) => r.expired / r.warm)),
      vsByHand: median(runs.map((r) => r.expired / r.byHand)),
    });
  }
} finally {
  await api.close();
  await as.close();
}

if (args.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`refresh on an expired access token, ${ROUNDS} rounds per N, medians (node ${process.versions.node})`);
  console.log('N\trefreshes\texpired→responses ms\t÷ warm (valid token)\t÷ by hand (1 POST + N GET)');
  for (const r of rows) console.log(`${r.n}\t${r.refreshes}\t\t${r.expiredMs.toFixed(1)}\t\t\t${r.vsWarm.toFixed(2)}\t\t\t${r.vsByHand.toFixed(2)}`);
}
