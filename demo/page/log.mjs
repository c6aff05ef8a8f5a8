// The flow log: how an entry is built (every secret-looking value shortened the moment it is read)
// and how it is drawn. The building half is pure and runs in the page and in the demo server (the
// server-side flows stream the same entries over Server-Sent Events); the drawing half touches the
// DOM only when called.
//
// An entry is plain JSON, safe to keep in sessionStorage and to send over the wire: it never holds a
// whole token, code, verifier, secret or device code, only their first and last few characters.
//   { seq, at, kind: 'request' | 'response' | 'redirect' | 'callback' | 'note' | 'error',
//     label, from, to, method, url, status, params: [[name, shown]], notes: [text] }

// Values that are credentials or could be swapped for one: always shortened.
const SECRET_NAMES = new Set([
  'access_token', 'refresh_token', 'id_token', 'code', 'code_verifier', 'client_secret', 'device_code',
  'token', 'assertion', 'client_assertion', 'password', 'subject_token', 'actor_token', 'logout_token',
  'authorization', 'dpop', 'cookie', 'set-cookie', 'session_state', 'transaction',
]);
// Public by nature: always readable.
const PUBLIC_NAMES = new Set([
  'error', 'error_description', 'error_uri', 'grant_type', 'response_type', 'token_type', 'scope',
  'code_challenge_method', 'iss', 'client_id', 'redirect_uri', 'user_code', 'resource', 'prompt',
]);
// Anything else that looks random (state, nonce, challenge, opaque ids): shortened too. URLs, scopes
// and words (S256, Bearer, authorization_pending) stay readable.
const looksRandom = (s) => /^[A-Za-z0-9._~+/=-]{20,}$/.test(s) && (/\d/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s)));
const JWT = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

// "Qe0m…7EH" style: the first and last few characters and the length, never the whole value.
export function shorten(value) {
  const s = String(value ?? '');
  if (s.length === 0) return '(empty)';
  if (s.length <= 4) return `… (${s.length} char${s.length === 1 ? '' : 's'})`;
  if (s.length < 16) return `${s.slice(0, 2)}… (${s.length} chars)`;
  return `${s.slice(0, 4)}…${s.slice(-4)} (${s.length} chars)`;
}

export function isSecretName(name) {
  return SECRET_NAMES.has(String(name).toLowerCase());
}

// How a parameter's value appears in the log.
export function shown(name, value) {
  const key = String(name).toLowerCase();
  const s = String(value ?? '');
  if (key === 'authorization' || key === 'dpop') {
    const [scheme, ...rest] = s.split(' ');
    return rest.length ? `${scheme} ${shorten(rest.join(' '))}` : shorten(s);
  }
  if (SECRET_NAMES.has(key) || (!PUBLIC_NAMES.has(key) && looksRandom(s))) return JWT.test(s) ? `${shorten(s)}, a JWT` : shorten(s);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

export const params = (pairs) => [...pairs].map(([k, v]) => [k, shown(k, v)]);

// A URL without its query (the query goes into params, shortened).
export function bare(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return String(url).split('?')[0];
  }
}

export function queryParams(url) {
  try {
    return params(new URL(url).searchParams);
  } catch {
    return [];
  }
}

// First 6 hex characters of SHA-256: enough to tell two refresh tokens apart, useless to an attacker.
export async function fingerprint(value) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(String(value)));
  return Array.from(new Uint8Array(digest).slice(0, 3), (b) => b.toString(16).padStart(2, '0')).join('');
}

// A DPoP proof (RFC 9449 §4.2) as log rows: its JOSE header and claims decoded, values that are
// random or bound to a token shortened. The jwk is shown by its public members only (a whitelist:
// whatever else a header carried would not be printed) and its RFC 7638 thumbprint, the jkt a bound
// token names in cnf. A proof that does not decode is only shortened.
const JWK_PUBLIC = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] };
const JWK_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function decodePart(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

// A compact JWS's header and payload as JSON, unchecked; null when it does not decode.
function decodeJws(jws) {
  try {
    const parts = String(jws).split('.');
    if (parts.length !== 3) return null;
    const [header, claims] = [decodePart(parts[0]), decodePart(parts[1])];
    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    return isObject(header) && isObject(claims) ? { header, claims } : null;
  } catch {
    return null;
  }
}

async function sha256url(text) {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// An ID token (or any JWT) as log rows: its JOSE header and claims, every value through shown()
// (so nonce, at_hash and the like are shortened), times also in UTC. Decoded here for display
// only: the core verified the signature; nothing here checks anything.
export function describeJwt(jwt) {
  const decoded = decodeJws(jwt);
  if (!decoded) return [['JWT', 'does not decode']];
  const { header, claims } = decoded;
  const rows = [];
  for (const [k, v] of Object.entries(header)) rows.push([`header ${k}`, typeof v === 'object' ? '{…}' : shown(k, v)]);
  for (const [k, v] of Object.entries(claims)) {
    let text = v !== null && typeof v === 'object' ? JSON.stringify(v) : shown(k, v);
    if (['exp', 'iat', 'auth_time', 'nbf'].includes(k) && Number.isInteger(v)) text += ` (${new Date(v * 1000).toISOString().slice(11, 19)} UTC)`;
    rows.push([`claim ${k}`, text.length > 160 ? `${text.slice(0, 157)}…` : text]);
  }
  return rows;
}

export async function describeDpopProof(proof) {
  const decoded = decodeJws(proof);
  if (!decoded) return [['DPoP proof', 'does not decode as a JWT']];
  const { header, claims } = decoded;
  const rows = [];
  rows.push(['header typ', String(header.typ)], ['header alg', String(header.alg)]);
  const jwk = header.jwk && typeof header.jwk === 'object' ? header.jwk : null;
  if (jwk) {
    const members = JWK_PUBLIC[jwk.kty] ?? ['kty'];
    rows.push(['header jwk', members.filter((m) => m in jwk).map((m) => `${m}=${m === 'kty' || m === 'crv' ? jwk[m] : shorten(jwk[m])}`).join(', ')]);
    if (JWK_PRIVATE.some((m) => m in jwk)) rows.push(['header jwk', '✕ carries private key members (not shown)']);
    if (JWK_PUBLIC[jwk.kty]) {
      const thumbprint = await sha256url(JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]]))));
      rows.push(['jwk thumbprint', `${shorten(thumbprint)} (RFC 7638 jkt)`]);
    }
  }
  for (const claim of ['htm', 'htu', 'iat', 'jti', 'ath', 'nonce']) {
    if (!(claim in claims)) continue;
    const v = claims[claim];
    let text;
    if (claim === 'iat' && Number.isInteger(v)) text = `${v} (${new Date(v * 1000).toISOString().slice(11, 19)} UTC)`;
    else if (claim === 'htm' || claim === 'htu') text = shown(claim, v);
    else text = shorten(v);
    if (claim === 'ath') text += ' = BASE64URL(SHA-256(access token))';
    rows.push([`claim ${claim}`, text]);
  }
  return rows;
}

// Token-lifetime annotations for the response lines.
const LIFETIME_NOTES = {
  access_token: 'access token: lives minutes to an hour; sent to the API on every request',
  refresh_token: 'refresh token: lives days to months; sent only to the auth server',
};

// The fields of a JSON response body worth showing, shortened; refresh tokens also fingerprinted.
export async function describeJson(json) {
  const out = [];
  const notes = [];
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { params: out, notes };
  for (const [k, v] of Object.entries(json)) {
    if (v === null || typeof v === 'object') {
      out.push([k, Array.isArray(v) ? `[${v.length} items]` : '{…}']);
      continue;
    }
    let text = shown(k, v);
    if (k === 'refresh_token') text += ` · sha256 ${await fingerprint(v)}`;
    out.push([k, text]);
    if (LIFETIME_NOTES[k]) notes.push(LIFETIME_NOTES[k]);
  }
  return { params: out, notes };
}

// A log: entries in order, with listeners (the page draws them, the server streams them).
export function createLog(initial = []) {
  const entries = [...initial];
  const listeners = new Set();
  let seq = entries.length ? entries[entries.length - 1].seq : 0;
  return {
    entries,
    add(entry) {
      const full = { seq: ++seq, at: Date.now(), ...entry };
      entries.push(full);
      for (const fn of listeners) fn(full);
      return full;
    },
    onEntry(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

// ---- drawing (browser only) ----

const KIND_TEXT = {
  request: '→', response: '←', redirect: '↪', callback: '↩', note: '•', error: '✕',
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Parts with a space between them, so copied text and screen readers do not run them together.
function spaced(...parts) {
  return parts.filter(Boolean).flatMap((p, i) => (i ? [' ', p] : [p]));
}

// A long parameter name may wrap after its underscores, not in the middle of a word.
function breakable(name) {
  return String(name).split(/(?<=_)/).flatMap((part, i) => (i ? [document.createElement('wbr'), part] : [part]));
}

function statusClass(status) {
  if (!status) return '';
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'redirect';
  return 'bad';
}

export function renderEntry(entry) {
  const head = el('div', { class: 'log-head' }, ...spaced(
    el('span', { class: 'log-seq' }, String(entry.seq).padStart(2, '0')),
    el('span', { class: 'log-kind', 'aria-hidden': 'true' }, KIND_TEXT[entry.kind] ?? '•'),
    entry.label ? el('span', { class: 'log-label' }, entry.label) : null,
    entry.from || entry.to ? el('span', { class: 'log-actors' }, [entry.from, entry.to].filter(Boolean).join(' → ')) : null));
  const line = el('div', { class: 'log-line' }, ...spaced(
    entry.method ? el('span', { class: 'log-method' }, entry.method) : null,
    entry.url ? el('span', { class: 'log-url' }, entry.url) : null,
    entry.status !== undefined && entry.status !== null
      ? el('span', { class: `log-status ${statusClass(entry.status)}` }, String(entry.status)) : null,
    entry.text ? el('span', { class: 'log-text' }, entry.text) : null));
  const item = el('li', { class: `log-entry kind-${entry.kind}`, 'data-seq': entry.seq, 'data-kind': entry.kind, 'data-label': entry.label ?? '' }, head, line);
  if (entry.params?.length) {
    const dl = el('dl', { class: 'log-params' });
    for (const [k, v] of entry.params) dl.append(el('dt', {}, ...breakable(k)), el('dd', {}, v));
    item.append(dl);
  }
  for (const note of entry.notes ?? []) item.append(el('p', { class: 'log-note' }, note));
  return item;
}

// Draws the log into an <ol>, following new entries.
export function mountLog(list, log, { empty = 'Nothing has happened yet.' } = {}) {
  const draw = () => {
    list.replaceChildren(...log.entries.map(renderEntry));
    list.dataset.count = String(log.entries.length);
    if (!log.entries.length) list.append(el('li', { class: 'log-empty' }, empty));
  };
  draw();
  return log.onEntry((entry) => {
    list.querySelector('.log-empty')?.remove();
    list.append(renderEntry(entry));
    list.dataset.count = String(log.entries.length);
  });
}
