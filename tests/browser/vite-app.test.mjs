// From `npm install` to a working login, as a developer would go: the packed tarball installed
// into a fresh app in a temp folder outside the repo (scripts/dev-servers/vite-app/: index.html, main.js),
// bundled by `vite build` (vite@7, no configuration), served on 127.0.0.1 under a strict CSP, and
// logged into with Chromium against oidc-provider; the same app through Vite's dev server, also with
// no configuration; and the same installed tarball from a Node script (client credentials). Needs
// dist/ (make dist). bench/vite-page.mjs measures the built page's chunk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { buildViteApp, serveBuild, withDevServer } from '../../scripts/dev-servers/vite-build.mjs';
import { openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(root, 'dist/manifest.json'), 'utf8'));

let built; // the temp folder with the tarball, the app and its npm cache
let appDir;
let site;
let as;
let api;

before(async () => {
  built = await buildViteApp();
  appDir = built.appDir;
  site = await serveBuild(join(appDir, 'dist'));
  as = await startAuthServer({ appOrigin: site.url });
  api = await startTestApi({ issuer: as.issuer });
  Object.assign(site.config, { issuer: as.issuer, apiUrl: api.url });
});

after(async () => {
  await api?.close();
  await as?.close();
  await site?.close();
  built?.close();
});

const assets = () => readdirSync(join(appDir, 'dist/assets'));

test('the app installs the tarball, not the repo: a copy of the package under node_modules', () => {
  const installed = join(appDir, 'node_modules/oauth-wasm');
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'oauth-wasm');
  const wasm = readFileSync(join(installed, 'dist/oauth-wasm-core.wasm'));
  assert.equal(createHash('sha256').update(wasm).digest('hex'), manifest.wasm.sha256);
  const modules = readdirSync(join(appDir, 'node_modules')).filter((f) => !f.startsWith('.'));
  assert.deepEqual(modules, ['oauth-wasm'], 'nothing else installed with it');
});

test('vite build ships the wasm byte for byte and the session worker as its own chunk, without configuration', () => {
  const wasmFiles = assets().filter((f) => f.endsWith('.wasm'));
  assert.ok(wasmFiles.length >= 1, `a .wasm among ${assets()}`);
  for (const f of wasmFiles) {
    const bytes = readFileSync(join(appDir, 'dist/assets', f));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), manifest.wasm.sha256, `${f} is the core`);
  }
  const workers = assets().filter((f) => /^worker-.*\.js$/.test(f));
  assert.equal(workers.length, 1, `one worker chunk among ${assets()}`);
  const html = readFileSync(join(appDir, 'dist/index.html'), 'utf8');
  assert.doesNotMatch(html, /node_modules|oauth-wasm\/dist/, 'the page refers only to built assets');
});

// Opens the app at `appUrl`, logs in as `login` on `server`'s pages and calls the API; returns
// what the page showed. Fails on any script error or CSP violation.
async function logInAndCallApi(appUrl, server, login) {
  await withBrowser(async (context) => {
    const page = await openReady(context, appUrl);
    assert.equal(await page.textContent('#error-code'), '');
    assert.equal(await page.textContent('#status'), 'anonymous');

    await page.click('#login');
    await page.waitForSelector('#login-form');
    assert.ok(page.url().startsWith(`${server.issuer}/`), `at the server's login page, not ${page.url()}`);
    await page.fill('#login', login);
    await page.fill('#password', 'any password');
    await page.click('#submit');
    await page.waitForSelector('#consent-form');
    await page.click('#approve');
    await page.waitForURL(`${appUrl}/callback**`);
    await page.waitForSelector('body[data-ready]');
    assert.equal(await page.textContent('#error-code'), '');
    assert.equal(await page.textContent('#status'), 'authenticated');
    assert.equal(JSON.parse(await page.textContent('#user')).sub, login);
    assert.equal(page.url(), `${appUrl}/callback`, 'code, state and iss left the address bar');

    await page.click('#call-api');
    await page.waitForFunction(() => document.getElementById('api-result').textContent || document.getElementById('error-code').textContent);
    assert.equal(await page.textContent('#error-code'), '');
    const me = JSON.parse(await page.textContent('#api-result'));
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, login);
    assert.equal(me.body.client_id, 'spa');
  });
}

test('a user logs into the built app by redirect through the server\'s pages, and the API answers with the token', async () => {
  await logInAndCallApi(site.url, as, 'carol');
  // The bundled worker held the session, and the core came from the bundle's own asset.
  const served = site.requests.map((u) => new URL(u, site.url).pathname);
  assert.ok(served.some((p) => /^\/assets\/worker-.*\.js$/.test(p)), `the worker chunk was loaded: ${served}`);
  assert.ok(served.some((p) => /^\/assets\/.*\.wasm$/.test(p)), `the wasm asset was loaded: ${served}`);
});

// Vite's dev server pre-bundles the package's page module into node_modules/.vite/deps, away from
// the worker and the .wasm it points to with import.meta.url; with no configuration the page
// starts the worker from the package itself (its 'oauth-wasm/worker' export), and the worker, not
// pre-bundled, finds the wasm beside it.
test('the Vite dev server with no configuration serves a working login: the worker and the wasm come from the package', async () => {
  const config = {};
  const requests = [];
  const plugins = [{
    name: 'test-config',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        requests.push(req.url);
        if (!req.url.startsWith('/config.json')) return next();
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(config));
      });
    },
  }];
  await withDevServer(appDir, async ({ url: devUrl, as: devAs, api: devApi }) => {
    Object.assign(config, { issuer: devAs.issuer, apiUrl: devApi.url });
    await logInAndCallApi(devUrl, devAs, 'erin');
    const served = requests.map((u) => new URL(u, devUrl).pathname);
    assert.ok(served.some((p) => p.startsWith('/node_modules/.vite/deps/oauth-wasm')), `the page's module was pre-bundled: ${served}`);
    assert.ok(served.includes('/node_modules/oauth-wasm/dist/worker.mjs'), `the package's worker was served: ${served}`);
    assert.ok(served.includes('/node_modules/oauth-wasm/dist/oauth-wasm-core.wasm'), `the package's wasm was served: ${served}`);
  }, { plugins });
});

test('the same tarball from a Node script gets a service token by client credentials and calls the API', async () => {
  const { stdout } = await run(process.execPath, ['service.mjs'], {
    cwd: appDir,
    env: { ...process.env, ISSUER: as.issuer, API_URL: api.url, OAUTH_CLIENT_SECRET: 'service-secret' },
  });
  const out = JSON.parse(stdout);
  assert.equal(out.login.authenticated, true);
  assert.equal(out.login.user, null);
  assert.equal(out.login.scope, 'api:read');
  assert.equal(out.api.status, 200);
  assert.equal(out.api.body.client_id, 'service');
  assert.doesNotMatch(stdout, /service-secret/);
});
