// The grants without a browser redirect, for the Node entry: client credentials (RFC 6749 §4.4)
// and the device flow (RFC 8628). The core decides (src/grants): whether the cached token still
// serves, what to send, how long to wait before the next poll and what every answer means. This
// file carries the requests and keeps the timer. The tokens go to the same session as a login's,
// so client.fetch, getAccessToken, refresh and logout work with them as with any other.
import { unwrap } from './errors.mjs';
import { NO_RESPONSE } from './http.mjs';
import { sleep } from './sleep.mjs';

// Adds loginWithClientCredentials() and loginWithDeviceCode() to `client`. `session` is what the
// session holder (web/session.mjs) hands to extensions: { core, id, http, serial, carry, emit,
// now, clock, scope, resource } (the client's default scope and resource indicators).
export function attachGrants(client, { core, id, http, serial, carry, emit, now, clock, scope: defaultScope, resource: defaultResource }) {
  // The grant's answer to a response, in a turn of the session's queue: a step the grant keeps
  // (`kept(step)`: a poll, a DPoP nonce retry) comes back as { step }; the tokens are carried on
  // in the same turn to the end of the login (the JWKS first when needed), as { result }, so no
  // refresh runs between the grant handing them over and the client taking them. `taken()` runs
  // as soon as the client holds them, before the JWKS request and the 'login' listeners.
  const answerInTurn = (answer, kept, taken) => serial(async () => {
    const step = unwrap(answer());
    if (kept(step)) return { step };
    taken();
    const result = await carry(step);
    emit('login', { user: result.user });
    return { result };
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
        let step = unwrap(core.clientCredentials(id, options, now()));
        if (step.kind === 'done') return step.result; // the cached token
        // The grant answers a DPoP nonce demand (RFC 9449 §8) with its request again, once: that
        // request's answer goes back to the grant too. Anything else is the tokens (or an error).
        for (let sent = 1; ; sent++) {
          // A request that fails on the wire is answered to the grant as a failed exchange
          // (status 0): the grant takes one request at a time, and this one is over.
          const response = await http(step.request).catch((e) => {
            core.clientCredentialsResume(id, NO_RESPONSE, now());
            throw e;
          });
          const turn = await answerInTurn(() => core.clientCredentialsResume(id, response, now()),
            (next) => next.kind === 'request' && sent < 2, () => { renewWith = options; });
          if (turn.result) return turn.result;
          step = turn.step;
        }
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
    const poll = (next) => next.kind === 'poll';
    // The client holds the user's tokens now: no longer renew the service's (a 'login' listener's
    // client.fetch would otherwise replace them with a client-credentials token).
    const taken = () => { renewWith = null; };
    let turn;
    try {
      const request = unwrap(core.deviceStart(id, JSON.stringify({ scope: scope ?? defaultScope ?? 'openid', resource })));
      const first = await abortable(http(request), signal);
      turn = await answerInTurn(() => core.deviceResume(id, first, now()), poll, taken);
      for (let step = turn.step; step; step = turn.step) {
        signal?.throwIfAborted(); // aborted while the answer waited for its turn
        if (step.prompt) {
          emit('device_code', step.prompt);
          onPrompt?.(step.prompt);
        } else {
          emit('device_poll', { result: step.result, interval: step.interval });
        }
        await sleep(clock, step.wait * 1000, signal);
        let response;
        try {
          response = await abortable(http(step.request), signal);
        } catch (e) {
          // RFC 8628 §3.5: no answer (a timeout, a dropped connection) means poll less often.
          if (e?.code !== 'network_error') throw e;
          turn = { step: unwrap(core.deviceNoResponse(id, now())) };
          continue;
        }
        // With the tokens, the Client verifies an ID token (a JWKS request first when needed).
        turn = await answerInTurn(() => core.deviceResume(id, response, now()), poll, taken);
      }
    } catch (e) {
      core.deviceCancel(id); // the device code is wiped
      if (!signal?.aborted) emit('error', e);
      throw e;
    }
    return turn.result;
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
