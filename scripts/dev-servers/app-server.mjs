// The test SPA (scripts/dev-servers/app/) on 127.0.0.1, with dist/ at /dist/ and its settings at
// /config.json. Every page carries a strict Content-Security-Policy (no inline script, no eval;
// only 'wasm-unsafe-eval' for the core), so the tests also prove the client works under one.
//
//   const app = await startAppServer();                      // listen first: the port is the origin
//   const as = await startAuthServer({ appOrigin: app.url }); // the `spa` client's redirect URIs
//   const api = await startTestApi({ issuer: as.issuer });
//   app.configure({ issuer: as.issuer, apiUrl: api.url });
//
// Options: port (0 = free), issuer, apiUrl; configure() also takes frameSrc (the CSP's frame-src,
// default 'self' and the issuer). `requests` lists every URL asked for; `serveBytes(path, body,
// type)` adds a file of the test's own (an altered copy of the wasm).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const mounts = { '/dist/': `${root}dist/`, '/': `${root}scripts/dev-servers/app/` };
const pages = { '/callback': '/callback.html', '/popup-callback': '/popup-callback.html', '/silent-callback': '/silent-callback.html' };

export async function startAppServer({ port = 0, issuer, apiUrl } = {}) {
  const config = { issuer, apiUrl };
  const requests = [];
  const extra = new Map(); // path -> { body, type }

  const csp = (pathname) => [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${[config.issuer, config.apiUrl].filter(Boolean).map((u) => new URL(u).origin).join(' ')}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    // RP-initiated logout leaves by a form POST to the server's end_session_endpoint.
    `form-action ${config.issuer ? new URL(config.issuer).origin : "'none'"}`,
    // The silent restore's hidden frame: the server's authorization endpoint, redirecting back to
    // our silent callback page, which only our own pages may frame.
    `frame-src ${config.frameSrc ?? (config.issuer ? `'self' ${new URL(config.issuer).origin}` : "'none'")}`,
    `frame-ancestors ${pathname === '/silent-callback' ? "'self'" : "'none'"}`,
  ].join('; ');

  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const url = new URL(req.url, 'http://127.0.0.1');
    res.setHeader('Content-Security-Policy', csp(url.pathname));
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET') return res.writeHead(405).end();
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify(config));
    }
    const file = extra.get(url.pathname);
    if (file) return res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
    req.url = (pages[url.pathname] ?? url.pathname) + url.search;
    if (!(await serveStatic(mounts, req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const appUrl = `http://127.0.0.1:${server.address().port}`;
  return {
    url: appUrl,
    port: server.address().port,
    config,
    requests,
    configure(values) {
      Object.assign(config, values);
    },
    serveBytes(path, body, type) {
      extra.set(path, { body, type });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
