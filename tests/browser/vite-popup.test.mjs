// docs/API.md's popup recipe for Vite (the blocks after `<!-- popup-recipe: PATH -->`), as
// written, in an app of the `npm pack` tarball built by `vite build` with that config: the popup's
// page is emitted, one client logs in by popup (popupRedirectUri, the popup closed once it has
// posted) and by redirect (/callback), each callback at the URI its own login named; under a
// strict CSP, in Chromium against oidc-provider. Needs dist/ (make dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { createApp, markedFiles, serveBuiltApp } from '../support/quick-start-app.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const recipe = markedFiles(readFileSync(join(root, 'docs/API.md'), 'utf8'), 'popup-recipe');

// The app's own page: one client with both redirect URIs, a button for each kind of login.
const MAIN = `import { createClient } from 'oauth-wasm';

const $ = (id) => document.getElementById(id);
const { issuer } = await (await fetch('/config.json')).json();
const client = await createClient({
  issuer,
  clientId: 'spa',
  redirectUri: \`\${location.origin}/callback\`,
  popupRedirectUri: \`\${location.origin}/popup-callback.html\`,
});
const render = async () => {
  const user = await client.getUser();
  $('status').textContent = user ? \`signed in as \${user.sub}\` : 'signed out';
};
const show = (e) => { $('error').textContent = e.code ?? String(e); };
$('popup').onclick = () => client.loginWithPopup().then(render, show);
$('redirect').onclick = () => client.loginWithRedirect().catch(show);
$('logout').onclick = () => client.logout().then(render, show);
try {
  if (location.pathname === '/callback') await client.handleRedirectCallback();
} catch (e) {
  show(e);
}
if (location.pathname === '/callback') history.replaceState(null, '', '/');
await render();
`;

const INDEX = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Popup app</title></head>
  <body>
    <p id="status">loading</p>
    <button id="popup" type="button">Sign in (popup)</button>
    <button id="redirect" type="button">Sign in (redirect)</button>
    <button id="logout" type="button">Sign out</button>
    <p id="error"></p>
    <script type="module" src="/src/main.js"></script>
  </body>
</html>
`;

let work;
let app;
let site;
let as;
const config = {};

before(async () => {
  assert.deepEqual(Object.keys(recipe).sort(), ['popup-callback.html', 'src/popup-callback.js', 'vite.config.js'], 'docs/API.md has the recipe');
  work = mkdtempSync(join(tmpdir(), 'oauth-wasm-popup-'));
  app = await createApp(work, { ...recipe, 'src/main.js': MAIN, 'index.html': INDEX });
  await build({ root: app.dir, configFile: join(app.dir, 'vite.config.js'), logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
  site = await serveBuiltApp(join(app.dir, 'dist'), { connect: () => [config.issuer].filter(Boolean), config });
  as = await startAuthServer({
    appOrigin: site.url,
    clientOverrides: { spa: { redirect_uris: [`${site.url}/callback`, `${site.url}/popup-callback.html`] } },
  });
  config.issuer = as.issuer;
});

after(async () => {
  await as?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const status = (page, text) => page.locator('#status', { hasText: new RegExp(`^${text}$`) }).waitFor();

test('vite build with the recipe\'s config emits the popup\'s page', () => {
  assert.ok(existsSync(join(app.dir, 'dist/popup-callback.html')));
  assert.doesNotMatch(readFileSync(join(app.dir, 'dist/popup-callback.html'), 'utf8'), /\/src\//, 'its script is built');
});

test('one client logs in by popup at popupRedirectUri (the popup then closed) and by redirect at /callback', () => withBrowser(async (context) => {
  const named = []; // the redirect_uri of each authorization request, from any window
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === as.issuer && u.searchParams.has('redirect_uri')) named.push(u.searchParams.get('redirect_uri'));
  });
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  await status(page, 'signed out');

  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#popup')]);
  await popup.waitForSelector('#login-form');
  await popup.fill('#login', 'pia');
  await popup.fill('#password', 'any password');
  await popup.click('#submit');
  await popup.waitForSelector('#consent-form');
  await Promise.all([popup.waitForEvent('close'), popup.click('#approve')]);
  await status(page, 'signed in as pia');
  assert.equal(await page.textContent('#error'), '');
  assert.ok(site.requests.some((u) => u.startsWith('/popup-callback.html?code=')), 'the popup came back to its own page');

  await page.click('#logout');
  await status(page, 'signed out');
  await page.click('#redirect');
  // The server's session remains; logout revoked the grant, so the server may ask for consent again.
  const back = status(page, 'signed in as pia');
  if (await Promise.race([back.then(() => false), page.waitForSelector('#consent-form').then(() => true, () => false)])) {
    await page.click('#approve');
  }
  await back;
  assert.equal(page.url(), `${site.url}/`);
  assert.equal(await page.textContent('#error'), '');
  assert.ok(site.requests.some((u) => u.startsWith('/callback?code=')), 'the redirect login came back to /callback');
  assert.deepEqual(named, [`${site.url}/popup-callback.html`, `${site.url}/callback`], 'each login named its own URI');
}));
