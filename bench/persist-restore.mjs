#!/usr/bin/env node
// Reload → signed in, in Chromium against the real authorization server (oidc-provider with DPoP)
// and the test SPA (scripts/dev-servers/app/, under its strict CSP), all on 127.0.0.1: the time from
// page.reload() of the only tab (the SharedWorker ends with it) until the page shows
// "authenticated", for
//   - top-level restore (the default): restore() leaves for the server with prompt=none and comes
//     back through /callback;
//   - persisted-bound (persist: true): the worker reads IndexedDB and refreshes once, no navigation.
// The modes alternate round by round in one browser and one login, so both meet the same machine
// load; the ratio is the figure. Also the main-frame navigations per reload.
//
//   node bench/persist-restore.mjs [--rounds 11] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startAppServer } from '../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../scripts/dev-servers/test-api.mjs';
import { launchBrowser, openReady } from '../scripts/dev-servers/chromium.mjs';
import { loginByRedirect } from '../scripts/dev-servers/spa-page.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '11' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(args.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const app = await startAppServer();
const as = await startAuthServer({ appOrigin: app.url, dpop: true });
const api = await startTestApi({ issuer: as.issuer });
const MODES = {
  'top-level restore': { client: { autoRefresh: false }, restore: true },
  'persisted-bound': { client: { autoRefresh: false, persist: true }, restore: true },
};
app.configure({ issuer: as.issuer, apiUrl: api.url, ...MODES['persisted-bound'] });

const browser = await launchBrowser();
const results = Object.fromEntries(Object.keys(MODES).map((m) => [m, { ms: [], navigations: [] }]));
try {
  const page = await openReady(browser.context, app.url);
  // One login: the server's session cookie (for prompt=none) and the IndexedDB record (for persist).
  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'alice' });
  await page.goto(app.url);
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations++; });

  // Until the app's page (back at the home page) shows a session; survives the navigations.
  async function signedIn() {
    for (;;) {
      const done = await page.evaluate(() => document.body?.dataset.ready === 'true' && location.pathname === '/'
        && document.getElementById('status').textContent === 'authenticated').catch(() => false);
      if (done) return;
      await sleep(2);
    }
  }

  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [mode, config] of Object.entries(MODES)) {
      app.configure(config);
      navigations = 0;
      const start = performance.now();
      await page.reload({ waitUntil: 'commit' });
      await signedIn();
      if (round === 0) continue; // warm-up
      results[mode].ms.push(performance.now() - start);
      results[mode].navigations.push(navigations);
    }
  }
} finally {
  await browser.close();
  await api.close();
  await as.close();
  await app.close();
}

const base = median(results['top-level restore'].ms);
const rows = Object.entries(results).map(([mode, r]) => ({
  mode, median_ms: Number(median(r.ms).toFixed(1)), navigations: median(r.navigations), ratio: Number((median(r.ms) / base).toFixed(2)),
}));
if (args.json) console.log(JSON.stringify({ rounds: ROUNDS, rows }));
else {
  console.log(`reload → authenticated, Chromium, median of ${ROUNDS} (ratio to top-level restore)`);
  for (const r of rows) console.log(`${r.mode.padEnd(18)} ${String(r.median_ms).padStart(8)} ms  ${r.ratio.toFixed(2)}x  ${r.navigations} main-frame navigations`);
}
