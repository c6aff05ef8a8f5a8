// Carries one HttpRequest built by the core ({ method, url, headers: [[n, v]], body }) and
// returns the HttpResponse the core judges ({ status, headers: [[lowercased n, v]], body }).
// Redirects are never followed (a 3xx is `unexpected_redirect`), no cookies or HTTP auth are
// sent, and the body is read with a limit. Nothing here looks at what the body means.
import { OAuthError } from './errors.mjs';

export const MAX_BODY_BYTES = 1 << 20; // as kMaxResponseBodyBytes in src/protocol/limits.hpp

// What the core is handed for a request that failed on the wire: a failed exchange (status 0),
// so that nothing stays waiting for an answer in it.
export const NO_RESPONSE = Object.freeze({ status: 0, headers: Object.freeze([]), body: '' });

// `timeout` bounds the whole exchange, the body included, on `clock` (web/clock.mjs's shape; the
// system's timers by default), so a test of this file moves the time instead of waiting for it.
// The session keeps its requests on the system's timers: a deadline of real network I/O, which a
// test moving the session's clock (its refresh and retry timers) must not cut short.
export async function perform(request, { fetch: fetchFn = globalThis.fetch, limit = MAX_BODY_BYTES, timeout = 30000, clock = globalThis } = {}) {
  const { signal, timer } = deadline(clock, timeout);
  try {
    return await exchange(request, fetchFn, limit, signal);
  } finally {
    clock.clearTimeout(timer);
  }
}

// As AbortSignal.timeout(ms), on `clock`: the signal, and the timer that aborts it.
export function deadline(clock, ms) {
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  return { signal: controller.signal, timer };
}

async function exchange(request, fetchFn, limit, signal) {
  let res;
  try {
    res = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body || undefined,
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (e) {
    throw networkError(request.method, request.url, e);
  }
  // Browsers hide a manual redirect as an opaque response with status 0; Node shows the 3xx; an
  // app's fetch that followed one anyway says so in `redirected`.
  if (res.type === 'opaqueredirect' || res.redirected || (res.status >= 300 && res.status < 400)) {
    await res.body?.cancel();
    throw new OAuthError('unexpected_redirect', `${withoutQuery(request.url)} answered with a redirect`, { blame: 'remote', status: res.status });
  }
  const headers = [];
  res.headers.forEach((value, name) => headers.push([name.toLowerCase(), value]));
  return { status: res.status, headers, body: await readText(res, limit, request) };
}

// The body as text, refusing more than `limit` bytes without buffering them. A failure while
// reading is a network_error that keeps the status that did arrive: the server had begun to
// answer, so it has seen (and may have acted on) the request.
export async function readText(res, limit = MAX_BODY_BYTES, request = { method: 'GET', url: res.url }) {
  const tooLarge = () => new OAuthError('response_too_large', `the response exceeds ${limit} bytes`, { blame: 'remote', status: res.status });
  if (Number(res.headers.get('content-length')) > limit) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    if (e instanceof OAuthError) throw e;
    throw networkError(request.method, request.url, e, res.status);
  }
}

// Why a request failed on the wire, as a stable `reason` (what browsers tell apart is less:
// their fetch rejects with one TypeError for refused, DNS, TLS and CORS alike, 'unknown' here).
const REASONS = {
  refused: 'the connection was refused',
  dns: 'the host name did not resolve',
  tls: 'the TLS handshake failed',
  timeout: 'no complete answer in time',
  reset: 'the connection was closed',
  unknown: 'the request failed',
};

export function networkReason(error) {
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    const code = String(e.code ?? '');
    if (e.name === 'TimeoutError' || /TIMEOUT/.test(code) || code === 'ETIMEDOUT') return 'timeout';
    if (code === 'ECONNREFUSED') return 'refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
    if (/CERT|SSL|TLS/.test(code)) return 'tls';
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'reset';
  }
  return 'unknown';
}

// The network_error of `method url`: its `reason`, its `url` without query or fragment (which may
// carry codes or tokens), and the HTTP `status` when one had arrived (0: no answer began).
export function networkError(method, url, cause, status = 0) {
  const reason = networkReason(cause);
  const where = `${method} ${withoutQuery(url)}`;
  const description = status ? `${where} answered HTTP ${status}, then failed: ${REASONS[reason]}` : `${where} failed: ${REASONS[reason]}`;
  return new OAuthError('network_error', description, { blame: 'remote', status, cause, reason, url: withoutQuery(url) });
}

function withoutQuery(url) {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the server';
  }
}
