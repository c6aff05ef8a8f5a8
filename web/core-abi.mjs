// The bound core functions (bindings/) as the shim calls them: clientCreate(json),
// clientResume(handle, response, now), ... The core takes strings and numbers only, and an HTTP
// response as (status, headers as "name\0value\0" pairs, body); it answers with a view of its
// one answer buffer holding a JSON document, decoded here and then wiped (releaseAnswer).
// Mechanical; no logic.

// name: argument kinds: h client handle, n number (seconds), s string, b boolean, r HTTP response.
const CALLS = {
  clientCreate: 's',
  clientSetMetadata: 'hr',
  clientAuthorize: 'hsn',
  clientCallback: 'hssn',
  clientResume: 'hrn',
  clientIsAuthenticated: 'hn',
  clientUser: 'h',
  clientAccessToken: 'hn',
  clientAuthorizeResource: 'hssn',
  clientAcceptResourceResponse: 'hsr',
  clientDpopState: 'h',
  clientRefresh: 'hn',
  clientTokenState: 'hn',
  clientRevocationRequests: 'h',
  clientEndSessionRequest: 'hsb',
  clientCheckEndSessionCallback: 'ss',
  isInvalidTokenChallenge: 's',
  clientLogout: 'h',
  clientUseDpopKey: 'hs',
  clientExportSession: 'hb',
  clientRestoreSession: 'hs',
  clientDestroy: 'h',
  pkceChallenge: 'ss',
  generatePkce: '',
  errorCodes: '',
  // The Node entry's module only: the grants (src/grants), the calls only tests and benches use,
  // and the backend's whole-session record.
  randomToken: 'h',
  verifyJws: 'ss',
  clientCredentials: 'hsn',
  deviceStart: 'hs',
  grantResume: 'hrn',
  deviceCancel: 'h',
  clientExportServerSession: 'h',
  clientRestoreServerSession: 'hs',
};

const decoder = new TextDecoder();

// The longest string passed in, in UTF-16 code units (up to 48 MiB as UTF-8). The core's own
// limits are far lower (1 MiB bodies); a string of a gigabyte or more would not fit the copies
// embind makes in wasm memory, and the module would abort, taking every session with it.
export const MAX_STRING_LENGTH = 1 << 24;

const text = (v) => {
  if (typeof v !== 'string') throw new TypeError('the wasm core takes a string here');
  if (v.length > MAX_STRING_LENGTH) throw new RangeError(`the wasm core takes strings of up to ${MAX_STRING_LENGTH} UTF-16 code units`);
  return v;
};

// { status, headers: [[name, value]], body } → (status, headers, body); a malformed part is left
// out, and the core then refuses the response as malformed.
function response(r) {
  const ok = r !== null && typeof r === 'object';
  let headers = '';
  for (const pair of ok && Array.isArray(r.headers) ? r.headers : []) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [name, value] = pair;
    if (typeof name !== 'string' || typeof value !== 'string' || (name + value).includes('\0')) continue;
    headers += `${name}\0${value}\0`;
  }
  return [ok && typeof r.status === 'number' ? r.status : 0, text(headers), ok && typeof r.body === 'string' ? text(r.body) : ''];
}

// A time is a finite number of seconds: NaN (undefined, a string) or an infinity has no meaning
// the core could check a token's expiry against.
const seconds = (v) => {
  const t = +v;
  if (!Number.isFinite(t)) throw new RangeError('the wasm core takes a finite time in seconds here');
  return [t];
};

const convert = { h: (v) => [v | 0], n: seconds, s: (v) => [text(v)], b: (v) => [v === true], r: response };

// An instantiated Emscripten module of the core → the calls it has (the browser's module has no grants).
export function wrapCore(module) {
  const core = {};
  for (const [name, kinds] of Object.entries(CALLS)) {
    if (typeof module[name] !== 'function') continue;
    core[name] = (...values) => {
      const view = module[name](...[...kinds].flatMap((kind, i) => convert[kind](values[i])));
      try {
        return JSON.parse(decoder.decode(view));
      } finally {
        module.releaseAnswer();
      }
    };
  }
  return core;
}
