// The backend's two cookies. The session cookie carries only a random session id (the tokens stay
// on the server): HttpOnly, SameSite=Strict, and Secure with the __Host- prefix (RFC 6265bis
// §4.1.3.2: Secure, Path=/, no Domain) unless the app runs on plain-http loopback, where browsers
// refuse Secure cookies. The transaction cookie binds a login to the browser that started it; it
// must come back on the authorization server's top-level redirect, hence SameSite=Lax; so must the
// logout cookie, which binds an RP-initiated logout's state to the browser that left for it.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function cookieNames(secure) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}oauth-wasm-session`, transaction: `${prefix}oauth-wasm-tx`, logout: `${prefix}oauth-wasm-logout` };
}

// https, or http on a loopback host (no Secure then); anything else is refused by the caller.
export function cookieSecurity(origin) {
  const url = new URL(origin);
  if (url.protocol === 'https:') return { secure: true };
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return { secure: false };
  return null;
}

// The Cookie header's pairs; a name sent twice keeps its first value (RFC 6265 §5.4 orders the
// longer path first; ours all have Path=/).
export function readCookies(header = '') {
  const jar = new Map();
  for (const part of String(header).split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!jar.has(name)) jar.set(name, part.slice(eq + 1).trim());
  }
  return jar;
}

// A Set-Cookie value; maxAge 0 deletes the cookie.
export function cookie(name, value, { secure, sameSite, maxAge }) {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${sameSite}`, ...(secure ? ['Secure'] : []),
    ...(maxAge === undefined ? [] : [`Max-Age=${maxAge}`])].join('; ');
}
