// The fetch the backend's core clients use. Every request (its answer's body too) is bounded by
// `timeout` ms on `clock` (web/clock.mjs, the backend's time: a test moves it): a slow server
// fails with network_error, and the session stays. The discovery document is fetched once per
// `metadataTtl` seconds for all sessions, instead of once per session: each session's core client
// still checks it (web/session.mjs).
import { deadline, readText } from '../http.mjs';
import { seconds } from '../clock.mjs';

export function serverFetch({ fetch: fetchFn = (input, init) => fetch(input, init), issuer, timeout, metadataTtl = 300, clock }) {
  const discovery = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let cached = null; // { at, status, headers, body }
  // The deadline's timer is left to run out (unref'd: it keeps no process alive), since the
  // answer's body is read after this returns.
  const bounded = (input, init) => {
    const { signal, timer } = deadline(clock, timeout);
    timer?.unref?.();
    return fetchFn(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal });
  };
  return async (input, init = {}) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url !== discovery || (init.method ?? 'GET') !== 'GET') return bounded(input, init);
    if (!cached || seconds(clock) - cached.at >= metadataTtl) {
      const res = await bounded(input, init);
      const body = await readText(res); // at most the core's limit for a response body
      if (res.status !== 200) return new Response(body, res);
      cached = { at: seconds(clock), status: res.status, headers: [...res.headers], body };
    }
    return new Response(cached.body, { status: cached.status, headers: cached.headers });
  };
}
