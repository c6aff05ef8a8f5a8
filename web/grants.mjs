// The grants without a browser redirect, for the Node entry: client credentials (RFC 6749 §4.4)
// and the device flow (RFC 8628). The core decides (src/grants): whether the cached token still
// serves, what to send, how long to wait before the next poll and what every answer means. This
// file starts them; the session's driver (web/session.mjs) carries their steps. The tokens go to the same session as a login's,
// so client.fetch, getAccessToken, refresh and logout work with them as with any other.
import { unwrap } from './errors.mjs';
import { sleep } from './sleep.mjs';

// Adds loginWithClientCredentials() and loginWithDeviceCode() to `client`. `session` is what the
// session holder (web/session.mjs) hands to extensions: { core, id, http, serial, drive, emit,
// now, clock, scope, resource } (the client's default scope and resource indicators). The session's driver carries
// the grants' steps; their answers go to grantResume, each in a turn of the session's queue, and
// the tokens are carried on in that turn to the end of the login (the JWKS first when needed), so
// no refresh runs between the grant handing them over and the client taking them.
export function attachGrants(client, { core, id, http, serial, drive, emit, now, clock, scope: defaultScope, resource: defaultResource }) {
  // A device poll's wait tells the app the step's event first; with `signal`, an abort ends the
  // wait, the request, and any answer still waiting for its turn.
  const grant = (start, { signal, onPrompt, onDone }) => drive(start, {
    resume: core.grantResume,
    turn: (fn) => serial(() => {
      signal?.throwIfAborted();
      return fn();
    }),
    send: (request) => abortable(http(request), signal),
    wait: ({ seconds, event }) => {
      if (event) {
        emit(event.type, event.detail);
        if (event.type === 'device_code') onPrompt?.(event.detail);
      }
      return sleep(clock, seconds * 1000, signal);
    },
    onDone,
  });

  // Client credentials: one exchange in flight (concurrent callers with the same options share
  // it), and the options of the last token obtained, so that a token near expiry is renewed
  // before it is used.
  let flight = null;
  let renewWith = null;

  function clientCredentials(options) {
    if (flight?.options === options) return flight.promise;
    const before = flight?.promise.catch(() => {});
    const promise = (async () => {
      await before;
      try {
        const first = unwrap(core.clientCredentials(id, options, now()));
        if (first.kind === 'done') return first.result; // the cached token
        // `onDone` runs as soon as the client holds the tokens, before the 'login' listeners.
        const { result } = await grant(() => ({ ok: true, value: first }), { onDone: (r) => {
          renewWith = options;
          emit('login', { user: r.user });
        } });
        return result;
      } catch (e) {
        emit('error', e);
        throw e;
      }
    })().finally(() => {
      if (flight?.promise === promise) flight = null;
    });
    flight = { options, promise };
    return promise;
  }

  // Before the token is used: renewed when the core says it is near expiry. When renewing fails
  // but the current token is still valid, it is used.
  async function renewed() {
    if (!renewWith) return;
    await clientCredentials(renewWith).catch((e) => {
      if (!unwrap(core.clientIsAuthenticated(id, now()))) throw e;
    });
  }

  async function loginWithDeviceCode({ scope, resource = defaultResource, signal, onPrompt } = {}) {
    signal?.throwIfAborted();
    try {
      const { result } = await grant(() => core.deviceStart(id, JSON.stringify({ scope: scope ?? defaultScope ?? 'openid', resource })), {
        signal,
        onPrompt,
        // The client holds the user's tokens now: no longer renew the service's (a 'login'
        // listener's client.fetch would otherwise replace them with a client-credentials token).
        onDone: (r) => {
          renewWith = null;
          emit('login', { user: r.user });
        },
      });
      return result;
    } catch (e) {
      core.deviceCancel(id); // the device code is wiped
      if (!signal?.aborted) emit('error', e);
      throw e;
    }
  }

  client.on('logout', () => { renewWith = null; });
  for (const name of ['fetch', 'getAccessToken']) {
    const use = client[name];
    client[name] = async (...args) => {
      await renewed();
      return use.apply(client, args);
    };
  }

  return Object.assign(client, {
    // RFC 6749 §4.4: a token for the client itself (no user), with scope and resource indicators
    // (RFC 8707). Needs clientSecret. The token is reused until it is near expiry, and renewed
    // then by this call and before client.fetch and getAccessToken use it.
    loginWithClientCredentials({ scope, resource = defaultResource } = {}) {
      return clientCredentials(JSON.stringify({ scope, resource }));
    },

    // RFC 8628: asks for a user code, hands it to onPrompt (and the 'device_code' event) for the
    // user to enter at the verification URI, and polls the token endpoint until the user has
    // finished there. Rejects with access_denied, expired_token (also when expires_in passes
    // without an answer) or the server's error; with `signal`, aborting rejects with its reason.
    loginWithDeviceCode,
  });
}

// The request's answer, or the abort's reason as soon as `signal` aborts (the request itself
// ends with its own timeout; its answer is then ignored).
function abortable(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
