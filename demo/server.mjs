// `make demo`: the flow simulator on 127.0.0.1, offline. Three servers:
//   the demo web server (PORT, 8080): the page, the SPA's /callback and /popup-callback, /dist/,
//     and the server side of the server-run flows (runs streamed to the page as Server-Sent Events,
//     /server/login and /server/callback for the confidential code flow);
//   the authorization server (AS_PORT, 8081): scripts/dev-servers/auth-server.mjs (oidc-provider), with
//     PAR (RFC 9126) and DPoP (RFC 9449, a DPoP-Nonce required on every proof) switched on;
//   the protected demo API (API_PORT, 8082): scripts/dev-servers/test-api.mjs, which checks DPoP proofs
//     and demands its own DPoP-Nonce.
// The server advertises PAR and DPoP, so every demo client says dpop and par explicitly: only the
// PKCE flow's options turn them on.
// Ctrl-C stops all three.
//
//   import { startDemo } from './demo/server.mjs';
//   const demo = await startDemo({ port: 0, asPort: 0, apiPort: 0 }); // free ports
//   demo.url, demo.issuer, demo.apiUrl, demo.flows; await demo.close();
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../scripts/dev-servers/test-api.mjs';
import { recordAuthTrail } from './auth-trail.mjs';
import * as clientCredentials from './flows/client-credentials.mjs';
import * as confidential from './flows/confidential.mjs';
import { BFF_PATH, bffClientOverrides, mountBackend } from './bff.mjs';
import * as device from './flows/device.mjs';
import { because, NOT_AVAILABLE, unavailable } from './flows/plug.mjs';
import { createRuns } from './flows/runs.mjs';
import { bare, queryParams, shorten } from './page/log.mjs';
import { observeFetch } from './page/observe.mjs';
import { serveStatic } from '../scripts/dev-servers/static-server.mjs';
import { listen } from '../scripts/dev-servers/listen.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mounts = { '/dist/': `${root}dist/`, '/': `${root}demo/page/` };
const PAGES = { '/': '/index.html', '/callback': '/index.html', '/popup-callback': '/popup-callback.html' };
export const RUNNERS = [confidential, clientCredentials, device];

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

const within = (promise, ms, what) => Promise.race([promise,
  new Promise((_, reject) => { setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms).unref(); })]);

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendText(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req, limit = 4096) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('body too large');
  }
  return body ? JSON.parse(body) : {};
}

/**
 * Starts the three servers. Options: port (8080), asPort (8081), apiPort (8082) — 0 for free ports;
 * runners (the server-side flow modules; tests may pass their own), node (the Node entry of the
 * client, default dist/node.mjs).
 * Resolves to { url, issuer, apiUrl, flows, as, api, close() }.
 */
export async function startDemo({ port = 8080, asPort = 8081, apiPort = 8082, runners = RUNNERS, node } = {}) {
  const server = createServer();
  const appPort = await listen(server, port);
  const appOrigin = `http://127.0.0.1:${appPort}`;
  let as;
  let api;
  const closeServer = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  try {
    as = await startAuthServer({ port: asPort, appOrigin, par: true, dpopRequireNonce: true, clientOverrides: bffClientOverrides(appOrigin) });
    api = await startTestApi({ issuer: as.issuer, port: apiPort, dpopNonce: true });
    node ??= await import(pathToFileURL(`${root}dist/node.mjs`).href);
  } catch (e) {
    await api?.close();
    await as?.close();
    await closeServer();
    throw e;
  }

  const env = { node, issuer: as.issuer, apiUrl: api.url, appOrigin };
  const bff = await mountBackend(env); // the backend mode, at /bff (demo/bff.mjs)
  // Which flows this build can run, asked once of the Node entry itself.
  const flows = { pkce: { available: true, where: 'page' } };
  const byFlow = {};
  for (const runner of runners) {
    byFlow[runner.flow] = runner;
    let probe;
    try {
      probe = await runner.probe(env);
    } catch (e) {
      probe = unavailable(because(e));
    }
    flows[runner.flow] = probe.available
      ? { available: true, where: 'server' }
      : { available: false, where: 'server', message: NOT_AVAILABLE, reason: probe.reason };
  }

  const runs = createRuns();
  const trails = recordAuthTrail(as); // the auth server's own redirects of each page login
  const transactions = new Map(); // demo_tx cookie -> run id (which browser is in which login)
  const sessions = new Map(); // demo_session cookie -> the Node client holding that session's tokens

  const csp = [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${as.issuer} ${api.url}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  function startRun(runner) {
    const run = runs.create(runner.flow);
    const ctx = {
      ...env,
      signal: run.abort.signal,
      log: run.log,
      step: (n, state = 'done', note) => runs.emit(run, 'step', { n, state, note }),
      emit: (type, data) => runs.emit(run, type, data),
      observe: (hooks) => observeFetch(globalThis.fetch, {
        log: run.log, from: runner.actor, issuer: as.issuer, apiUrl: api.url, ...hooks,
      }),
    };
    if (runner.flow === 'confidential') {
      run.redirect = deferred();
      run.callback = deferred();
      run.session = deferred();
      run.back = deferred();
      Object.assign(ctx, {
        redirectBrowser: (url) => run.redirect.resolve(url),
        waitForCallback: () => within(run.callback.promise, 10 * 60 * 1000, 'the callback'),
        // Resolves once the browser has been sent back to the page with its session cookie.
        startSession: (client) => {
          const id = randomBytes(24).toString('base64url');
          sessions.set(id, client);
          run.session.resolve(id);
          return within(run.back.promise, 30000, 'the redirect back to the page');
        },
      });
    }
    runs.emit(run, 'start', { flow: runner.flow });
    Promise.resolve()
      .then(() => runner.run(ctx))
      .then((result) => {
        runs.emit(run, 'result', result);
        runs.emit(run, 'end', { ok: Boolean(result?.ok) });
      }, (e) => {
        const code = e?.code ?? e?.name ?? 'error';
        run.log.add({ kind: 'error', label: 'the run stopped', text: `${code}: ${e?.description || e?.message || ''}` });
        runs.emit(run, 'end', { ok: false, error: code, text: e?.description || e?.message || '' });
      })
      .finally(() => {
        const error = new Error('the run ended');
        run.redirect?.reject(error);
        run.session?.reject(error);
        run.back?.reject(error);
      });
    return run;
  }

  // POST /demo/runs {flow}: only from the demo page itself (a cross-site page cannot start runs).
  async function createRunRoute(req, res) {
    if (req.headers.origin !== appOrigin) return sendJson(res, 403, { error: 'forbidden', message: 'runs start from the demo page only' });
    let flow;
    try {
      ({ flow } = await readJson(req));
    } catch {
      return sendJson(res, 400, { error: 'invalid_request' });
    }
    const runner = byFlow[flow];
    if (!runner) return sendJson(res, 404, { error: 'unknown_flow', message: `no server-side flow "${flow}"` });
    if (!flows[flow].available) {
      return sendJson(res, 501, { error: 'not_available', message: NOT_AVAILABLE, reason: flows[flow].reason });
    }
    const run = startRun(runner);
    return sendJson(res, 201, {
      id: run.id,
      events: `/demo/runs/${run.id}/events`,
      navigate: flow === 'confidential' ? `/server/login?run=${run.id}` : undefined,
    });
  }

  // GET /server/login?run=…: the browser arrives; the server answers with a redirect to the auth server.
  async function serverLogin(req, res, url) {
    const run = runs.get(url.searchParams.get('run') ?? '');
    if (!run || run.flow !== 'confidential' || run.loginSeen || run.ended) return sendText(res, 400, 'no login waiting for this browser');
    run.loginSeen = true;
    run.log.add({ kind: 'request', label: 'the user starts login', from: 'Browser', to: 'Your server', method: 'GET', url: `${appOrigin}/server/login` });
    runs.emit(run, 'step', { n: 1, state: 'done' });
    let authorizeUrl;
    try {
      authorizeUrl = await within(run.redirect.promise, 15000, 'the authorization request');
    } catch (e) {
      return sendText(res, 502, `the login could not start: ${e.message}`);
    }
    const tx = randomBytes(16).toString('base64url');
    transactions.set(tx, run.id);
    run.log.add({
      kind: 'redirect', label: 'redirect to the auth server', from: 'Your server', to: 'Browser', status: 302,
      url: bare(authorizeUrl), params: [...queryParams(authorizeUrl), ['Set-Cookie', `demo_tx=${shorten(tx)}; HttpOnly; SameSite=Lax`]],
      notes: ['the cookie ties this browser to the login it started; the state and the PKCE verifier stay on the server'],
    });
    runs.emit(run, 'step', { n: 2, state: 'done' });
    runs.emit(run, 'step', { n: 3, state: 'active', note: 'waiting for the user to sign in' });
    res.writeHead(302, {
      location: authorizeUrl,
      'set-cookie': `demo_tx=${tx}; HttpOnly; SameSite=Lax; Path=/server; Max-Age=600`,
      'cache-control': 'no-store',
    });
    res.end();
  }

  // GET /server/callback?code&state&iss: the code arrives here, in the server, never in page script.
  async function serverCallback(req, res, url) {
    const tx = cookies(req).demo_tx ?? '';
    const run = runs.get(transactions.get(tx) ?? '');
    transactions.delete(tx);
    if (!run || run.flow !== 'confidential' || run.ended) return sendText(res, 400, 'no login in progress in this browser');
    const full = `${appOrigin}${req.url}`;
    run.log.add({
      kind: 'callback', label: 'authorization response', from: 'Browser', to: 'Your server', method: 'GET', url: bare(full),
      params: queryParams(full), notes: ['the auth server redirected the browser here; the server, not page script, reads the code'],
    });
    const signedIn = url.searchParams.has('code');
    runs.emit(run, 'step', { n: 3, state: signedIn ? 'done' : 'failed', note: signedIn ? undefined : url.searchParams.get('error') ?? 'no code' });
    run.callback.resolve(full);
    const headers = { location: `/?run=${encodeURIComponent(run.id)}#confidential`, 'cache-control': 'no-store' };
    const setCookies = ['demo_tx=; HttpOnly; SameSite=Lax; Path=/server; Max-Age=0'];
    let sessionId;
    try {
      sessionId = await within(run.session.promise, 30000, 'the code exchange');
      setCookies.push(`demo_session=${sessionId}; HttpOnly; SameSite=Lax; Path=/`);
    } catch { /* the run failed and says why in its log */ }
    run.log.add({
      kind: 'redirect', label: 'back to the app page', from: 'Your server', to: 'Browser', status: 302, url: `${appOrigin}/`,
      params: sessionId ? [['Set-Cookie', `demo_session=${shorten(sessionId)}; HttpOnly; SameSite=Lax`]] : [],
      notes: sessionId ? ['the browser gets only an httpOnly session cookie: page script cannot read it, and no token'] : [],
    });
    res.writeHead(302, { ...headers, 'set-cookie': setCookies });
    res.end();
    run.back.resolve();
  }

  server.on('request', async (req, res) => {
    const url = new URL(req.url, appOrigin);
    const { pathname } = url;
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (bff && pathname.startsWith(`${BFF_PATH}/`)) return await bff(req, res);
      if (pathname === '/demo/runs' && req.method === 'POST') return await createRunRoute(req, res);
      const events = /^\/demo\/runs\/([\w-]+)\/events$/.exec(pathname);
      if (events && req.method === 'GET') {
        const run = runs.get(events[1]);
        return run ? runs.stream(req, res, run) : sendJson(res, 404, { error: 'unknown_run' });
      }
      const cancel = /^\/demo\/runs\/([\w-]+)\/cancel$/.exec(pathname);
      if (cancel && req.method === 'POST') {
        if (req.headers.origin !== appOrigin) return sendJson(res, 403, { error: 'forbidden' });
        const run = runs.get(cancel[1]);
        if (!run) return sendJson(res, 404, { error: 'unknown_run' });
        if (!run.ended) {
          run.abort.abort();
          run.log.add({ kind: 'note', label: 'stopped', text: 'the run was stopped from the page' });
          runs.emit(run, 'end', { ok: false, error: 'cancelled', text: 'stopped from the page' });
        }
        return sendJson(res, 200, { cancelled: true });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
      if (pathname === '/demo/config.json') {
        return sendJson(res, 200, {
          issuer: as.issuer, apiUrl: api.url, appOrigin, clientId: 'spa', flows, options: { dpop: true, par: true },
        });
      }
      // GET /demo/trail?key=STATE (or the PAR request_uri): the auth server's redirects of that login, once.
      if (pathname === '/demo/trail') return sendJson(res, 200, trails.take(url.searchParams.get('key') ?? ''));
      if (pathname === '/server/login') return await serverLogin(req, res, url);
      if (pathname === '/server/callback') return await serverCallback(req, res, url);
      res.setHeader('Content-Security-Policy', csp);
      if (PAGES[pathname]) req.url = PAGES[pathname];
      if (await serveStatic(mounts, req, res)) return;
      return sendText(res, 404, 'not found');
    } catch (e) {
      if (!res.headersSent) return sendText(res, 500, 'server error');
      return res.end();
    }
  });

  return {
    url: appOrigin,
    port: appPort,
    issuer: as.issuer,
    apiUrl: api.url,
    flows,
    as,
    api,
    async close() {
      runs.closeAll();
      sessions.clear();
      await bff?.close();
      await Promise.all([closeServer(), api.close(), as.close()]);
    },
  };
}

async function main() {
  const port = (name, fallback) => {
    const value = process.env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, not "${value}"`);
    return n;
  };
  let demo;
  try {
    demo = await startDemo({ port: port('PORT', 8080), asPort: port('AS_PORT', 8081), apiPort: port('API_PORT', 8082) });
  } catch (e) {
    const hint = e.code === 'EADDRINUSE' ? ` (port ${e.port} is taken: set PORT, AS_PORT or API_PORT)` : '';
    process.stderr.write(`oauth-wasm demo could not start: ${e.message}${hint}\n`);
    process.exit(1);
  }
  const lines = [
    '',
    `  oauth-wasm flow simulator: open ${demo.url}/`,
    '',
    `  auth server  ${demo.issuer}  (oidc-provider; any login and password)`,
    `  demo API     ${demo.apiUrl}/me`,
    '  PAR, DPoP    offered (DPoP nonces required, at the API too); the PKCE flow\'s options use them',
    '',
    ...Object.entries(demo.flows).map(([flow, f]) => `  ${flow.padEnd(19)} ${f.available ? `runs in the ${f.where}` : `${f.message}: ${f.reason}`}`),
    '',
    '  Everything listens on 127.0.0.1 only. Ctrl-C stops all three servers.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
