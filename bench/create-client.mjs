#!/usr/bin/env node
// createClient() to resolved in Chromium, cold, and where the time goes between the page and its
// SharedWorker (the default isolation). Each run is a new page that imports dist/index.mjs from a
// mount of its own (/runN/), so its worker is a new one (a SharedWorker is keyed by its script's
// URL) and nothing is reused; the server sends no-store. The split comes from the server's clock:
// it notes when the worker's script, the wasm and the discovery document are asked for, and the
// page's clock is aligned to it by a request made just before and one just after the run (the
// midpoint of each round trip; the two offsets' difference is printed as the alignment's error).
// Stages, in the page's clock:
//   page import      import('index.mjs') and its static imports
//   page → worker    createClient() until the worker's script is requested (the page's own code,
//                    the SharedWorker's start)
//   worker modules   worker.mjs requested → the wasm requested (worker.mjs and its chunks loaded
//                    and evaluated)
//   wasm + core      the wasm requested → discovery requested (download, SRI hash alongside the
//                    streaming compile, instantiation, the runtime's start, the core's client made)
//   discovery        the discovery request → its answer written (the server's part)
//   answer → page    the answer written → createClient resolved (the core reads the metadata, the
//                    worker's message, the page's promise)
// page = the first two, worker = the other four. Median of --runs, after one run not counted
// (the browser's first worker start). With --baseline DIR another build's dist/ runs in the same
// browser, its runs interleaved with ours (each first in every other pair), and the ratio of the
// medians is printed.
//
//   node bench/create-client.mjs [--runs 20] [--dist DIR] [--baseline DIR]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveStatic } from '../scripts/dev-servers/static-server.mjs';
import { launchBrowser } from '../scripts/dev-servers/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, dist: { type: 'string' }, baseline: { type: 'string' } } });
const folder = (dir) => `${dir.replace(/\/$/, '')}/`;
const dist = values.dist ? folder(values.dist) : `${root}dist/`;
const base = values.baseline && folder(values.baseline);
const runs = Number(values.runs);
if (!(runs >= 1)) throw new Error('--runs must be >= 1');
const manifest = JSON.parse(await readFile(`${dist}manifest.json`, 'utf8'));

const mounts = {};
for (let i = 0; i <= runs; i++) {
  mounts[`/run${i}/`] = dist;
  if (base) mounts[`/base${i}/`] = base;
}
const events = []; // { path, arrived, finished } in this process's clock (performance.now())
const DISCOVERY = '/.well-known/openid-configuration';
const server = createServer(async (req, res) => {
  const event = { path: new URL(req.url, 'http://127.0.0.1').pathname, arrived: performance.now(), finished: NaN };
  events.push(event);
  res.on('finish', () => { event.finished = performance.now(); });
  if (event.path === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>createClient</title>');
  } else if (event.path === '/sync') {
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
  } else if (event.path === DISCOVERY) {
    // The smallest discovery document the core accepts, for createClient's one request.
    const issuer = `http://${req.headers.host}`;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({
      issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, code_challenge_methods_supported: ['S256'],
    }));
  } else if (!await serveStatic(mounts, req, res)) {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser();

async function once(mount) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${origin}/`);
    events.length = 0;
    const r = await page.evaluate(async (mount) => {
      const sync = async () => { const a = performance.now(); await fetch('/sync', { cache: 'no-store' }); return (a + performance.now()) / 2; };
      const before = await sync();
      const t0 = performance.now();
      const { createClient } = await import(`${mount}index.mjs`);
      const t1 = performance.now();
      const client = await createClient({ issuer: location.origin, clientId: 'bench', redirectUri: `${location.origin}/callback` });
      const t2 = performance.now();
      if (client.metadata.issuer !== location.origin) throw new Error('no client');
      const after = await sync();
      return { before, after, t0, t1, t2 };
    }, mount);
    const first = (path, what = 'arrived') => {
      const e = events.find((x) => x.path === path);
      if (!e) throw new Error(`no request for ${path}`);
      return e[what];
    };
    const syncs = events.filter((e) => e.path === '/sync');
    const offsets = [syncs[0].arrived - r.before, syncs[1].arrived - r.after]; // server clock − page clock
    const offset = (offsets[0] + offsets[1]) / 2;
    const at = (t) => t - offset; // a server time in the page's clock
    const marks = [r.t0, r.t1, at(first(`${mount}worker.mjs`)), at(first(`${mount}oauth-wasm-core.wasm`)),
      at(first(DISCOVERY)), at(first(DISCOVERY, 'finished')), r.t2];
    const stages = marks.slice(1).map((m, i) => m - marks[i]);
    return { total: r.t2 - r.t0, stages, page: stages[0] + stages[1], worker: r.t2 - marks[2], skew: Math.abs(offsets[0] - offsets[1]) };
  } finally {
    await page.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const f1 = (x) => x.toFixed(1);
const STAGES = ['page import', 'page → worker', 'worker modules', 'wasm + core', 'discovery', 'answer → page'];
function report(name, results) {
  const totals = results.map((r) => r.total);
  console.log(`${name}: createClient cold, median ${f1(median(totals))} ms [${f1(Math.min(...totals))}–${f1(Math.max(...totals))}]; ` +
    `page ${f1(median(results.map((r) => r.page)))}, worker ${f1(median(results.map((r) => r.worker)))} (medians)`);
  console.log(`  stages, medians: ${STAGES.map((s, i) => `${s} ${f1(median(results.map((r) => r.stages[i])))}`).join(', ')}`);
  console.log(`  clock alignment error, median ${f1(median(results.map((r) => r.skew)))} ms`);
  return median(totals);
}

try {
  console.log(`createClient() to resolved in Chromium ${browser.context.browser()?.version() ?? ''}, SharedWorker, from 127.0.0.1, ${runs} runs, ms`);
  console.log(`wasm ${manifest.wasm.bytes} bytes, sha256 ${manifest.wasm.sha256.slice(0, 16)}…${base ? '; baseline runs interleaved' : ''}`);
  await once(`/run${runs}/`); // the browser's first worker start
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) { // with a baseline, each goes first in every other pair
    if (base && i % 2) theirs.push(await once(`/base${i}/`));
    ours.push(await once(`/run${i}/`));
    if (base && !(i % 2)) theirs.push(await once(`/base${i}/`));
  }
  const m = report('ours', ours);
  if (base) console.log(`ratio of the medians, baseline ÷ ours: ${(report('baseline', theirs) / m).toFixed(2)}`);
} finally {
  await browser.close();
  await new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
}
