// docs/API.md's React recipe (the block after `<!-- react-recipe: src/auth.js -->`), as written,
// in a React 19 app that installs the `npm pack` tarball, built by `vite build`, rendered under
// StrictMode (each effect runs, is cleaned up and runs again on mount) and walked in Chromium
// against oidc-provider. The app counts the subscriptions the hook holds (client.on calls not yet
// undone): one per event while mounted, none after unmount, never a leak from StrictMode's first
// run; and the login state renders. React is a dev dependency of this repository only; the app
// links it from there. Needs dist/ (make dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { createApp, markedFiles, serveBuiltApp, writeSettings } from '../support/quick-start-app.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const recipe = markedFiles(readFileSync(join(root, 'docs/API.md'), 'utf8'), 'react-recipe');

// The app around the recipe: a Panel using the hook that a button mounts and unmounts, and a
// count of the hook's live subscriptions (the client's `on`, wrapped before any component runs).
const MAIN = `import { StrictMode, createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ready, useAuth } from './auth.js';

window.subscriptions = 0;
ready.then((client) => {
  const on = client.on.bind(client);
  client.on = (type, fn) => {
    const off = on(type, fn);
    let live = true;
    window.subscriptions++;
    return () => {
      if (live) window.subscriptions--;
      live = false;
      off();
    };
  };
});

function Panel() {
  const { client, user, loading } = useAuth();
  if (loading) return h('p', { id: 'status' }, 'loading');
  return h('div', null,
    h('p', { id: 'status' }, user ? \`signed in as \${user.sub}\` : 'signed out'),
    user
      ? h('button', { id: 'logout', onClick: () => client.logout() }, 'Sign out')
      : h('button', { id: 'login', onClick: () => client.loginWithRedirect() }, 'Sign in'));
}

function App() {
  const [shown, setShown] = useState(true);
  return h('div', null,
    h('button', { id: 'toggle', onClick: () => setShown(!shown) }, shown ? 'Unmount' : 'Mount'),
    shown ? h(Panel) : null);
}

createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)));
`;

const INDEX = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>React app</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.js"></script></body>
</html>
`;

let work;
let app;
let site;
let as;

before(async () => {
  assert.deepEqual(Object.keys(recipe), ['src/auth.js'], 'docs/API.md has the recipe');
  work = mkdtempSync(join(tmpdir(), 'oauth-wasm-react-'));
  app = await createApp(work, { ...recipe, 'src/main.js': MAIN, 'index.html': INDEX });
  for (const pkg of ['react', 'react-dom', 'scheduler']) symlinkSync(join(root, 'node_modules', pkg), join(app.dir, 'node_modules', pkg));
  site = await serveBuiltApp(join(app.dir, 'dist'));
  as = await startAuthServer({ appOrigin: site.url });
  writeSettings(app.dir, { issuer: as.issuer, clientId: 'spa', api: as.issuer });
  // React's development build: StrictMode runs effects twice only there.
  await build({
    root: app.dir, configFile: false, logLevel: 'warn', mode: 'development',
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    build: { outDir: 'dist', emptyOutDir: true },
  });
});

after(async () => {
  await as?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const status = (page, text) => page.locator('#status', { hasText: new RegExp(`^${text}$`) }).waitFor();
const subscriptions = (page) => page.evaluate(() => window.subscriptions);

test('the React recipe under StrictMode: one subscription per event while mounted, none after unmount, and the login state renders', () => withBrowser(async (context) => {
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  await status(page, 'signed out'); // after restore() came back with login_required
  assert.equal(await subscriptions(page), 3, 'login, logout, session_expired: once each, despite StrictMode\'s double run');

  await page.click('#toggle');
  await page.locator('#status').waitFor({ state: 'detached' });
  assert.equal(await subscriptions(page), 0, 'unmount removes every subscription');
  await page.click('#toggle');
  await status(page, 'signed out');
  assert.equal(await subscriptions(page), 3, 'a remount subscribes once more');

  await page.click('#login');
  await page.waitForSelector('#login-form');
  await page.fill('#login', 'rosa');
  await page.fill('#password', 'any password');
  await page.click('#submit');
  await page.waitForSelector('#consent-form');
  await page.click('#approve');
  await status(page, 'signed in as rosa');
  assert.equal(page.url(), `${site.url}/`);
  assert.equal(await subscriptions(page), 3);

  await page.click('#logout');
  await status(page, 'signed out'); // the logout event re-rendered the panel
  assert.equal(await subscriptions(page), 3);
}, { alsoProblem: /sign-in failed/ }));
