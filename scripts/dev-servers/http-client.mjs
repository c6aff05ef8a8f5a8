// Browser-free helpers for driving OAuth flows with fetch: a cookie-keeping user
// agent that follows redirects by hand, a small HTML form reader, PKCE, and a
// form-POST helper for the token endpoint and friends.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

// ---- cookies (enough for our own servers: host-only, path, expiry) ----

export class CookieJar {
  #cookies = new Map(); // `${host}\t${path}\t${name}` -> { host, path, name, value, expires }

  store(url, setCookieHeaders) {
    const { hostname, pathname } = new URL(url);
    for (const header of setCookieHeaders) {
      const [pair, ...attrs] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const cookie = {
        host: hostname,
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        path: pathname.replace(/\/[^/]*$/, '') || '/',
        expires: Infinity,
      };
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'path' && v.startsWith('/')) cookie.path = v.trim();
        if (key === 'expires') cookie.expires = Date.parse(v);
        if (key === 'max-age') cookie.expires = Date.now() + Number(v) * 1000;
      }
      const id = `${cookie.host}\t${cookie.path}\t${cookie.name}`;
      if (cookie.expires <= Date.now()) this.#cookies.delete(id);
      else this.#cookies.set(id, cookie);
    }
  }

  header(url) {
    const { hostname, pathname } = new URL(url);
    const now = Date.now();
    const matches = [...this.#cookies.values()].filter((c) => c.host === hostname && c.expires > now
      && (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)));
    matches.sort((a, b) => b.path.length - a.path.length);
    return matches.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  get size() { return this.#cookies.size; }

  clear() { this.#cookies.clear(); }
}

// ---- forms in HTML (our own simple markup, plus oidc-provider's form_post pages) ----

function attrs(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function decodeEntities(s) {
  return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (all, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

// -> [{ id, action, method, fields: { name: value }, buttons: [{ id, name, value }] }]
export function parseForms(html) {
  const forms = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1].replace(/^\s*/, ''));
    const fields = {};
    for (const input of m[2].matchAll(/<input\b([^>]*)>/gi)) {
      const i = attrs(input[1]);
      if (i.name && !['submit', 'button'].includes(i.type)) fields[i.name] = i.value ?? '';
    }
    const buttons = [...m[2].matchAll(/<button\b([^>]*)>/gi)].map((b) => attrs(b[1]));
    forms.push({ id: a.id, action: a.action ?? '', method: (a.method || 'get').toUpperCase(), fields, buttons });
  }
  return forms;
}

// ---- a user agent: cookies + manual redirects ----

export class UserAgent {
  constructor({ jar = new CookieJar(), maxRedirects = 20 } = {}) {
    this.jar = jar;
    this.maxRedirects = maxRedirects;
  }

  // One request, no redirect following; cookies sent and stored.
  async request(url, { method = 'GET', headers = {}, body } = {}) {
    const cookie = this.jar.header(url);
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { Accept: 'text/html,application/json', ...(cookie ? { Cookie: cookie } : {}), ...headers },
    });
    this.jar.store(url, res.headers.getSetCookie());
    return res;
  }

  // Follows redirects (303/302/301 turn into GET) until a page answers, or until
  // a Location satisfies `stopAt(url)`, which is then returned without a request
  // (use it for redirect_uris that no server serves). The result:
  //   { status, url, headers, text, location?, redirects: [url, ...] }
  // where `location` is set when stopped at a redirect.
  async navigate(url, { method = 'GET', form, headers = {}, stopAt = () => false } = {}) {
    const redirects = [];
    let current = new URL(url).href;
    let init = { method, headers };
    if (form) {
      init.body = new URLSearchParams(form);
      init.headers = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
    }
    for (;;) {
      const res = await this.request(current, init);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        const next = new URL(location, current).href;
        redirects.push(next);
        if (stopAt(next)) {
          return { status: res.status, url: current, headers: res.headers, text: '', location: next, redirects };
        }
        if (redirects.length > this.maxRedirects) throw new Error(`too many redirects from ${url}`);
        if (res.status === 307 || res.status === 308) init = { ...init };
        else init = { method: 'GET', headers };
        current = next;
        continue;
      }
      return { status: res.status, url: current, headers: res.headers, text: await res.text(), redirects };
    }
  }

  // Submits a form of `page` (a navigate() result) as a click on `button` (an id)
  // would, with `values` overriding or adding fields. Picks the form holding that
  // button, else the form with id `formId`, else the first form.
  async submit(page, { button, formId, values = {}, stopAt } = {}) {
    const forms = parseForms(page.text);
    const form = (button && forms.find((f) => f.buttons.some((b) => b.id === button)))
      || (formId && forms.find((f) => f.id === formId))
      || forms[0];
    if (!form) throw new Error(`no form on ${page.url} (status ${page.status}): ${page.text.slice(0, 300)}`);
    const fields = { ...form.fields, ...values };
    const clicked = button && form.buttons.find((b) => b.id === button);
    if (button && !clicked) throw new Error(`no button #${button} on ${page.url}`);
    if (clicked?.name) fields[clicked.name] = clicked.value ?? '';
    const target = new URL(form.action || page.url, page.url).href;
    if (form.method === 'POST') return this.navigate(target, { method: 'POST', form: fields, stopAt });
    const get = new URL(target);
    for (const [k, v] of Object.entries(fields)) get.searchParams.set(k, v);
    return this.navigate(get.href, { stopAt });
  }
}

// ---- OAuth helpers ----

export function randomToken(bytes = 32) {
  return randomBytes(bytes).toString('base64url');
}

// A DPoP proof (RFC 9449 §4.2) signed by a fresh P-256 key of its own: ath when a token is given,
// nonce when one is.
export function dpopProof({ method, url, token, nonce }) {
  const b64url = (data) => Buffer.from(data).toString('base64url');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const header = b64url(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }));
  const claims = b64url(JSON.stringify({
    jti: b64url(randomBytes(16)), htm: method, htu: url, iat: Math.floor(Date.now() / 1000),
    ...(token ? { ath: b64url(createHash('sha256').update(token).digest()) } : {}), ...(nonce ? { nonce } : {}),
  }));
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${b64url(signature)}`;
}

export function pkcePair() {
  const verifier = randomToken(32);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

// POST application/x-www-form-urlencoded; `basic: [id, secret]` adds client_secret_basic.
// -> { status, headers, json (or null), text }
export async function postForm(url, params, { basic, headers = {} } = {}) {
  const auth = basic
    ? { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}` }
    : {};
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...auth, ...headers },
    body: new URLSearchParams(params),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

export async function discover(issuer) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery ${res.status}`);
  return res.json();
}

// Decodes (does not verify) a JWT's payload.
export function jwtPayload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// Plays the user on the test authorization server's pages (scripts/dev-servers/interactions.mjs),
// starting from `page` (a navigate() result), until a redirect satisfies `stopAt` or a
// page with nothing left to do is reached (device success page, error page). Returns
// that last navigate() result. Options: login ('demo'), decision ('approve' | 'deny',
// used for consent and device confirmation), userCode (typed into the device page),
// stopAt (predicate on redirect URLs), maxSteps (10).
export async function playUser(ua, page, {
  login = 'demo', decision = 'approve', userCode, stopAt, maxSteps = 10,
} = {}) {
  let current = page;
  for (let step = 0; step < maxSteps; step += 1) {
    if (current.location) return current;
    const forms = parseForms(current.text);
    const ids = new Set(forms.map((f) => f.id));
    let next;
    if (ids.has('login-form')) {
      next = { button: 'submit', values: { login, password: 'any' } };
    } else if (ids.has('consent-form')) {
      next = { button: decision === 'deny' ? 'deny' : 'approve' };
    } else if (ids.has('device-input-form')) {
      const form = forms.find((f) => f.id === 'device-input-form');
      const refused = /id="error"/.test(current.text) && form.fields.user_code === userCode;
      if (!userCode || refused) return current; // nothing to type, or this code was refused
      next = { button: 'submit', values: { user_code: userCode } };
    } else if (ids.has('device-confirm-form')) {
      next = { button: decision === 'deny' ? 'abort' : 'confirm' };
    } else if (forms.length === 1 && /<title>Submitting Callback<\/title>/.test(current.text)) {
      next = { formId: undefined }; // oidc-provider's self-submitting form_post page
    } else {
      return current;
    }
    current = await ua.submit(current, { ...next, stopAt });
  }
  throw new Error(`playUser: still not done after ${maxSteps} steps at ${current.url}`);
}
