// createClient(): the app-facing client. The core decides everything (what to request, whether a
// callback, a token response or an ID token is acceptable, which origins get a token); this file
// carries its requests, the browser navigation and the one-trip transaction.
//
// Tokens stay in wasm memory: nothing here writes them to web storage, cookies, URLs or logs.
import { loadCore } from './core-loader.mjs';
import { OAuthError, unwrap } from './errors.mjs';
import { perform } from './http.mjs';
import { CALLBACK_MESSAGE } from './popup-callback.mjs';

const TX = 'oauth-wasm.tx.'; // sessionStorage key prefix of the transaction kept for one redirect trip
// Authorization-response parameters removed from the address bar after a callback (RFC 6749 §4.1.2,
// RFC 9207, OIDC Session Management); a fragment carrying any of them or a token goes entirely.
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];
const CALLBACK_HASH = /(^#|&)(code|state|iss|error|access_token|id_token|refresh_token)=/;
const MAX_STEPS = 8;

const now = () => Math.floor(Date.now() / 1000);

// Options not listed here ({ issuer, clientId, redirectUri, apiOrigins, clockSkew, transactionTtl })
// go to the core, which refuses anything it does not know. `scope` is the default of every login.
export async function createClient({
  fetch: fetchFn = (input, init) => fetch(input, init), storage = sessionStore(), core,
  integrity, wasmUrl, wasmBytes, scope, ...config
} = {}) {
  core ??= await loadCore({ integrity, wasmUrl, wasmBytes });
  if (typeof core.clientCreate !== 'function') throw new OAuthError('wasm_load_failed', 'this core has no client API');
  const id = unwrap(core.clientCreate(JSON.stringify(config)));
  const http = (request) => perform(request, { fetch: fetchFn });
  let metadata;
  try {
    metadata = unwrap(core.clientSetMetadata(id, await http(unwrap(core.clientDiscoveryRequest(id)))));
  } catch (e) {
    core.clientDestroy?.(id);
    throw e;
  }
  const authorize = (options) => unwrap(core.clientAuthorize(id, JSON.stringify({ scope, ...options }), now()));

  const client = new EventTarget();
  const emit = (type, detail) => client.dispatchEvent(new CustomEvent(type, { detail }));
  // One conversation with the core at a time: a callback's steps are never interleaved.
  let queue = Promise.resolve();
  const serial = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };

  // Runs a callback to its end: the core yields requests (token, then JWKS, ...) until done.
  const complete = (start) => serial(async () => {
    try {
      let step = unwrap(start());
      for (let n = 0; step.kind === 'request'; n++) {
        if (n === MAX_STEPS) throw new OAuthError('invalid_response', 'too many requests for one login');
        step = unwrap(core.clientResume(id, await http(step.request), now()));
      }
      emit('login', { user: step.result.user });
      return step.result;
    } catch (e) {
      emit('error', e);
      throw e;
    }
  });

  return Object.assign(client, {
    metadata,

    // Authorization code + PKCE by full-page redirect (RFC 6749 §4.1, RFC 7636, OAuth 2.1 §4.1).
    // The core's transaction rides in sessionStorage for this one trip only. `openUrl` replaces
    // location.assign (other runtimes, tests).
    async loginWithRedirect({ openUrl = (url) => location.assign(url), ...options } = {}) {
      if (!storage) throw new OAuthError('invalid_argument', 'redirect login needs sessionStorage or the storage option');
      const { url, state, transaction } = authorize(options);
      clearTransactions(storage);
      storage.setItem(TX + state, transaction);
      await openUrl(url);
    },

    // On the redirect URI page. The stored transaction is removed and the response parameters
    // leave the address bar first, whatever the outcome.
    async handleRedirectCallback(url = location.href) {
      let transaction = '';
      try {
        const state = new URL(url).searchParams.get('state');
        if (storage) {
          if (state) transaction = storage.getItem(TX + state) ?? '';
          clearTransactions(storage);
        }
      } catch { /* a malformed URL or unusable storage: the core refuses the callback */ }
      // Out of the address bar (and so out of Referer headers and bookmarks) before any request.
      cleanAddressBar();
      return complete(() => core.clientCallback(id, String(url), transaction, now()));
    },

    // The same flow in a popup whose redirect URI page calls postCallbackToOpener(). Call it from a
    // click handler: the popup opens before anything is awaited. The transaction stays in the core.
    loginWithPopup({ timeout = 300000, popup: features = 'popup,width=500,height=650', ...options } = {}) {
      let popup;
      try {
        const { url } = authorize(options);
        popup = open(url, 'oauth-wasm-login', features);
        if (!popup) throw new OAuthError('popup_blocked', 'the browser did not open the login popup');
      } catch (e) {
        emit('error', e);
        return Promise.reject(e);
      }
      return new Promise((resolve, reject) => {
        let closedOnce = false;
        const stop = () => {
          removeEventListener('message', onMessage);
          clearInterval(poll);
          clearTimeout(timer);
        };
        const fail = (code, text) => {
          stop();
          const e = new OAuthError(code, text);
          emit('error', e);
          reject(e);
        };
        function onMessage(event) {
          // Only our own callback page, in the popup we opened.
          if (event.origin !== location.origin || event.source !== popup) return;
          const { type, url } = event.data ?? {};
          if (type !== CALLBACK_MESSAGE || typeof url !== 'string') return;
          stop();
          resolve(complete(() => core.clientCallback(id, url, '', now())));
        }
        addEventListener('message', onMessage);
        // The callback page posts, then closes itself: allow one more tick for its message.
        const poll = setInterval(() => {
          if (!popup.closed) return;
          if (closedOnce) fail('popup_closed', 'the login popup was closed');
          closedOnce = true;
        }, 250);
        const timer = setTimeout(() => {
          popup.close();
          fail('popup_timeout', 'the login popup did not finish in time');
        }, timeout);
      });
    },

    async isAuthenticated() {
      return unwrap(core.clientIsAuthenticated(id, now()));
    },

    async getUser() {
      return unwrap(core.clientUser(id));
    },

    // The escape hatch: { token, tokenType, expiresAt }. Prefer client.fetch, which attaches the
    // token only for the configured API origins; a token handed out here is yours to protect.
    async getAccessToken() {
      return unwrap(core.clientAccessToken(id, now()));
    },

    // fetch() with the Authorization header the core gives for this URL and method. Any origin
    // outside apiOrigins is refused (origin_not_allowed) before a request is made; a redirect to
    // another origin drops the header (Fetch standard; checked in Chromium and Node 20).
    async fetch(input, init) {
      const request = new Request(input, init);
      const { headers } = unwrap(core.clientAuthorizeResource(id, request.url, request.method, now()));
      const merged = new Headers(request.headers);
      for (const [name, value] of headers) merged.set(name, value);
      return fetchFn(new Request(request, { headers: merged }));
    },

    // Local logout: the core wipes its tokens; the authorization server session is untouched.
    async logout() {
      unwrap(core.clientLogout(id));
      clearTransactions(storage);
      emit('logout');
    },

    // on('login' | 'logout' | 'error', fn): fn gets the event's detail; returns an unsubscribe.
    on(type, fn) {
      const listener = (event) => fn(event.detail);
      client.addEventListener(type, listener);
      return () => client.removeEventListener(type, listener);
    },
  });
}

function sessionStore() {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // sandboxed frame or storage disabled
  }
}

function clearTransactions(storage) {
  if (!storage) return;
  const keys = [];
  for (let i = 0; i < storage.length; i++) keys.push(storage.key(i));
  for (const key of keys) if (key?.startsWith(TX)) storage.removeItem(key);
}

function cleanAddressBar() {
  if (!globalThis.history?.replaceState || !globalThis.location) return;
  const url = new URL(location.href);
  const query = CALLBACK_PARAMS.filter((p) => url.searchParams.has(p));
  const hash = CALLBACK_HASH.test(url.hash);
  if (!query.length && !hash) return;
  for (const p of query) url.searchParams.delete(p);
  if (hash) url.hash = '';
  history.replaceState(history.state, '', url.href);
}
