// createClient(): the app-facing client. The core decides everything (what to request, whether a
// callback, a token response or an ID token is acceptable, which origins get a token); the session
// holder (web/session.mjs) carries its requests; this file does what only a page can: navigate,
// keep the one-trip transaction, open the popup, clean the address bar.
//
// Isolation: the session lives in a SharedWorker shared by the origin's pages (default where
// there is one), in a dedicated Worker per page, or, with 'none', in this realm. The page loads
// neither the wasm nor the session code unless 'none' is chosen (then by dynamic import). Tokens
// stay in the session holder: nothing here writes them to web storage, cookies, URLs or logs.
import { OAuthError } from './errors.mjs';
import { marked, withTexts } from './error-texts.mjs';
import { CALLBACK_MESSAGE } from './popup-callback.mjs';
import { submitEndSession } from './end-session-form.mjs';
import { connect, workerName } from './worker-protocol.mjs';
const silentRestore = async (...args) => (await import('./silent-frame.mjs')).silentRestore(...args); // silent restore only

const TX = 'oauth-wasm.tx.'; // sessionStorage key prefix of the transaction kept for one redirect trip
// The one transaction a tab keeps (a new trip replaces it); the core checks the callback's state
// against it, so the shim never reads the callback URL.
const TRIP = `${TX}trip`;
const RESTORE = 'oauth-wasm.restore'; // this tab's restore attempt: the page to return to, then ''
const LOGOUT = 'oauth-wasm.logout'; // the end_session state kept for its trip
// Authorization-response parameters removed from the address bar after a callback (RFC 6749 §4.1.2,
// RFC 9207, OIDC Session Management); a fragment carrying any of them or a token goes entirely.
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];
const CALLBACK_HASH = /(^#|&)(code|state|iss|error|access_token|id_token|refresh_token)=/;
const NULL_BODY = [101, 204, 205, 304];
// A silent restore's outcomes that a top-level trip may still turn into a session (a frame gets
// no third-party cookies in some browsers); any other error is the answer.
const SILENT_FALLBACK = ['login_required', 'interaction_required', 'consent_required', 'account_selection_required',
  'silent_frame_failed'];
const ISOLATIONS = ['shared-worker', 'worker', 'none'];
const dedicated = new Map(); // this page's Workers (isolation 'worker'), by worker name
// Vite's dev server moves this module into node_modules/.vite/deps (dependency pre-bundling), where
// './worker.mjs' does not exist; from there the package's own export is used, which Vite resolves.
const preBundled = import.meta.url.includes('/.vite/deps/');

// Options not listed here ({ issuer, clientId, redirectUri, silentRedirectUri, apiOrigins, clockSkew,
// transactionTtl, scope, refreshMargin, autoRefresh, retries, exposeAccessToken, ... }) go to the
// session holder and the core.
export async function createClient({
  isolation, fetch, storage = sessionStore(), core, integrity, wasmUrl, wasmBytes, clock, ...config
} = {}) {
  // The page's timers: the clock given (tests), else the system's; the session's default is web/clock.mjs.
  const timers = clock ?? globalThis;
  isolation = chooseIsolation(isolation, { fetch, core, wasmBytes });
  const client = new EventTarget();
  // The browser's wasm names its human texts by markers (web/error-texts.mjs): an error reaches
  // the app, as a rejection or an event, with its texts written out. An event waits behind one
  // whose texts are being fetched, so events keep their order.
  let events = null;
  const emit = (type, detail) => {
    const dispatch = () => client.dispatchEvent(new CustomEvent(type, { detail }));
    if (!events && !marked(detail)) return dispatch();
    events = (events ?? Promise.resolve()).then(() => withTexts(detail)).then(dispatch);
    const mine = events;
    mine.then(() => { if (events === mine) events = null; });
  };
  // A call's answer, rejected with its texts written out, after the events that came before it
  // (a refresh's session_expired reaches the app before the refresh's rejection); a session method
  // that answers at once (authorize, for the popup) and throws a marked error rejects instead.
  const rejected = async (e) => {
    const written = await withTexts(e);
    while (events) await events;
    throw written;
  };
  const texts = (answer) => {
    try {
      const out = answer();
      return out instanceof Promise ? out.catch(rejected) : out;
    } catch (e) {
      if (marked(e)) return rejected(e);
      throw e;
    }
  };
  let call;
  let metadata;
  if (isolation === 'none') {
    const { openSession, loadCore } = await import('./in-page.mjs');
    const session = await texts(async () => openSession(core ?? (await loadCore({ integrity, wasmUrl, wasmBytes })),
      { fetch, clock, ...config }, emit));
    call = (method, ...args) => texts(() => session[method](...args));
    metadata = session.metadata;
  } else {
    // The worker loads its own wasm and checks it against the hash built into it. A self-hosted
    // wasm (wasmUrl) or an app's own integrity is part of the worker's name: a worker configured
    // otherwise is another worker, and a page can never hand a worker code.
    const name = workerName({ wasmUrl: wasmUrl && new URL(wasmUrl, location.href).href, integrity });
    const shared = isolation === 'shared-worker';
    let worker;
    let port;
    if (shared) {
      worker = startWorker(true, name);
      port = worker.port;
    } else {
      // One dedicated worker per page (and name), a channel per client.
      worker = dedicated.get(name) ?? startWorker(false, name);
      dedicated.set(name, worker);
      const channel = new MessageChannel();
      worker.postMessage(null, [channel.port2]);
      port = channel.port1;
    }
    const wire = connect(port, emit);
    worker.addEventListener('error', () => {
      if (!shared) dedicated.delete(name);
      wire.fail(new OAuthError('wasm_load_failed', 'the oauth-wasm worker did not start: check that the package\'s worker.mjs ' +
        'is served at its URL as JavaScript (MIME type), that the Content-Security-Policy allows it (worker-src or ' +
        'script-src \'self\'), and that the bundler ships it with its chunks and oauth-wasm-core.wasm'));
    });
    call = (method, ...args) => wire.call(method, ...args).catch(rejected);
    metadata = await call('open', config);
  }

  async function loginWithRedirect({ openUrl = (url) => location.assign(url), ...options } = {}) {
    if (!storage) throw new OAuthError('invalid_argument', 'redirect login needs sessionStorage or the storage option');
    // The page leaves, and a session key held in this realm or a worker may not survive the trip:
    // the code is not bound to it (dpop_jkt, RFC 9449 §10); the tokens still are.
    const { url, transaction } = await call('authorize', { bindDpopKey: false, ...options }, { redirect: true });
    clearTransactions(storage);
    storage.setItem(TRIP, transaction);
    try {
      await openUrl(url);
    } catch (e) {
      storage.removeItem(TRIP); // the trip did not start: its verifier does not wait for it
      throw e;
    }
  }

  return Object.assign(client, {
    metadata,

    // Authorization code + PKCE by full-page redirect (RFC 6749 §4.1, RFC 7636, OAuth 2.1 §4.1).
    // The core's transaction rides in sessionStorage for this one trip only. `openUrl` replaces
    // location.assign (other runtimes, tests).
    loginWithRedirect,

    // On the redirect URI page. The stored transaction is removed and the response parameters
    // leave the address bar first, whatever the outcome. After restore(), returns to its page.
    async handleRedirectCallback(url = location.href) {
      let transaction = '';
      let back = '';
      try {
        if (storage) {
          transaction = storage.getItem(TRIP) ?? '';
          clearTransactions(storage);
          back = storage.getItem(RESTORE);
          if (back) storage.setItem(RESTORE, '');
        }
      } catch { /* unusable storage: the callback goes on without a stored transaction */ }
      // Out of the address bar (and so out of Referer headers and bookmarks) before any request.
      cleanAddressBar();
      try {
        const result = await call('callback', String(url), transaction);
        storage?.removeItem(RESTORE);
        return result;
      } finally {
        if (back) history.replaceState(history.state, '', back);
      }
    },

    // After a reload the session is gone unless another page keeps the worker. With
    // silentRedirectUri, a hidden frame asks the server with prompt=none and the page stays
    // (web/silent-frame.mjs); one attempt at a time per session, other tabs join it. When that
    // cannot work (login_required and its kin, a blocked or silent frame) or without
    // silentRedirectUri, `fallback`: 'redirect' leaves for one top-level prompt=none trip per
    // tab (location.replace, so no history entry), 'none' reports signed out. A refused answer
    // (state, iss, ID token) rejects, and is not retried. Resolves true when there is a session;
    // false when there is none, or when it navigates away to try.
    async restore({ openUrl, fallback = 'redirect', silentTimeout = 5000, ...options } = {}) {
      if (await call('isAuthenticated')) return true;
      if (config.silentRedirectUri && typeof document === 'object') { // a frame needs a page
        try {
          await silentRestore(call, options, { timeout: silentTimeout, timers });
          return true;
        } catch (e) {
          if (!SILENT_FALLBACK.includes(e?.code)) throw e;
        }
      }
      if (fallback !== 'redirect' || !storage || storage.getItem(RESTORE) !== null) return false;
      storage.setItem(RESTORE, location.href);
      await loginWithRedirect({ openUrl: openUrl ?? ((url) => location.replace(url)), ...options, prompt: 'none' });
      return false;
    },

    // The same flow in a popup whose redirect URI page calls postCallbackToOpener(). Call it from a
    // click handler: the popup opens before anything is awaited (blank, when the URL comes from a
    // worker, then sent there). The transaction stays with the session.
    loginWithPopup({ timeout = 300000, popup: features = 'popup,width=500,height=650', ...options } = {}) {
      let popup;
      let poll;
      let timer;
      return new Promise((resolve, reject) => {
        const stop = () => {
          removeEventListener('message', onMessage);
          clearInterval(poll);
          timers.clearTimeout(timer);
        };
        const fail = (e) => {
          stop();
          popup?.close();
          emit('error', e);
          reject(e);
        };
        function onMessage(event) {
          // Only our own callback page, in the popup we opened.
          if (event.origin !== location.origin || event.source !== popup) return;
          const { type, url } = event.data ?? {};
          if (type !== CALLBACK_MESSAGE || typeof url !== 'string') return;
          stop();
          popup.close(); // it closes itself too; this one cannot fail for a window we opened
          resolve(call('callback', url, ''));
        }
        try {
          // popupLogin: the request names popupRedirectUri when there is one.
          const start = call('authorize', { ...options, popupLogin: true }); // a value in this realm, a promise from a worker
          popup = open(start.url ?? '', 'oauth-wasm-login', features);
          if (!popup) throw new OAuthError('popup_blocked', 'the browser did not open the login popup');
          Promise.resolve(start).then(({ url }) => {
            if (!start.url) popup.location.href = url;
            addEventListener('message', onMessage);
            // The callback page posts, then closes itself: allow one more tick for its message.
            let closedOnce = false;
            poll = setInterval(() => {
              if (popup.closed && closedOnce) fail(new OAuthError('popup_closed', 'the login popup was closed'));
              closedOnce = popup.closed;
            }, 250);
            timer = timers.setTimeout(() => fail(new OAuthError('popup_timeout', 'the login popup did not finish in time')), timeout);
          }, fail);
        } catch (e) {
          fail(e);
        }
      });
    },

    isAuthenticated: () => call('isAuthenticated'),
    getUser: () => call('user'),

    // The escape hatch: { token, tokenType, expiresAt }, refreshed first when due. Prefer
    // client.fetch, which sends the token only to the API origins; a token handed out here is
    // yours to protect.
    getAccessToken: () => call('accessToken'),

    // Renews the tokens now (single flight with any refresh already running).
    refresh: () => call('refresh'),

    // fetch() with the Authorization header, for the configured API origins only (any other is
    // refused with origin_not_allowed before a request is made). The request goes out from the
    // session holder; a body is read here first, so it can be sent again after a refresh (a
    // ReadableStream body is passed on as is and not retried).
    async fetch(input, init) {
      const request = new Request(input, init);
      const stream = init?.body instanceof ReadableStream;
      const res = await call('fetch', {
        url: request.url,
        method: request.method,
        headers: [...request.headers],
        body: stream ? init.body : request.body ? await request.arrayBuffer() : undefined,
        replayable: !stream,
      });
      if (res instanceof Response) return res;
      const response = new Response(NULL_BODY.includes(res.status) ? null : res.body, res);
      Object.defineProperty(response, 'url', { value: res.url });
      return response;
    },

    // Wipes the tokens, revokes them at the server (RFC 7009, best effort; revoke: false skips
    // it), and with endSession: true leaves for the server's end_session_endpoint (OIDC
    // RP-Initiated Logout), to come back to postLogoutRedirectUri and handleLogoutCallback().
    // By default it leaves by GET with client_id, no id_token_hint (§2 makes it optional), which
    // every server takes; with idTokenHint the hint goes along in a form POST, out of history.
    // `openUrl`, when given, gets the request as a GET URL instead (other runtimes, tests).
    async logout({ openUrl, ...options } = {}) {
      const end = await call('logout', options);
      clearTransactions(storage);
      if (!end) return;
      storage?.setItem(LOGOUT, end.state);
      if (openUrl) await openUrl(end.url);
      else if (options.idTokenHint) submitEndSession(end);
      else location.assign(end.url);
    },

    // On the post-logout redirect page: resolves true when its state is the one sent, rejects
    // with state_mismatch otherwise.
    async handleLogoutCallback(url = location.href) {
      const state = storage?.getItem(LOGOUT) ?? '';
      storage?.removeItem(LOGOUT);
      cleanAddressBar();
      return call('checkLogout', String(url), state);
    },

    // on('login' | 'logout' | 'session_expired' | 'refresh' | 'error', fn): fn gets the event's detail;
    // returns an unsubscribe.
    on(type, fn) {
      const listener = (event) => fn(event.detail);
      client.addEventListener(type, listener);
      return () => client.removeEventListener(type, listener);
    },
  });
}

// Where the session lives. Outside a page (Node, an app's own worker) this realm is the one there
// is. In a page, whatever would keep it there (the app's fetch or core, wasm bytes, a browser
// without workers) is refused unless isolation: 'none' is asked for outright.
function chooseIsolation(isolation, given) {
  if (isolation === undefined && typeof document !== 'object') isolation = 'none';
  if (isolation === 'none') return isolation;
  const inPage = Object.keys(given).filter((k) => given[k] !== undefined);
  if (inPage.length) {
    throw new OAuthError('invalid_argument', `${inPage.join(' and ')} would keep the session in the page: ` +
      'pass isolation: \'none\' to accept that (the README\'s security model says what it gives up)');
  }
  isolation ??= globalThis.SharedWorker ? 'shared-worker' : 'worker';
  if (!ISOLATIONS.includes(isolation)) throw new OAuthError('invalid_argument', `isolation is one of ${ISOLATIONS.join(', ')}`);
  const holder = isolation === 'worker' ? 'Worker' : 'SharedWorker';
  if (!globalThis[holder]) {
    throw new OAuthError('invalid_argument', `this browser has no ${holder} to hold the session: ` +
      'pass isolation: \'none\' to keep it in the page');
  }
  return isolation;
}

// Each start written out literally, new (Shared)Worker(new URL(..., import.meta.url), { type }),
// so that bundlers find the worker, ship it with its chunks and rewrite its URL.
function startWorker(shared, name) {
  if (preBundled) {
    return shared ? new SharedWorker(new URL('oauth-wasm/worker', import.meta.url), { type: 'module', name })
      : new Worker(new URL('oauth-wasm/worker', import.meta.url), { type: 'module', name });
  }
  return shared ? new SharedWorker(new URL('./worker.mjs', import.meta.url), { type: 'module', name })
    : new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module', name });
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
