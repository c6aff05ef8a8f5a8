// README's quick start works as written: its files, extracted verbatim from README.md
// (tests/support/quick-start-app.mjs), in a fresh app that installs the `npm pack` tarball, built
// by `vite build` (Vite 7, no configuration), served on 127.0.0.1 under a strict CSP with the usual
// single-page fallback, and walked in Chromium against oidc-provider: signed out without an error,
// login, the API, a reload that stays signed in, sign-out that ends the server's session; no page
// error at any step; then the same app under Vite's dev server, with no configuration either.
// Needs dist/ (make dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import {
  SETTINGS_FILE, createQuickStartApp, quickStartFiles, serveBuiltApp, walkQuickStart, writeSettings,
} from '../support/quick-start-app.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { withDevServer } from '../../scripts/dev-servers/vite-build.mjs';

let work;
let app;
let site;
let as;
let api;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'oauth-wasm-quick-start-'));
  app = await createQuickStartApp(work);
  // Listen first: the app's origin is the client's registered redirect URI.
  site = await serveBuiltApp(join(app.dir, 'dist'), { connect: () => [as, api].filter(Boolean).map((s) => new URL(s.issuer ?? s.url).origin) });
  as = await startAuthServer({ appOrigin: site.url });
  api = await startTestApi({ issuer: as.issuer });
  writeSettings(app.dir, { issuer: as.issuer, clientId: 'spa', api: api.url });
  await build({ root: app.dir, configFile: false, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
});

after(async () => {
  await api?.close();
  await as?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('README\'s quick start is three files, and the settings file the test writes has the README\'s shape', async () => {
  const files = quickStartFiles();
  assert.deepEqual(Object.keys(files).sort(), ['index.html', 'src/auth-config.js', 'src/main.js']);
  const load = async (code) => (await import(`data:text/javascript,${encodeURIComponent(code)}`)).default;
  const readme = await load(files[SETTINGS_FILE]);
  const ours = await load(readFileSync(join(app.dir, SETTINGS_FILE), 'utf8'));
  assert.deepEqual(Object.keys(ours), Object.keys(readme));
  assert.equal(readFileSync(join(app.dir, 'src/main.js'), 'utf8'), files['src/main.js'], 'main.js is the README\'s, verbatim');
});

test('a user walks README\'s quick start built by vite build: signed out, login, API, reload, sign-out, no page error', () => withBrowser(async (context) => {
  await walkQuickStart(context, { appUrl: site.url, as });
}));

// The same files, served by Vite's dev server with no configuration (no optimizeDeps, no plugin):
// the page's module is pre-bundled, and the worker and the wasm still come from the package.
test('the same quick start under Vite\'s dev server with no configuration: the same walk, no page error', () => withDevServer(app.dir, async ({ url, as: devAs, api: devApi }) => {
  writeSettings(app.dir, { issuer: devAs.issuer, clientId: 'spa', api: devApi.url });
  await withBrowser(async (context) => walkQuickStart(context, { appUrl: url, as: devAs }));
}));
