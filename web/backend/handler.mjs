// createBackend(): the backend-for-frontend (draft-ietf-oauth-browser-based-apps §6.1). A
// confidential client runs the authorization-code flow on the server (PKCE, PAR and DPoP when
// the server offers them: the same core and session holder as the browser's), keeps the tokens
// here and gives the browser one HttpOnly session cookie. Its routes, under `path` ('/auth'):
//   GET  login?returnTo=/page   → the authorization server (a transaction cookie binds the browser)
//   GET  callback               → the session cookie, a new id at every login; back to returnTo
//   GET  session                → { authenticated, user }: the ID token's verified claims
//   POST logout                 → revokes, ends the session; { endSessionUrl } with endSession
//   ANY  proxy?url=<API URL>    → the API call with the session's access token (apiOrigins only)
// Every route but login and callback (top-level navigations) needs the CSRF header the browser
// client sends (CSRF_HEADER: 1), and is refused when the browser says the request is cross-site
// (Sec-Fetch-Site, Origin); the cookie is SameSite=Strict besides.
import { randomBytes } from 'node:crypto';
import { OAuthError } from '../errors.mjs';
import { cookie, cookieNames, cookieSecurity, readCookies } from './cookies.mjs';
import { createSealer } from './seal.mjs';
import { createMemoryStore } from './store-memory.mjs';
import { createSessions } from './sessions.mjs';
import { proxy, proxyTarget } from './proxy.mjs';
import { readBody, redirect, sendError, sendJson } from './http-io.mjs';
import { serverFetch } from './server-fetch.mjs';
import { realClock, seconds } from '../clock.mjs';

export const CSRF_HEADER = 'x-oauth-wasm-csrf';

// A same-origin path to come back to after login: '/x?y#z', never '//host' or '/\host'. Printable
// ASCII only (a browser's location is percent-encoded): a Location header cannot carry more, and a
// returnTo that made the callback's redirect fail would cost the user the login it just finished.
function localPath(value, fallback) {
  return typeof value === 'string' && /^\/(?![/\\])[\x20-\x7e]*$/.test(value) ? value : fallback;
}

// Options: issuer, clientId, clientSecret (tokenEndpointAuthMethod), origin (the app's origin,
// https, or http on loopback), path ('/auth'), apiOrigins, scope ('openid'), dpop, par,
// postLogoutRedirectUri (origin + '/'), store (in memory), key (32 bytes; required with a store
// of your own), sessionTtl (86400 s), transactionTtl (600 s), refreshMargin (30 s), timeout
// (10000 ms per request to the servers), bodyLimit (1 MiB), lockTtl (timeout + 5000 ms), clock
// (web/clock.mjs: the backend's schedule; the core keeps the system time), fetch, and loadCore's
// options. `loadCore` is the Node entry's.
export async function createBackendWith(loadCore, {
  issuer, clientId, clientSecret, tokenEndpointAuthMethod, origin, path = '/auth', apiOrigins = [], scope = 'openid', dpop, par,
  postLogoutRedirectUri, store, key, sessionTtl = 86400, transactionTtl = 600, refreshMargin = 30, timeout = 10000,
  bodyLimit = 1 << 20, lockTtl = timeout + 5000, clock: timeSource = realClock, fetch, ...coreOptions
} = {}) {
  const clock = () => seconds(timeSource);
  const security = typeof origin === 'string' && URL.canParse(origin) && cookieSecurity(origin);
  if (!security || new URL(origin).origin !== origin) {
    throw new OAuthError('invalid_argument', 'origin is the app\'s origin (https, or http on a loopback host), without a path');
  }
  if (!/^\/[\w.~/-]*[^/]$/.test(path)) throw new OAuthError('invalid_argument', 'path is an absolute path such as /auth');
  if (store && !key) throw new OAuthError('invalid_argument', 'a store of your own needs `key`, which seals the tokens at rest');
  const { secure } = security;
  const names = cookieNames(secure);
  const origins = new Set(apiOrigins.map((o) => new URL(o).origin));
  const core = await loadCore(coreOptions);
  const sessions = createSessions({
    core,
    config: {
      issuer, clientId, clientSecret, tokenEndpointAuthMethod, redirectUri: `${origin}${path}/callback`, apiOrigins: [...origins],
      dpop, par, scope, retries: 0, fetch: serverFetch({ fetch, issuer, timeout, clock }),
    },
    store: store ?? createMemoryStore(),
    sealer: createSealer(key ?? randomBytes(32)),
    clock, sessionTtl, transactionTtl, refreshMargin, lockTtl,
    postLogoutRedirectUri: postLogoutRedirectUri ?? `${origin}/`,
  });

  const sessionCookie = (value, maxAge) => cookie(names.session, value, { secure, sameSite: 'Strict', maxAge });
  const clearSession = sessionCookie('', 0);

  // A request the app's own pages made with the browser client: the custom header (a cross-site
  // page cannot set it without a CORS preflight, which this backend never grants), and no sign
  // from the browser that it came from another site.
  function checkCsrf(req) {
    const site = req.headers['sec-fetch-site'];
    const from = req.headers.origin;
    if (req.headers[CSRF_HEADER] !== '1' || (site && site !== 'same-origin') || (from && from !== origin)) {
      throw Object.assign(new OAuthError('invalid_request', `a same-origin request with the ${CSRF_HEADER} header is required`), { httpStatus: 403 });
    }
  }

  async function route(req, res, name, search) {
    const jar = readCookies(req.headers.cookie);
    if (name === 'login' && req.method === 'GET') {
      const returnTo = localPath(new URLSearchParams(search).get('returnTo'), '/');
      const { url, binding } = await sessions.begin({ returnTo });
      return redirect(res, url, { 'Set-Cookie': cookie(names.transaction, binding, { secure, sameSite: 'Lax', maxAge: transactionTtl }) });
    }
    if (name === 'callback' && req.method === 'GET') {
      const clearTx = cookie(names.transaction, '', { secure, sameSite: 'Lax', maxAge: 0 });
      try {
        const { sid, returnTo } = await sessions.finish(`${origin}${req.originalUrl ?? req.url}`, jar.get(names.transaction));
        // A session this browser had before ends: the cookie's id is new at every login.
        const previous = jar.get(names.session);
        if (previous) await sessions.logout(previous).catch(() => {});
        return redirect(res, returnTo, { 'Set-Cookie': [sessionCookie(sid, sessionTtl), clearTx] });
      } catch (e) {
        return sendError(res, e, { 'Set-Cookie': clearTx });
      }
    }
    checkCsrf(req);
    const sid = jar.get(names.session);
    if (name === 'session' && req.method === 'GET') {
      const found = await sessions.find(sid);
      if (!found) return sendJson(res, 200, { authenticated: false }, sid ? { 'Set-Cookie': clearSession } : {});
      return sendJson(res, 200, { authenticated: true, user: found.user });
    }
    if (name === 'logout' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}');
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OAuthError('invalid_request', 'the body is not a JSON object');
      const { endSession = false } = body;
      const endSessionUrl = await sessions.logout(sid, { endSession: endSession === true });
      return sendJson(res, 200, endSessionUrl ? { endSessionUrl } : {}, { 'Set-Cookie': clearSession });
    }
    if (name === 'proxy') {
      const target = proxyTarget(search, origins);
      const found = await sessions.find(sid);
      if (!found) throw new OAuthError('login_required', 'no session: log in first');
      if (!found.entry) {
        throw Object.assign(new OAuthError('internal_error', 'another process of this app holds the session\'s tokens: route the session\'s requests there (sticky sessions) until the core exports session records'), { httpStatus: 503 });
      }
      return proxy(req, res, { sessions, found, target, bodyLimit });
    }
    throw Object.assign(new OAuthError('invalid_request', 'no such route'), { httpStatus: 404 });
  }

  // (req, res[, next]): requests outside `path` go to next() when given, else get a 404.
  async function handler(req, res, next) {
    const url = new URL(req.originalUrl ?? req.url, origin); // Express strips a mount path from req.url
    const name = url.pathname.startsWith(`${path}/`) ? url.pathname.slice(path.length + 1) : null;
    if (name === null || name.includes('/')) {
      if (typeof next === 'function') return next();
      return sendJson(res, 404, { error: 'invalid_request', error_description: 'no such route' });
    }
    try {
      await route(req, res, name, url.search);
    } catch (e) {
      if (res.headersSent) return res.destroy();
      // A session the server ended (refresh token refused, or gone from the store): the cookie goes.
      const over = e instanceof OAuthError && ['session_expired', 'login_required', 'token_expired'].includes(e.code);
      sendError(res, e instanceof SyntaxError ? new OAuthError('invalid_request', 'the body is not JSON') : e, over ? { 'Set-Cookie': clearSession } : {});
    }
  }
  return Object.assign(handler, { path, cookieNames: names, portable: sessions.portable, close: () => sessions.close() });
}
