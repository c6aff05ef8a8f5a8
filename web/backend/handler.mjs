// createBackend(): the backend-for-frontend (draft-ietf-oauth-browser-based-apps §6.1). A
// confidential client runs the authorization-code flow on the server (PKCE, PAR and DPoP when
// the server offers them: the same core and session holder as the browser's), keeps the tokens
// here and gives the browser one HttpOnly session cookie. Its routes, under `path` ('/auth'):
//   GET  login?returnTo=/page   → the authorization server (a transaction cookie binds the browser)
//   GET  callback               → the session cookie, a new id at every login; back to returnTo
//   GET  session                → { authenticated, user }: the ID token's verified claims
//   POST logout                 → revokes, ends the session; { endSessionUrl } with endSession
//   GET  logged-out             → the server's redirect after RP-initiated logout: its state
//                                 checked (once, this browser's), back to afterLogout
//   ANY  proxy?url=<API URL>    → the API call with the session's access token (apiOrigins only)
// Every route but the top-level navigations (login, callback, logged-out) needs the CSRF header
// the browser client sends (CSRF_HEADER: 1), and is refused when the browser says the request is
// cross-site (Sec-Fetch-Site, Origin); the cookie is SameSite=Strict besides. The navigations
// answer an error with a redirect to errorPath?error=<code>: a code of the error table or of
// RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6, never a server's or a URL's text.
import { randomBytes } from 'node:crypto';
import { OAuthError, unwrap } from '../errors.mjs';
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

// The server's error codes a callback may carry (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6); any
// other passes as server_error.
const AUTHORIZATION_ERRORS = new Set(['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type',
  'invalid_scope', 'server_error', 'temporarily_unavailable', 'interaction_required', 'login_required',
  'account_selection_required', 'consent_required', 'invalid_request_uri', 'invalid_request_object', 'request_not_supported',
  'request_uri_not_supported', 'registration_not_supported']);

// Options: issuer, clientId, clientSecret (tokenEndpointAuthMethod), origin (the app's origin,
// https, or http on loopback), path ('/auth'), apiOrigins, scope ('openid'), dpop, par,
// afterLogout ('/': where logged-out leads), errorPath ('/': where a failed navigation leads),
// store (in memory), key (32 bytes; required with a store of your own), sessionTtl (86400 s),
// transactionTtl (600 s), refreshMargin (30 s), timeout (10000 ms per request to the servers),
// bodyLimit (1 MiB), lockTtl (timeout + 5000 ms), clock (web/clock.mjs: the backend's schedule and
// request deadlines; the core keeps the system time), fetch, and loadCore's options. `loadCore` is the Node entry's.
export async function createBackendWith(loadCore, {
  issuer, clientId, clientSecret, tokenEndpointAuthMethod, origin, path = '/auth', apiOrigins = [], scope = 'openid', dpop, par,
  postLogoutRedirectUri, afterLogout = '/', errorPath = '/', store, key, sessionTtl = 86400, transactionTtl = 600, refreshMargin = 30,
  timeout = 10000, bodyLimit = 1 << 20, lockTtl = timeout + 5000, clock: timeSource = realClock, fetch, ...coreOptions
} = {}) {
  const clock = () => seconds(timeSource);
  const security = typeof origin === 'string' && URL.canParse(origin) && cookieSecurity(origin);
  if (!security || new URL(origin).origin !== origin) {
    throw new OAuthError('invalid_argument', 'origin is the app\'s origin (https, or http on a loopback host), without a path');
  }
  if (!/^\/[\w.~/-]*[^/]$/.test(path)) throw new OAuthError('invalid_argument', 'path is an absolute path such as /auth');
  if (store && !key) throw new OAuthError('invalid_argument', 'a store of your own needs `key`, which seals the tokens at rest');
  if (postLogoutRedirectUri !== undefined) {
    throw new OAuthError('invalid_argument', `the post-logout redirect URI is the backend's own (${path}/logged-out, which checks its state): give afterLogout, the page to land on`);
  }
  for (const [name, value] of [['afterLogout', afterLogout], ['errorPath', errorPath]]) {
    if (localPath(value, null) === null) throw new OAuthError('invalid_argument', `${name} is a path on the app's origin, such as /`);
  }
  const { secure } = security;
  const names = cookieNames(secure);
  const origins = new Set(apiOrigins.map((o) => new URL(o).origin));
  const core = await loadCore(coreOptions);
  const codes = new Set(core.errorCodes().map((e) => e.code)); // the error table
  const settings = {
    issuer, clientId, clientSecret, tokenEndpointAuthMethod, redirectUri: `${origin}${path}/callback`, apiOrigins: [...origins],
    dpop, par, refreshMargin,
  };
  // The client settings are the core's to judge (src/session/settings.cpp), here and not at the
  // first login: clientCreate judges them and only builds the discovery request, sent by no one.
  core.clientDestroy(unwrap(core.clientCreate(JSON.stringify(settings))).handle);
  const sessions = createSessions({
    core,
    config: { ...settings, scope, retries: 0, fetch: serverFetch({ fetch, issuer, timeout, clock: timeSource }) },
    store: store ?? createMemoryStore(),
    sealer: createSealer(key ?? randomBytes(32)),
    clock, sessionTtl, transactionTtl, lockTtl,
    postLogoutRedirectUri: `${origin}${path}/logged-out`,
  });

  const sessionCookie = (value, maxAge) => cookie(names.session, value, { secure, sameSite: 'Strict', maxAge });
  const clearSession = sessionCookie('', 0);
  const navigationCookie = (name, value, maxAge) => cookie(name, value, { secure, sameSite: 'Lax', maxAge });

  // A navigation that failed: back to the app's errorPath with the error's code only (a server's
  // or a URL's text is never reflected).
  function failedNavigation(res, e, setCookies) {
    const known = e instanceof OAuthError && (codes.has(e.code) || AUTHORIZATION_ERRORS.has(e.code));
    const code = !(e instanceof OAuthError) ? 'internal_error' : known ? e.code : 'server_error';
    const location = `${errorPath}${errorPath.includes('?') ? '&' : '?'}${new URLSearchParams({ error: code })}`;
    return redirect(res, location, { 'Set-Cookie': setCookies, 'OAuth-Wasm-Error': code });
  }

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
      return redirect(res, url, { 'Set-Cookie': navigationCookie(names.transaction, binding, transactionTtl) });
    }
    if (name === 'callback' && req.method === 'GET') {
      const clearTx = navigationCookie(names.transaction, '', 0);
      try {
        const { sid, returnTo } = await sessions.finish(`${origin}${req.originalUrl ?? req.url}`, jar.get(names.transaction));
        // A session this browser had before ends: the cookie's id is new at every login.
        const previous = jar.get(names.session);
        if (previous) await sessions.logout(previous).catch(() => {});
        return redirect(res, returnTo, { 'Set-Cookie': [sessionCookie(sid, sessionTtl), clearTx] });
      } catch (e) {
        return failedNavigation(res, e, [clearTx]);
      }
    }
    if (name === 'logged-out' && req.method === 'GET') {
      const clearLogout = navigationCookie(names.logout, '', 0);
      try {
        await sessions.loggedOut(`${origin}${req.originalUrl ?? req.url}`, jar.get(names.logout));
        return redirect(res, afterLogout, { 'Set-Cookie': clearLogout });
      } catch (e) {
        return failedNavigation(res, e, [clearLogout]);
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
      const end = await sessions.logout(sid, { endSession: endSession === true });
      if (!end) return sendJson(res, 200, {}, { 'Set-Cookie': clearSession });
      return sendJson(res, 200, { endSessionUrl: end.url }, { 'Set-Cookie': [clearSession, navigationCookie(names.logout, end.binding, transactionTtl)] });
    }
    if (name === 'proxy') {
      const target = proxyTarget(search, origins);
      const found = await sessions.find(sid);
      if (!found) throw new OAuthError('login_required', 'no session: log in first');
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
  return Object.assign(handler, { path, cookieNames: names, close: () => sessions.close() });
}
