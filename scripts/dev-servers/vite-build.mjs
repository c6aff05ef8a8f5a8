// The Vite app of scripts/dev-servers/vite-app/ as a developer gets it: the package packed (npm pack),
// installed from the tarball into a copy of the app in a temp folder outside the repo, and built
// by `vite build` with no configuration; served on 127.0.0.1 under a strict CSP. Needs dist/.
//
//   const built = await buildViteApp();          // { work, appDir, close() }
//   const site = await serveBuild(join(built.appDir, 'dist'));
//   Object.assign(site.config, { issuer, apiUrl }); // what /config.json says
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, createServer as createViteServer } from 'vite';
import { serveStatic } from './static-server.mjs';
import { startAuthServer } from './auth-server.mjs';
import { startTestApi } from './test-api.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = join(root, 'scripts/dev-servers/vite-app');

export async function buildViteApp() {
  const work = mkdtempSync(join(tmpdir(), 'oauth-wasm-vite-'));
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const tarball = join(work, JSON.parse(stdout)[0].filename);

  const appDir = join(work, 'app');
  cpSync(fixture, appDir, { recursive: true });
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({
    name: 'fresh-vite-app', private: true, type: 'module', dependencies: { 'oauth-wasm': `file:${tarball}` },
  }, null, 2));
  // The package has no dependencies: the install needs no registry.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')], { cwd: appDir });
  await build({ root: appDir, configFile: false, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
  return { work, appDir, close: () => rmSync(work, { recursive: true, force: true }) };
}

// The built app on 127.0.0.1: /callback is the same page, /config.json says where the servers are.
export async function serveBuild(dir) {
  const config = {};
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    res.setHeader('Content-Security-Policy', [
      "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'",
      `connect-src 'self' ${[config.issuer, config.apiUrl].filter(Boolean).map((u) => new URL(u).origin).join(' ')}`,
      "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].join('; '));
    if (pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(config));
    }
    if (pathname === '/callback') req.url = '/index.html';
    if (!(await serveStatic({ '/': `${dir}/` }, req, res))) res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    config,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// Vite's dev server for the app at `root`, with no configuration file, on a free loopback port, and
// an authorization server and an API of its own (the dev server's origin is their app origin):
// runs fn({ url, as, api }), then closes all three.
export async function withDevServer(root, fn, { plugins = [] } = {}) {
  const dev = await createViteServer({ root, configFile: false, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 }, plugins });
  let as;
  let api;
  try {
    await dev.listen();
    const url = dev.resolvedUrls.local[0].replace(/\/$/, '');
    as = await startAuthServer({ appOrigin: url });
    api = await startTestApi({ issuer: as.issuer });
    return await fn({ url, as, api });
  } finally {
    await api?.close();
    await as?.close();
    await dev.close();
  }
}
