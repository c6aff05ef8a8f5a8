// README's quick start works as written: its files, extracted verbatim from README.md
// (tests/support/quick-start-app.mjs), in a fresh app that installs the `npm pack` tarball, built
// by `vite build` (Vite 7, no configuration), served on 127.0.0.1 under a strict CSP with the usual
// single-page fallback, and walked in Chromium against oidc-provider: signed out without an error,
// login, the API, a reload that stays signed in, sign-out that ends the server's session; no page
// error at any step; then the same app under Vite's dev server, with no configuration either.
// README's backend quick start too: its server.mjs and src/main.js in the same fresh app, the server
// run by node as README has it (the example addresses and port replaced by the test's, and
// serveYourSpa, which README leaves to the app, appended), the page built by vite build: login,
// the API through the backend's proxy, a reload that stays signed in, no token in the page.
// Needs dist/ (make dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import {
  SETTINGS_FILE, createQuickStartApp, quickStartFiles, serveBuiltApp, walkQuickStart, writeBackendQuickStart, writeSettings,
} from '../support/quick-start-app.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { withDevServer } from '../../scripts/dev-servers/vite-build.mjs';
import { freePort } from '../../scripts/dev-servers/redis-server.mjs';
import { signIn } from '../../scripts/dev-servers/spa-page.mjs';
import { assertNoTokenVisible } from '../support/token-search.mjs';

let work;
let app;
let site;
let as;
let api;
let backendOrigin; // README's backend server.mjs: its origin, the `web` client's redirect URI
let backendPort;
const tokens = new Set(); // every token the server issued

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'oauth-wasm-quick-start-'));
  app = await createQuickStartApp(work);
  // Listen first: the app's origin is the client's registered redirect URI.
  site = await serveBuiltApp(join(app.dir, 'dist'), { connect: () => [as, api].filter(Boolean).map((s) => new URL(s.issuer ?? s.url).origin) });
  backendPort = await freePort();
  backendOrigin = `http://127.0.0.1:${backendPort}`;
  as = await startAuthServer({
    appOrigin: site.url,
    clientOverrides: { web: { redirect_uris: [`${backendOrigin}/auth/callback`], post_logout_redirect_uris: [`${backendOrigin}/auth/logged-out`] } },
  });
  as.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    for (const name of ['access_token', 'refresh_token', 'id_token']) if (ctx.body?.[name]) tokens.add(ctx.body[name]);
  });
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

// README's backend quick start: server.mjs run by node in the fresh app (its client secret from
// the environment, as README has it), the page built by vite build and served by it.
async function runBackendQuickStart(fn) {
  const dir = join(app.dir, 'backend');
  writeBackendQuickStart(dir, { issuer: as.issuer, clientId: 'web', origin: backendOrigin, port: backendPort, api: api.url });
  await build({ root: dir, configFile: false, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
  const server = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: { ...process.env, OAUTH_CLIENT_SECRET: 'web-secret' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  try {
    for (let up = false; !up;) {
      assert.equal(server.exitCode, null, `README's server.mjs exited: ${stderr}`);
      up = await fetch(`${backendOrigin}/`).then((r) => r.ok, () => false);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 50)); // the child starts; nothing to be told by
    }
    await fn();
  } finally {
    server.kill();
  }
}

test('README\'s backend quick start (its server.mjs and page, one handler and one option): login, the API through the proxy, a reload that stays signed in, no token in the page', () => runBackendQuickStart(() => withBrowser(async (context) => {
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const ok = api.calls.ok;
  // Signed out: the page's module sends the browser to the backend's login, and on to the server.
  const arrived = page.waitForURL((u) => u.href.startsWith(`${as.issuer}/`))
    .then(() => page.waitForURL(`${backendOrigin}/`));
  await page.goto(`${backendOrigin}/`);
  await signIn(page, { issuer: as.issuer, login: 'rosa', arrived });
  await page.locator('body', { hasText: /^Demo User: 200$/ }).waitFor();
  assert.equal(api.calls.ok, ok + 1, 'the API answered the call the backend made with the token');

  const jar = (await context.cookies(backendOrigin)).filter((c) => c.name.startsWith('oauth-wasm')); // not the server's (cookies ignore ports)
  assert.deepEqual(jar.map((c) => [c.name, c.httpOnly, c.sameSite]), [['oauth-wasm-session', true, 'Strict']]);

  const before = requests.length;
  await page.reload();
  await page.locator('body', { hasText: /^Demo User: 200$/ }).waitFor();
  assert.deepEqual(requests.slice(before).filter((u) => u.startsWith(as.issuer)), [], 'the reload stayed signed in: no trip to the server');
  assert.equal(api.calls.ok, ok + 2);

  assert.ok(tokens.size >= 3, 'the server issued the backend its tokens');
  await assertNoTokenVisible({ page, context, tokens, requests });
  assert.deepEqual(requests.filter((u) => u.startsWith(api.url)), [], 'the page never called the API itself');
})));
