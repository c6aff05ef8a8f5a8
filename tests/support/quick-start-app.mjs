// README's quick start as a new user builds it: the code blocks after the README's
// `<!-- quick-start: PATH -->` markers, copied verbatim into a fresh app folder that installs the
// packed tarball, and the walk a user takes through it in Chromium. Only the settings file
// (src/auth-config.js) is written with the test servers' addresses instead of the README's
// placeholders; the test checks it has the README's shape. Shared by the `vite build` test and
// the dev-server one.
//
//   const app = await createQuickStartApp(work);          // work: an empty temp folder
//   writeSettings(app.dir, { issuer, clientId: 'spa', api }); // before the build / the first load
//   await walkQuickStart(context, { appUrl, as });
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveStatic } from '../../scripts/dev-servers/static-server.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const SETTINGS_FILE = 'src/auth-config.js';

// { path: code } of every code block of `markdown` that follows a `<!-- MARKER: PATH -->` line,
// exactly as written there.
export function markedFiles(markdown, marker) {
  const files = {};
  const blocks = new RegExp(`<!-- ${marker}: (\\S+) -->\n\`\`\`\\w+\n([\\s\\S]*?)\n\`\`\``, 'g');
  for (const [, path, code] of markdown.matchAll(blocks)) files[path] = `${code}\n`;
  return files;
}

export const quickStartFiles = () => markedFiles(readFileSync(join(root, 'README.md'), 'utf8'), 'quick-start');

// The settings module with these values, in the README's own form (an object of string members).
export function settingsModule({ issuer, clientId, api }) {
  return `export default ${JSON.stringify({ issuer, clientId, api }, null, 2)};\n`;
}

export function writeSettings(dir, settings) {
  writeFileSync(join(dir, SETTINGS_FILE), settingsModule(settings));
}

// Packs the repository (needs dist/), writes `files` ({ path: code }) into `${work}/app` with a
// package.json that depends on the tarball only, and installs it offline.
export async function createApp(work, files) {
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const tarball = join(work, JSON.parse(stdout)[0].filename);
  const dir = join(work, 'app');
  for (const [path, code] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'fresh-app', private: true, type: 'module', dependencies: { 'oauth-wasm': `file:${tarball}` },
  }, null, 2));
  // The package has no dependencies: the install needs no registry.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')], { cwd: dir });
  return { dir, tarball, files };
}

export const createQuickStartApp = (work) => createApp(work, quickStartFiles());

// README's backend quick start (`<!-- quick-start-backend: PATH -->`): server.mjs and src/main.js.
export const backendQuickStartFiles = () => markedFiles(readFileSync(join(root, 'README.md'), 'utf8'), 'quick-start-backend');

// The test's serveYourSpa, which README leaves to the app: the page's Vite build in ./dist (a path
// without a file extension is index.html), appended to README's server.mjs (ESM hoists the import).
const SERVE_YOUR_SPA = `
import { readFile } from 'node:fs/promises';
async function serveYourSpa(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  const file = /\\.\\w+$/.test(path) ? path : '/index.html';
  try {
    const body = await readFile(new URL(\`./dist\${file}\`, import.meta.url));
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}
`;

// README's backend files as the test runs them in `dir` (backend/ of the quick-start app): the
// example addresses and the port replaced by the test's (each must appear in README exactly as
// listed, else the test fails), serveYourSpa appended, and an index.html that loads src/main.js.
export function writeBackendQuickStart(dir, { issuer, clientId, origin, port, api }) {
  const files = backendQuickStartFiles();
  const replace = (code, pairs) => pairs.reduce((text, [from, to]) => {
    assert.equal(text.split(from).length, 2, `README's backend quick start has ${from} once`);
    return text.replace(from, to);
  }, code);
  const server = replace(files['server.mjs'], [
    ["'https://login.example.com'", `'${issuer}'`], ["'my-app'", `'${clientId}'`], ["'https://app.example.com'", `'${origin}'`],
    ["'https://api.example.com'", `'${api}'`], ['.listen(8080)', `.listen(${port}, '127.0.0.1')`],
  ]) + SERVE_YOUR_SPA;
  const main = replace(files['src/main.js'], [["'https://api.example.com/me'", `'${api}/me'`]]);
  const written = {
    'server.mjs': server, 'src/main.js': main,
    'index.html': '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>app</title>'
      + '<script type="module" src="/src/main.js"></script></head><body></body></html>\n',
  };
  for (const [path, code] of Object.entries(written)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), code);
  }
  return written;
}

/**
 * A built app (`dir`, vite build's output) on 127.0.0.1, as a static host serves a single-page app:
 * a path without a file extension is index.html. With `connect()` (the origins the page may
 * fetch from), every answer carries a strict Content-Security-Policy; with `config`, /config.json
 * answers it. Resolves to { url, requests, close() }.
 */
export async function serveBuiltApp(dir, { connect, config } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (connect) {
      res.setHeader('Content-Security-Policy', [
        "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", `connect-src 'self' ${connect().join(' ')}`,
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
      ].join('; '));
    }
    if (config && pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(config));
    }
    if (!extname(pathname)) req.url = '/index.html';
    if (!(await serveStatic({ '/': `${dir}/` }, req, res))) res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// What the page shows: its user line and error line.
const shown = (page) => page.evaluate(() => ({
  user: document.getElementById('user').textContent,
  error: document.getElementById('error').textContent,
}));

// Resolves once `check(url)` holds for a request the page made (its navigations included).
function requested(page, check) {
  return new Promise((resolve) => {
    const onRequest = (r) => {
      if (!check(new URL(r.url()))) return;
      page.off('request', onRequest);
      resolve(r.url());
    };
    page.on('request', onRequest);
  });
}

const signedIn = (page) => page.locator('#user', { hasText: /^Signed in as / }).waitFor();
const signedOut = (page) => page.locator('#user', { hasText: /^Signed out$/ }).waitFor();

/**
 * The user's walk through the quick-start page at appUrl, against the auth server `as`: a first
 * visit while signed out (restore() finds no server session: login_required, shown as signed out,
 * not as an error), login through the server's pages and back off /callback, an API call, a reload
 * that stays signed in, and sign-out that ends the server's session (the next restore() finds
 * none). The caller's withBrowser() fails the test on any page error.
 */
export async function walkQuickStart(context, { appUrl, as, login = 'quinn' }) {
  const page = await context.newPage();
  const silentFailure = () => requested(page, (u) => u.pathname === '/callback' && u.searchParams.get('error') === 'login_required');

  // 1. Signed out: restore() asks the server once (prompt=none) and comes back with login_required.
  let back = silentFailure();
  await page.goto(`${appUrl}/`);
  await back;
  await signedOut(page);
  await page.waitForURL(`${appUrl}/`);
  assert.deepEqual(await shown(page), { user: 'Signed out', error: '' }, 'a signed-out visitor sees no error');
  assert.equal(await page.isVisible('#login'), true);
  assert.equal(await page.isVisible('#logout'), false);

  // 2. Login through the server's own pages; back on / (off /callback), signed in.
  await page.click('#login');
  await page.waitForSelector('#login-form');
  assert.ok(page.url().startsWith(`${as.issuer}/`), `at the server's login page, not ${page.url()}`);
  await page.fill('#login', login);
  await page.fill('#password', 'any password');
  await page.click('#submit');
  await page.waitForSelector('#consent-form');
  await page.click('#approve');
  await signedIn(page);
  assert.equal(page.url(), `${appUrl}/`, 'the page left /callback, and the code with it');
  assert.deepEqual(await shown(page), { user: 'Signed in as Demo User', error: '' }); // the test server's name claim

  // 3. The API, with the token.
  await page.click('#call-api');
  await page.locator('#result', { hasText: /\S/ }).waitFor();
  const me = JSON.parse(await page.textContent('#result'));
  assert.equal(me.sub, login);
  assert.equal(me.client_id, 'spa');

  // 4. A reload: still signed in (the shared worker kept the session, or restore() brought it back).
  await page.reload();
  await signedIn(page);
  assert.equal(page.url(), `${appUrl}/`);
  assert.equal((await shown(page)).error, '');

  // 5. Sign-out: the server's logout page, back to /, signed out, the state checked.
  await page.click('#logout');
  await page.waitForSelector('#logout-form');
  assert.ok(page.url().startsWith(`${as.issuer}/`), `at the server's logout page, not ${page.url()}`);
  await page.click('#logout');
  await page.waitForURL((u) => u.origin === appUrl);
  await signedOut(page);
  await page.waitForURL(`${appUrl}/`); // the state left the address bar
  assert.deepEqual(await shown(page), { user: 'Signed out', error: '' }, 'handleLogoutCallback accepted the state');

  // 6. The server's session is over: after a reload restore() comes back with login_required.
  back = silentFailure();
  await page.reload();
  await back;
  await signedOut(page);
  assert.deepEqual(await shown(page), { user: 'Signed out', error: '' });
  await page.close();
}
