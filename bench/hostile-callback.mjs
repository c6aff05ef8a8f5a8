#!/usr/bin/env node
// A hostile link to the redirect URI, judged through the Node entry (dist/node.mjs, the core in
// this realm, as in the tests): a callback of --mb MB of distinct parameters (browsers follow
// links that long; before the limit, finding repeats compared each parameter with every earlier
// one, and 32,000 of them took 10 s), timed against a normal callback judged in the same rounds.
// Both are refused inside the core without a request: the normal one names a state no
// transaction has (state_mismatch), the hostile one is over kMaxCallbackUrlBytes
// (invalid_callback). A third row: the worst a link can be under the limit, 8 KiB of the
// shortest distinct parameters. Each is timed twice: through the client (handleRedirectCallback,
// which also reads the state with the URL API in the page before the core sees it) and in the
// core alone (clientCallback: what the shared worker spends). Reported: medians and their ratio to
// the normal callback's median on the same path.
//
//   node bench/hostile-callback.mjs [--rounds 21] [--mb 2] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createClient, loadIsolatedCore } from '../dist/node.mjs';
import { perform } from '../web/http.mjs';
import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { MemoryStorage } from '../scripts/dev-servers/memory-storage.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '21' }, mb: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } },
});
const ROUNDS = Number(args.rounds);
const APP = 'http://127.0.0.1:5173'; // nothing listens: no request goes there
const REDIRECT_URI = `${APP}/callback`;
const LIMIT = 8 * 1024; // kMaxCallbackUrlBytes, src/protocol/limits.hpp
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The callback with `state`, grown with p0=0&p1=1... up to `bytes`.
function callback(state, bytes) {
  let url = `${REDIRECT_URI}?code=c0de&state=${state}`;
  const parts = [url];
  for (let i = 0; url.length < bytes; i++) {
    const part = `&p${i}=${i}`;
    if (url.length + part.length > bytes) break;
    parts.push(part);
    url += part;
  }
  return parts.join('');
}

const as = await startAuthServer({ appOrigin: APP });
const core = await loadIsolatedCore();
const client = await createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid', storage: new MemoryStorage(), core,
});

// The same server and settings on a raw client of the core, for the core's own time.
const { handle: raw, request: discovery } = core.clientCreate(JSON.stringify({ issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI })).value;
if (!core.clientSetMetadata(raw, await perform(discovery)).ok) throw new Error('discovery failed');

// One callback judged on each path: its times and the code it was refused with.
async function judge(url) {
  const t0 = performance.now();
  const code = await client.handleRedirectCallback(url).then(() => 'accepted', (e) => e.code);
  const t1 = performance.now();
  const answer = core.clientCallback(raw, url, '', Math.floor(Date.now() / 1000));
  const t2 = performance.now();
  if (answer.ok || answer.error.code !== code) throw new Error(`the core alone answered ${JSON.stringify(answer)}`);
  return { client: t1 - t0, core: t2 - t1, code };
}

const cases = {
  normal: callback('no-such-state', 0),
  underLimit: callback('no-such-state', LIMIT),
  hostile: callback('no-such-state', Number(args.mb) * 1024 * 1024),
};
const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, { client: [], core: [] }]));
const codes = {};
try {
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, url] of Object.entries(cases)) {
      const { client: c, core: k, code } = await judge(url);
      runs[name].client.push(c);
      runs[name].core.push(k);
      codes[name] = code;
    }
  }
} finally {
  await as.close();
}

const rows = Object.entries(cases).map(([name, url]) => ({
  name, bytes: url.length, code: codes[name],
  clientMs: median(runs[name].client), vsNormalClient: median(runs[name].client) / median(runs.normal.client),
  coreMs: median(runs[name].core), vsNormalCore: median(runs[name].core) / median(runs.normal.core),
}));
if (args.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`hostile callback through the Node entry, ${ROUNDS} rounds, medians (node ${process.versions.node})`);
  console.log('callback\tbytes\t\trefused with\t\tclient ms\t÷ normal\tcore alone ms\t÷ normal');
  for (const r of rows) {
    console.log(`${r.name.padEnd(10)}\t${r.bytes}\t\t${r.code.padEnd(16)}\t${r.clientMs.toFixed(3)}\t\t${r.vsNormalClient.toFixed(2)}\t\t` +
      `${r.coreMs.toFixed(3)}\t\t${r.vsNormalCore.toFixed(2)}`);
  }
}
