// Carries one HttpRequest built by the core ({ method, url, headers: [[n, v]], body }) and
// returns the HttpResponse the core judges ({ status, headers: [[lowercased n, v]], body }).
// Redirects are never followed (a 3xx is `unexpected_redirect`), no cookies or HTTP auth are
// sent, and the body is read with a limit. Nothing here looks at what the body means.
import { OAuthError } from './errors.mjs';

export const MAX_BODY_BYTES = 1 << 20; // as kMaxResponseBodyBytes in src/protocol/limits.hpp

// What the core is handed for a request that failed on the wire: a failed exchange (status 0),
// so that nothing stays waiting for an answer in it.
export const NO_RESPONSE = Object.freeze({ status: 0, headers: Object.freeze([]), body: '' });

export async function perform(request, { fetch: fetchFn = globalThis.fetch, limit = MAX_BODY_BYTES, timeout = 30000 } = {}) {
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
      signal: AbortSignal.timeout(timeout),
    });
  } catch (e) {
    throw new OAuthError('network_error', `${request.method} ${origin(request.url)} failed`, { blame: 'remote', cause: e });
  }
  // Browsers hide a manual redirect as an opaque response with status 0; Node shows the 3xx; an
  // app's fetch that followed one anyway says so in `redirected`.
  if (res.type === 'opaqueredirect' || res.redirected || (res.status >= 300 && res.status < 400)) {
    await res.body?.cancel();
    throw new OAuthError('unexpected_redirect', `${origin(request.url)} answered with a redirect`, { blame: 'remote', status: res.status });
  }
  const headers = [];
  res.headers.forEach((value, name) => headers.push([name.toLowerCase(), value]));
  return { status: res.status, headers, body: await readText(res, limit) };
}

// The body as text, refusing more than `limit` bytes without buffering them.
export async function readText(res, limit = MAX_BODY_BYTES) {
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
    throw new OAuthError('network_error', 'reading the response failed', { blame: 'remote', cause: e });
  }
}

function origin(url) {
  try { return new URL(url).origin; } catch { return 'the server'; }
}
