// The fetch the backend's core clients use. Every request is bounded by `timeout` ms (a slow
// server fails with network_error, and the session stays). The discovery document is fetched
// once per `metadataTtl` seconds for all sessions, instead of once per session: each session's
// core client still checks it (web/session.mjs).
import { readText } from '../http.mjs';

export function serverFetch({ fetch: fetchFn = (input, init) => fetch(input, init), issuer, timeout, metadataTtl = 300, clock }) {
  const discovery = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let cached = null; // { at, status, headers, body }
  return async (input, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
    const url = String(input instanceof Request ? input.url : input);
    if (url !== discovery || (init.method ?? 'GET') !== 'GET') return fetchFn(input, { ...init, signal });
    if (!cached || clock() - cached.at >= metadataTtl) {
      const res = await fetchFn(input, { ...init, signal });
      const body = await readText(res); // at most the core's limit for a response body
      if (res.status !== 200) return new Response(body, res);
      cached = { at: clock(), status: res.status, headers: [...res.headers], body };
    }
    return new Response(cached.body, { status: cached.status, headers: cached.headers });
  };
}
