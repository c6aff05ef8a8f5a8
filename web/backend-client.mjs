// oauth-wasm/backend: the browser side of the backend-for-frontend (web/backend/handler.mjs).
// The tokens stay on the app's server; this page holds none, loads no wasm and no worker, and
// talks to the backend's routes only, with the session cookie the browser sends by itself and the
// CSRF header the backend requires. A reload keeps the user signed in: the cookie does.
import { OAuthError } from './errors.mjs';

const CSRF = { 'X-OAuth-Wasm-CSRF': '1' };
const ERROR_HEADER = 'oauth-wasm-error'; // set on the backend's own error answers, not the API's

// The same calls as the main entry's client, where they make sense without tokens in the page.
export function createClient({ backend = '/auth', fetch: fetchFn = (input, init) => fetch(input, init) } = {}) {
  const base = new URL(backend.replace(/\/$/, ''), location.href);
  const route = (name) => `${base.href}/${name}`;
  const client = new EventTarget();
  const emit = (type, detail) => client.dispatchEvent(new CustomEvent(type, { detail }));

  // A backend route; its own errors become OAuthErrors (the session's end is announced).
  async function call(name, init = {}) {
    let res;
    try {
      res = await fetchFn(route(name), { credentials: 'same-origin', cache: 'no-store', ...init, headers: { ...CSRF, ...init.headers } });
    } catch (e) {
      throw new OAuthError('network_error', 'the backend did not answer', { blame: 'remote', cause: e });
    }
    if (!res.headers.has(ERROR_HEADER)) return res;
    const { error = res.headers.get(ERROR_HEADER), error_description: description = '' } = await res.json().catch(() => ({}));
    const e = new OAuthError(error, description, { blame: res.status >= 500 ? 'remote' : 'local', status: res.status });
    if (error === 'session_expired' || error === 'login_required') emit('session_expired', e);
    emit('error', e);
    throw e;
  }
  const session = async () => (await call('session')).json();

  return Object.assign(client, {
    // The backend runs the authorization-code flow and brings the browser back to `returnTo`
    // (this page by default) with its session cookie.
    async loginWithRedirect({ returnTo = location.pathname + location.search + location.hash, openUrl = (url) => location.assign(url) } = {}) {
      await openUrl(`${route('login')}?${new URLSearchParams({ returnTo })}`);
    },
    // Nothing to do on return: the backend took the callback. Resolves to { user } when signed in.
    async handleRedirectCallback() {
      const s = await session();
      if (!s.authenticated) throw new OAuthError('login_required', 'the backend holds no session for this browser');
      emit('login', { user: s.user });
      return { user: s.user };
    },
    restore: async () => (await session()).authenticated,
    isAuthenticated: async () => (await session()).authenticated,
    getUser: async () => (await session()).user ?? null,
    // The tokens never come to the page.
    getAccessToken: async () => {
      throw new OAuthError('invalid_argument', 'in backend mode the tokens stay on the server; use client.fetch');
    },
    // fetch() through the backend's proxy, which adds the session's access token for its API
    // origins (any other is refused with origin_not_allowed). The API's answer comes back as it
    // is, apart from headers the proxy does not pass (Set-Cookie among them).
    async fetch(input, init) {
      const request = new Request(input, init);
      const headers = Object.fromEntries(request.headers);
      const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer();
      return call(`proxy?${new URLSearchParams({ url: request.url })}`, { method: request.method, headers, body, signal: init?.signal });
    },
    // Ends the session on the backend (which revokes the tokens), and with endSession: true
    // leaves for the server's end_session_endpoint by GET (`openUrl` gets the URL instead): the
    // request holds no ID token, and every server takes GET there (RP-Initiated Logout 1.0 §2).
    async logout({ endSession = false, openUrl } = {}) {
      const res = await call('logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ endSession }) });
      const { endSessionUrl } = await res.json();
      emit('logout');
      if (!endSessionUrl) return;
      if (openUrl) await openUrl(endSessionUrl);
      else location.assign(endSessionUrl);
    },
    on(type, fn) {
      const listener = (event) => fn(event.detail);
      client.addEventListener(type, listener);
      return () => client.removeEventListener(type, listener);
    },
  });
}
