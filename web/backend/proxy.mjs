// The proxy route: the browser's request to one of the app's API origins, sent from here with the
// session's access token (and DPoP proof) that the browser never sees. Only listed headers pass
// either way: the browser's cookies, Authorization or CSRF header never reach the API, and the
// API's Set-Cookie never reaches the browser (it would land on the app's own origin).
import { OAuthError } from '../errors.mjs';
import { readBody } from './http-io.mjs';

const REQUEST_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type', 'if-match', 'if-modified-since',
  'if-none-match', 'if-range', 'if-unmodified-since', 'range'];
const RESPONSE_HEADERS = ['cache-control', 'content-disposition', 'content-language', 'content-range', 'content-type', 'etag',
  'expires', 'last-modified', 'retry-after', 'vary'];
const NO_BODY = ['GET', 'HEAD'];

// The target of `?url=`: an absolute http(s) URL on one of apiOrigins, else origin_not_allowed
// (before any session or token is looked at).
export function proxyTarget(search, apiOrigins) {
  let url;
  try {
    url = new URL(new URLSearchParams(search).get('url') ?? '');
  } catch {
    throw new OAuthError('invalid_request', 'the proxy takes ?url= with an absolute URL');
  }
  if (!apiOrigins.has(url.origin) || url.username || url.password) {
    throw new OAuthError('origin_not_allowed', `${url.origin} is not one of the backend's API origins`);
  }
  return url.href;
}

export async function proxy(req, res, { sessions, found, target, bodyLimit }) {
  const headers = REQUEST_HEADERS.filter((name) => req.headers[name] !== undefined).map((name) => [name, String(req.headers[name])]);
  const body = NO_BODY.includes(req.method) ? undefined : await readBody(req, bodyLimit);
  await sessions.ready(found);
  const answer = await sessions.fetch(found, { url: target, method: req.method, headers, body: body?.length ? body : undefined, replayable: true });
  const out = { 'Cache-Control': 'no-store' };
  for (const name of RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) out[name] = value;
  }
  res.writeHead(answer.status, out);
  if (answer.body && req.method !== 'HEAD') {
    for await (const chunk of answer.body) res.write(chunk);
  }
  res.end();
}
