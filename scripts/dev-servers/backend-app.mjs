// A server-side app protected by createBackend (dist/node.mjs) for the backend tests: its own
// node:http server on 127.0.0.1 (listening first, so that the authorization server's `web`
// client can list its callback), the real authorization server, the test API, and a user agent
// that logs in through the backend's routes.
//
//   const app = await startBackendApp({ backend: { refreshMargin: 30 }, authServer: { dpop: true } });
//   const ua = await app.login();            // a UserAgent holding the session cookie
//   await app.call(ua, 'session');            // the backend route, with the CSRF header
//   await app.clock.advance(600);             // the backend's time, in seconds
//   await app.close();
//
// `handle(req, res)`, when given, answers the app's own routes (e.g. a page under /); anything else
// outside the backend's path is a 404. `mount(backend, server)` replaces that: it puts the backend
// into a framework serving on `server`.
import { createServer } from 'node:http';
import { createBackend } from '../../dist/node.mjs';
import { startAuthServer } from './auth-server.mjs';
import { startTestApi } from './test-api.mjs';
import { UserAgent, playUser } from './http-client.mjs';
import { manualClock } from './manual-clock.mjs';

export function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

// The backend's clock (scripts/dev-servers/manual-clock.mjs), moved by the tests in seconds.
export function testClock() {
  const clock = manualClock();
  return { now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, advance: (seconds) => clock.advance(seconds * 1000) };
}

export async function startBackendApp({ backend: backendOptions = {}, authServer = {}, handle, mount } = {}) {
  const server = createServer();
  const origin = await listen(server);
  const as = await startAuthServer({
    appOrigin: origin,
    clientOverrides: Object.fromEntries(['web', 'web-post'].map((id) => [id, { redirect_uris: [`${origin}/auth/callback`], post_logout_redirect_uris: [`${origin}/auth/logged-out`] }])),
    ...authServer,
  });
  const api = await startTestApi({ issuer: as.issuer });
  const clock = testClock();
  const backend = await createBackend({
    issuer: as.issuer, clientId: 'web', clientSecret: 'web-secret', origin, apiOrigins: [api.url], scope: 'openid profile',
    clock, ...backendOptions,
  });
  if (mount) await mount(backend, server);
  else server.on('request', (req, res) => backend(req, res, () => (handle ? handle(req, res) : res.writeHead(404).end())));

  const app = {
    origin, as, api, backend, clock, server,
    // Logs a fresh user agent in (or `ua`), returning it; `stop` keeps the callback URL unvisited.
    async login({ ua = new UserAgent(), login = 'alice', returnTo = '/home', stopAtCallback = false } = {}) {
      const atCallback = (url) => url.startsWith(`${origin}/auth/callback`);
      const back = (url) => url.startsWith(`${origin}/`) && !url.startsWith(`${origin}/auth/`);
      const stopAt = stopAtCallback ? atCallback : back;
      const start = await ua.navigate(`${origin}/auth/login?${new URLSearchParams({ returnTo })}`, { stopAt });
      const done = await playUser(ua, start, { login, stopAt });
      if (!done.location) throw new Error(`the login did not come back: ${done.status} ${done.url} ${done.text.slice(0, 300)}`);
      return stopAtCallback ? { ua, callback: done.location } : Object.assign(ua, { landedAt: done.location });
    },
    // A backend route with the browser client's CSRF header (unless `csrf` says otherwise).
    call(ua, route, { method = 'GET', headers = {}, body, csrf = '1' } = {}) {
      return ua.request(`${origin}/auth/${route}`, { method, body, headers: { ...(csrf === null ? {} : { 'X-OAuth-Wasm-CSRF': csrf }), ...headers } });
    },
    proxy(ua, url, init = {}) {
      return app.call(ua, `proxy?${new URLSearchParams({ url })}`, init);
    },
    async close() {
      await backend.close();
      await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
      await api.close();
      await as.close();
    },
  };
  return app;
}
