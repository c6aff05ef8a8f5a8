#!/usr/bin/env node
// Staying signed in across a reload, measured in Chromium on loopback against the real
// authorization server (oidc-provider): the time from page.reload() of the only tab to the page
// showing isAuthenticated() === true, median of --rounds reloads per mode, the modes interleaved
// round by round in the same run (each in its own fresh browser profile, each logged in once):
//   - top-level: today's restore(), a full-page prompt=none trip and back (the test SPA,
//     scripts/dev-servers/app, fallback 'redirect', no silentRedirectUri);
//   - silent: restore() with silentRedirectUri, a hidden prompt=none frame (fallback 'none');
//   - persisted-bound: createClient({ persist: true }), the refresh token in IndexedDB, DPoP-bound
//     to a non-extractable WebCrypto key: one refresh after the reload, no frame, no navigation
//     (the server offers DPoP, as persist needs, so every mode here runs with DPoP);
//   - oidc-client-ts 3.5: UserManager with its default sessionStorage user store, getUser() after
//     the reload (no server request).
// Per mode: the median, min and max in ms, the main frame's navigations and the authorization
// requests per reload, and the ratio of the median to oidc-client-ts's. Not a test: nothing is
// asserted about time.
//
//   node bench/restore.mjs [--rounds 11] [--json]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startAppServer } from '../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../scripts/dev-servers/test-api.mjs';
import { startStaticServer } from '../scripts/dev-servers/static-server.mjs';
import { launchBrowser } from '../scripts/dev-servers/chromium.mjs';
import { loginByRedirect, signIn } from '../scripts/dev-servers/spa-page.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '11' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(args.rounds);
if (!(ROUNDS >= 1)) throw new Error('--rounds must be >= 1');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const root = fileURLToPath(new URL('..', import.meta.url));

// The oidc-client-ts page: its browser bundle, a UserManager with the defaults (user in
// sessionStorage), a login button for the one login, #status like the test SPA's.
const OIDC_PAGE = (issuer) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>oidc-client-ts</title>
<script src="/lib/oidc-client-ts.min.js"></script></head><body><p id="status">loading</p>
<button id="login-redirect">Log in</button>
<script type="module">
const manager = new oidc.UserManager({
  authority: ${JSON.stringify(issuer)}, client_id: 'spa', redirect_uri: location.origin + '/callback',
  scope: 'openid profile email', automaticSilentRenew: false, loadUserInfo: false,
});
window.isAuthenticated = async () => { const user = await manager.getUser(); return Boolean(user && !user.expired); };
document.getElementById('login-redirect').onclick = () => manager.signinRedirect();
if (location.pathname === '/callback') {
  await manager.signinRedirectCallback();
  history.replaceState(null, '', '/');
}
document.getElementById('status').textContent = (await isAuthenticated()) ? 'authenticated' : 'anonymous';
document.body.dataset.ready = 'true';
</script></body></html>`;

const app = await startAppServer();
const oidcSite = await startStaticServer({
  mounts: { '/lib/': `${root}node_modules/oidc-client-ts/dist/browser/` },
  routes: Object.fromEntries(['/', '/callback'].map((p) => [p, (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(OIDC_PAGE(as.issuer))])),
});
const spaUris = ['/callback', '/popup-callback', '/silent-callback'].map((p) => app.url + p);
const as = await startAuthServer({
  appOrigin: app.url,
  dpop: true,
  clientOverrides: { spa: { redirect_uris: [...spaUris, `${oidcSite.url}/callback`] } },
});
const api = await startTestApi({ issuer: as.issuer });
app.configure({ issuer: as.issuer, apiUrl: api.url });

// The persisted DPoP-bound mode: the test SPA's config for it (createClient options under `client`).
const PERSISTED = { silent: false, restoreOptions: {}, client: { autoRefresh: false, persist: true } };

const spa = (config) => ({
  url: `${app.url}/`,
  configure: (restore = true) => app.configure({ ...config, restore }),
  login: (page) => loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'bench' }),
});
const MODES = [
  { name: 'top-level restore', ...spa({ silent: false, restoreOptions: {}, client: { autoRefresh: false } }) },
  { name: 'silent restore', ...spa({ silent: true, restoreOptions: { fallback: 'none' }, client: { autoRefresh: false } }) },
  { name: 'persisted-bound', ...(PERSISTED && spa(PERSISTED)), missing: !PERSISTED },
  {
    name: 'oidc-client-ts 3.5 (sessionStorage)',
    url: `${oidcSite.url}/`,
    configure: () => {},
    login: async (page) => {
      const arrived = page.waitForURL(`${oidcSite.url}/callback**`).then(() => page.waitForSelector('body[data-ready]'));
      await page.click('#login-redirect');
      await signIn(page, { issuer: as.issuer, login: 'bench', arrived });
    },
    baseline: true,
  },
];

// Until the tab's page (whichever document is current) shows a session; navigations end the
// wait's context, so it is asked again.
async function untilAuthenticated(page) {
  for (;;) {
    try {
      await page.waitForFunction(() => document.body?.dataset.ready && document.getElementById('status')?.textContent === 'authenticated',
        null, { timeout: 60000, polling: 'raf' });
      return;
    } catch (e) {
      if (!/context was destroyed|navigation|Target closed/i.test(e.message)) throw e;
    }
  }
}

async function prepare(mode) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const seen = { navigations: 0, auth: 0, errors: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.navigations++; });
  page.on('request', (r) => { if (r.url().startsWith(`${as.issuer}/auth?`)) seen.auth++; });
  mode.configure(false); // the one login, on a page that does not try to restore first
  await page.goto(mode.url);
  await page.waitForSelector('body[data-ready]');
  await mode.login(page);
  await untilAuthenticated(page).catch((e) => {
    throw new Error(`${mode.name}: the login did not end signed in (${page.url()}): ${e.message}`);
  });
  mode.configure();
  await page.goto(mode.url); // the app's page, not its callback page, is what gets reloaded
  await untilAuthenticated(page);
  return { ...mode, browser, page, seen, times: [], navigations: [], auth: [] };
}

const runs = [];
for (const mode of MODES) if (!mode.missing) runs.push(await prepare(mode));
for (let round = 0; round < ROUNDS; round++) {
  for (const run of runs) {
    run.configure();
    const before = { ...run.seen };
    const t0 = performance.now();
    await run.page.reload();
    await untilAuthenticated(run.page).catch(async (e) => {
      const shown = await run.page.evaluate(() => document.body?.innerText).catch(() => '?');
      throw new Error(`${run.name}: a reload did not end signed in (${run.page.url()}: ${shown}; page errors: ${run.seen.errors}): ${e.message}`);
    });
    run.times.push(performance.now() - t0);
    run.navigations.push(run.seen.navigations - before.navigations);
    run.auth.push(run.seen.auth - before.auth);
  }
}
const version = runs[0]?.browser.context.browser()?.version() ?? 'Chromium';
for (const run of runs) await run.browser.close();
await api.close();
await as.close();
await oidcSite.close();
await app.close();

const base = median(runs.find((r) => r.baseline).times);
const rows = MODES.map((mode) => {
  const run = runs.find((r) => r.name === mode.name);
  if (!run) return { mode: mode.name, missing: true };
  const ms = median(run.times);
  return {
    mode: mode.name, median: ms, min: Math.min(...run.times), max: Math.max(...run.times),
    navigations: median(run.navigations), authRequests: median(run.auth), ratio: ms / base,
  };
});
if (args.json) {
  console.log(JSON.stringify({ chromium: version, rounds: ROUNDS, rows }, null, 2));
} else {
  console.log(`Reload → isAuthenticated() === true, ${version}, loopback, median of ${ROUNDS} reloads per mode (interleaved)`);
  console.log('| mode | median ms | min–max ms | main-frame navigations | authorization requests | × oidc-client-ts |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    if (r.missing) console.log(`| ${r.mode} | not built | | | | |`);
    else console.log(`| ${r.mode} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)}–${r.max.toFixed(0)} | ${r.navigations} | ${r.authRequests} | ${r.ratio.toFixed(2)} |`);
  }
}
