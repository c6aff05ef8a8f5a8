// The session holder: one client of the wasm core and the I/O it asks for (token, JWKS and
// revocation requests, API calls). It runs in the worker (web/worker.mjs) or, without isolation,
// in the page or in Node; its methods are the worker protocol's calls.
//
// Refresh: one at a time (every caller awaits the same promise, so a refresh token is never sent
// twice), proactively `refreshMargin` seconds before expiry (at most half the token's lifetime),
// on demand when a call finds the token expired, and once after an API's 401 invalid_token.
// A refresh whose request never got an answer (refused, DNS, TLS, a reset or a timeout before any
// status arrived), or that got 429 or 5xx, is retried `retries` times with jittered backoff (0.5 s,
// 1 s, 2 s) and keeps the session. One whose answer had begun (a status arrived, then the body
// failed) is not sent again: the server has seen that refresh token, and a server that rotates
// them takes a second use for theft and revokes the whole grant (RFC 9700 §4.14.2).
// session_expired (invalid_grant, or any 400/401 answer to a refresh: the core has wiped the
// tokens) is final.
import { OAuthError, unwrap } from './errors.mjs';
import { NO_RESPONSE, networkError, perform } from './http.mjs';
import { openPersistence } from './persisted-session.mjs';
import { realClock, seconds } from './clock.mjs';

const MAX_STEPS = 8; // requests in a row without a wait, for one operation
const MAX_REDIRECTS = 5;
const transient = (e) => (e.code === 'network_error' && e.status === 0) || e.status === 429 || e.status >= 500;

// For an entry that adds methods to its clients (web/node.mjs: the grants of web/grants.mjs): an
// option under this key is called once the session is open, with what those methods need. It
// is never sent to the core or to a worker.
export const EXTEND = Symbol('oauth-wasm.extend');
// fetch(req, { [REFRESH]: fn }): the refresh that call makes when it needs one (the backend's, under
// its store's lock). A symbol, so that no worker message can carry it (structured clone drops it).
export const REFRESH = Symbol('oauth-wasm.refresh');

export async function openSession(core, {
  fetch: fetchFn = (input, init) => fetch(input, init), scope, resource, refreshMargin, autoRefresh = true, retries = 3,
  requestTimeout = 30000, exposeAccessToken = true, persist = false, clock = realClock, [EXTEND]: extend, ...config
}, emit = () => {}) {
  const now = () => seconds(clock);
  const { handle: id, request: discovery } = unwrap(core.clientCreate(JSON.stringify({ ...config, refreshMargin })));
  let persisted; // web/persisted-session.mjs: the DPoP proofs are signed by its WebCrypto key
  const http = async (request) => perform(persisted ? await persisted.sign(request) : request, { fetch: fetchFn, timeout: requestTimeout });
  let metadata;
  try {
    metadata = unwrap(core.clientSetMetadata(id, await http(discovery)));
    if (persist) persisted = await openPersistence(core, id, config, persist === true ? {} : persist);
  } catch (e) {
    core.clientDestroy(id);
    throw e;
  }

  // One conversation with the core at a time: a login and a refresh never interleave.
  let queue = Promise.resolve();
  const serial = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  let generation = 0; // counts token sets, to tell whether a refused token is still the current one
  let refreshing = null;
  let ended; // { generation, error }: when and why the last session expired
  let timer;

  const tokenState = () => unwrap(core.clientTokenState(id, now()));

  // The one driver of the core's Steps (docs/SEAM.md): `start()` answers the first; each request
  // is sent (`send`; after `wait(step)` for a 'wait' step: the grants' device polls) and its answer
  // goes to `resume`, until a step that is neither (navigate, done), which it returns. A request
  // that fails on the wire is answered with NO_RESPONSE, so nothing stays pending in the core: a
  // grant may go on after a lost answer (the device flow polls less often); anything else fails
  // with the request's error. The core calls run in a turn of the queue (`turn`; the caller's own
  // by default): an operation keeps its turn to the end, except across a wait, whose request also
  // goes out before the answer takes its turn again (a device poll never blocks a refresh). With a
  // done step the session's state is settled in the same turn (`onDone` last).
  async function drive(start, { resume = core.clientResume, turn = (fn) => fn(), send = http, wait, onDone } = {}) {
    const sent = (request) => send(request).then((response) => ({ response }), (failure) => ({ failure }));
    const answer = ({ response = NO_RESPONSE, failure }) => {
      const next = resume(id, response, now());
      if (failure && !(failure.code === 'network_error' && next.ok)) throw failure;
      return unwrap(next);
    };
    const carry = async (step) => {
      for (let n = 0; step.kind === 'perform'; n++) {
        step = answer(n === MAX_STEPS ? { failure: new OAuthError('invalid_response', 'too many requests for one exchange') }
          : await sent(step.request));
      }
      if (step.kind === 'done') {
        await settle(step.result);
        onDone?.(step.result);
      }
      return step;
    };
    let step = await turn(async () => carry(unwrap(await start())));
    while (step.kind === 'wait') {
      await wait(step);
      const got = await sent(step.request);
      step = await turn(() => carry(answer(got)));
    }
    return step;
  }

  // New tokens: counted, the refresh timer re-armed for when the core says, and persisted.
  async function settle(result) {
    generation++;
    schedule(result.refreshIn);
    // Persisted: the new record; when it cannot be kept, the session goes on in memory only.
    const refused = await persisted?.save().catch((e) => e);
    if (refused) emit('error', refused);
  }

  const login = (start) => serial(() => drive(start)).then(({ result }) => {
    emit('login', { user: result.user });
    return result;
  }, (e) => {
    emit('error', e);
    throw e;
  });

  // Persisted: under the origin's lock, from the newest stored refresh token.
  const refreshOnce = () => (persisted
    ? persisted.exclusive(() => serial(() => drive(async () => {
      await persisted.adopt();
      return core.clientRefresh(id, now());
    })))
    : serial(() => drive(() => core.clientRefresh(id, now())))).then((step) => step.result);

  function refresh() {
    refreshing ??= (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await refreshOnce();
          emit('refresh', { expiresAt: result.expiresAt, scope: result.scope });
          return result;
        } catch (e) {
          if (e.code === 'session_expired') {
            clock.clearTimeout(timer);
            ended = { generation: ++generation, error: e };
            await persisted?.forget().catch(() => {});
            emit('session_expired', e);
          }
          if (attempt >= retries || !transient(e)) throw e;
          await new Promise((resolve) => clock.setTimeout(resolve, 500 * 2 ** attempt * (0.5 + Math.random())));
        }
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  // The proactive refresh, `refreshIn` seconds from now as the core says (null: none).
  function schedule(refreshIn) {
    clock.clearTimeout(timer);
    if (!autoRefresh || refreshIn === null) return;
    timer = clock.setTimeout(() => refresh().catch((e) => e.code === 'session_expired' || emit('error', e)),
      Math.min(refreshIn * 1000, 2 ** 31 - 1));
    timer.unref?.(); // Node: a pending refresh does not keep the process alive
  }

  // Refreshes first (by `renew`) when the token has expired or is due; a due but still valid
  // token is used when that refresh fails for a transient reason.
  async function fresh(renew = refresh) {
    const s = tokenState();
    if (!s.hasRefreshToken || (s.authenticated && !s.refresh)) return;
    await renew().catch((e) => {
      if (!s.authenticated || e.code === 'session_expired') throw e;
    });
  }

  // The Authorization header for `url`; the core refuses any origin outside apiOrigins first.
  async function authorization(url, method, renew) {
    let result = core.clientAuthorizeResource(id, url, method, now());
    if (result.ok ? result.value.refresh : result.error.code === 'token_expired') {
      await fresh(renew);
      result = core.clientAuthorizeResource(id, url, method, now());
    }
    const { headers } = unwrap(result);
    return persisted ? persisted.signHeaders(headers) : headers;
  }

  // One API request, redirects followed by hand and only within the origin, the header
  // re-authorized at each hop. A redirect elsewhere, or one the browser hides from script
  // (an opaque redirect), is refused: the token never follows it.
  async function send({ url, method, headers, body, replayable }, renew) {
    for (let hops = 0, nonceRetry = replayable; ; hops++) {
      const merged = new Headers(headers);
      for (const [name, value] of await authorization(url, method, renew)) merged.set(name, value);
      let res;
      try {
        res = await fetchFn(url, { method, headers: merged, body, redirect: 'manual', duplex: 'half' });
      } catch (e) {
        throw networkError(method, url, e);
      }
      // An app's fetch that followed a redirect itself, whatever `redirect` said: not an answer.
      if (res.redirected) {
        await res.body?.cancel();
        throw new OAuthError('unexpected_redirect', 'the fetch followed a redirect itself; its answer is not used', { blame: 'local' });
      }
      // DPoP (RFC 9449 §8.2, §9): the core keeps the API's DPoP-Nonce and asks for one more try
      // after a 401 use_dpop_nonce; the new proof carries the nonce.
      const again = unwrap(core.clientAcceptResourceResponse(id, url, { status: res.status, headers: [...res.headers], body: '' }));
      if (again && nonceRetry) {
        nonceRetry = false;
        hops--;
        await res.body?.cancel();
        continue;
      }
      const location = [301, 302, 303, 307, 308].includes(res.status) && res.headers.get('location');
      if (!location && res.type !== 'opaqueredirect') return res;
      const next = location && new URL(location, url);
      if (next?.origin !== new URL(url).origin || hops === MAX_REDIRECTS) {
        await res.body?.cancel();
        throw new OAuthError('unexpected_redirect', 'the API redirected to another origin or out of sight; the token does not follow',
          { blame: 'remote', status: res.status });
      }
      // Fetch §4.4: 303, and 301/302 after a POST, continue as a GET without a body.
      if (res.status === 303 || (res.status < 303 && method === 'POST')) [method, body] = ['GET', undefined];
      await res.body?.cancel();
      url = next.href;
    }
  }

  extend?.({ core, id, http, serial, drive, emit, now, clock, scope, resource });

  // { url, state }, and the serialised transaction (PKCE verifier, nonce) only for a redirect,
  // whose page keeps it for the trip: a popup's stays with the session. With PAR (RFC 9126) the
  // parameters are pushed first, and the URL holds only client_id and request_uri. The core keeps
  // one push waiting for its answer, so a second login waits until the first one's push is
  // answered; without a push in flight the answer comes at once (a popup opens in the same task).
  let pushing = null;
  function authorize(options, { redirect = false } = {}) {
    if (pushing) return pushing.then(() => authorize(options, { redirect }));
    const started = ({ url, state, transaction }) => (redirect ? { url, state, transaction } : { url, state });
    const first = core.clientAuthorize(id, JSON.stringify({ scope, resource, ...options }), now());
    if (!first.ok || first.value.kind === 'navigate') return started(unwrap(first));
    // The push's answer waits for its turn: a refresh in flight is answered first.
    const run = drive(() => first, { turn: serial }).then(started);
    const settled = run.then(() => {}, () => {});
    pushing = settled;
    settled.then(() => { if (pushing === settled) pushing = null; });
    return run;
  }

  const callback = (url, transaction) => login(() => core.clientCallback(id, url, transaction, now()));

  // The silent restore (web/silent-frame.mjs): a prompt=none login to silentRedirectUri whose
  // authorization URL goes down `port` to the page, which frames it; our callback page in that
  // frame (web/silent-callback.mjs) sends its URL back up the same port, judged here as any
  // callback (state, iss, ID token, nonce). Anything else up the port (the page saw the frame
  // land elsewhere), or nothing within `timeout` ms, is silent_frame_failed. One attempt at a
  // time: a second caller (another tab) joins the one in flight, and its port closes at once, so
  // its page opens no frame.
  let silent = null;
  function silentLogin(options, port, { timeout = 5000 } = {}) {
    const s = tokenState();
    if (silent || s.authenticated || s.hasRefreshToken) { // joined, or restored since the page asked
      port.close();
      return silent ?? Promise.resolve(null);
    }
    if (!config.silentRedirectUri) throw new OAuthError('invalid_argument', 'a silent restore needs silentRedirectUri');
    let timer;
    silent = new Promise((resolve, reject) => {
      const failed = (why) => new OAuthError('silent_frame_failed', `the silent restore's frame ${why}`, { blame: 'remote' });
      port.onmessage = ({ data }) => {
        port.onmessage = null;
        if (typeof data?.url === 'string') resolve(callback(data.url, ''));
        else reject(failed('landed on a page that did not answer (blocked, or not the silent callback page)'));
      };
      timer = clock.setTimeout(() => reject(failed(`did not answer within ${timeout} ms`)), timeout);
      Promise.resolve(authorize({ ...options, prompt: 'none', redirectUri: config.silentRedirectUri }))
        .then(({ url }) => port.postMessage({ url }), reject);
    }).finally(() => {
      clock.clearTimeout(timer);
      port.close();
      silent = null;
    });
    return silent;
  }

  // A persisted session comes back with one refresh (the access and ID tokens were never stored).
  // A record the core refuses, or a refresh the server refuses, leaves a clean signed-out state
  // and an empty store; a network failure keeps the record for the next try.
  if (persisted?.hasRecord) {
    await refresh().catch(async (e) => {
      if (!transient(e) && e.code !== 'session_expired') await persisted.forget().catch(() => {});
    });
  }

  return {
    metadata,

    authorize,
    callback,
    silent: silentLogin,
    refresh,
    // A session exists when the access token is valid, or when a refresh token can renew it.
    isAuthenticated: async () => {
      const s = tokenState();
      return s.authenticated || s.hasRefreshToken;
    },
    user: async () => unwrap(core.clientUser(id)),
    // Off (exposeAccessToken: false, anything but true), the token leaves only inside client.fetch.
    accessToken: async () => {
      if (exposeAccessToken !== true) throw new OAuthError('invalid_argument', 'getAccessToken() is off for this client (exposeAccessToken: false): use client.fetch');
      await fresh();
      return unwrap(core.clientAccessToken(id, now()));
    },

    // req: { url, method, headers, body, replayable }. A 401 whose challenge says invalid_token
    // is retried once after a refresh (not needed when another call has refreshed meanwhile),
    // when the body can be sent again. [REFRESH] (the session's own refresh by default) makes
    // every refresh this call needs: the backend's takes its store's lock (web/backend/sessions.mjs).
    async fetch(req, { [REFRESH]: renew = refresh } = {}) {
      for (let retry = req.replayable; ; retry = false) {
        const seen = generation;
        const res = await send(req, renew);
        // RFC 6750 §3, RFC 9449 §7.1: refused as such (expired, revoked), not for its scope.
        const refused = () => unwrap(core.isInvalidTokenChallenge(res.headers.get('www-authenticate') ?? ''));
        if (!(retry && res.status === 401 && refused())) return res;
        await res.body?.cancel();
        // Refreshed meanwhile: retry with the new token; ended meanwhile: fail as the refresh did.
        if (seen === generation) await renew();
        else if (ended?.generation > seen) throw ended.error;
      }
    },

    // Wipes at once, then revokes (RFC 7009, best effort) with the requests taken before the wipe.
    // With endSession, resolves to the core's end_session request for the page's navigation,
    // { url, action, params, state } (a GET URL, or a form POST's action and params); it carries
    // the ID token as id_token_hint only with idTokenHint.
    logout: ({ revoke = true, endSession = false, postLogoutRedirectUri = '', idTokenHint = false } = {}) => serial(async () => {
      clock.clearTimeout(timer);
      const end = endSession && core.clientEndSessionRequest(id, postLogoutRedirectUri, idTokenHint);
      const revocations = (revoke && core.clientRevocationRequests(id).value) || [];
      unwrap(core.clientLogout(id));
      await persisted?.forget().catch((e) => emit('error', e));
      generation++;
      emit('logout');
      for (const request of revocations) await http(request).catch(() => {});
      return end ? unwrap(end) : undefined;
    }),

    checkLogout: async (url, state) => unwrap(core.clientCheckEndSessionCallback(url, state)),
  };
}

