// A tiny protected resource for tests: GET /me answers with who the access token
// belongs to. Tokens are checked by RFC 7662 introspection at the issuer, using
// the `api` client's credentials; nothing is cached, so a revoked token is refused
// at once. CORS answers any http://127.0.0.1:* or http://localhost:* origin.
//
//   const api = await startTestApi({ issuer });
//   fetch(`${api.url}/me`, { headers: { Authorization: `Bearer ${token}` } });
//
// Options: issuer (required), port (0 = free), clientId/clientSecret ('api'/'api-secret'),
// requireAudience (false; true = the token's aud must equal this API's url),
// dpopNonce (false; true = every DPoP proof must carry the API's current nonce, RFC 9449 §9).
// Resolves to { url, calls, rotateNonce(), close() }; calls counts { total, preflight, me, ok,
// rejected, nonceDemands }.
//
// DPoP-bound tokens (introspection shows cnf.jkt) are accepted only under the DPoP scheme with a
// proof (RFC 9449 §4.3, §7) signed by the key whose RFC 7638 thumbprint is cnf.jkt: typ
// dpop+jwt, ES256/PS256/RS256/EdDSA with a public jwk, htm and htu of this request, iat within
// 60 s, a jti not seen before, ath of the presented token, and the nonce when one is required.
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import http from 'node:http';

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?$/;

class Unauthorized extends Error {
  constructor(error, description) {
    super(description || 'unauthorized');
    this.error = error; // undefined when no credentials came at all (RFC 6750 §3.1)
    this.description = description;
  }
}

function corsHeaders(req) {
  const origin = req.headers.origin;
  if (!origin || !LOOPBACK_ORIGIN.test(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'WWW-Authenticate, DPoP-Nonce',
  };
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (text) => createHash('sha256').update(text).digest();

// RFC 7638 §3: the required members in lexicographic order, no whitespace.
export function jwkThumbprint(jwk) {
  const members = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] }[jwk.kty];
  if (!members) throw new Error(`no thumbprint for kty ${jwk.kty}`);
  return b64url(sha256(JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])))));
}

const DPOP_ALGS = {
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  PS256: { hash: 'sha256', padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 },
  RS256: { hash: 'sha256' },
  EdDSA: { hash: null },
};

// RFC 9449 §4.3: checks a DPoP proof for this request; returns the proof's public JWK.
function checkDpopProof(proof, { method, htu, token, nonce, seenJti }) {
  const fail = (why) => { throw new Unauthorized('invalid_dpop_proof', why); };
  const parts = typeof proof === 'string' ? proof.split('.') : [];
  if (parts.length !== 3) fail('the DPoP proof is not a compact JWS');
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
  } catch { fail('the DPoP proof is not JSON'); }
  if (header.typ !== 'dpop+jwt') fail('typ is not dpop+jwt');
  const alg = DPOP_ALGS[header.alg];
  if (!alg) fail('unsupported DPoP alg');
  if (!header.jwk || typeof header.jwk !== 'object' || 'd' in header.jwk) fail('the proof has no public jwk');
  let key;
  try { key = createPublicKey({ key: header.jwk, format: 'jwk' }); } catch { fail('unusable jwk'); }
  const { hash, ...options } = alg;
  if (!verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), { key, ...options }, Buffer.from(parts[2], 'base64url'))) {
    fail('the DPoP proof signature does not verify');
  }
  if (typeof claims.jti !== 'string' || !claims.jti) fail('no jti');
  if (claims.htm !== method) fail('htm does not match the request');
  if (claims.htu !== htu) fail('htu does not match the request');
  if (!Number.isInteger(claims.iat) || Math.abs(claims.iat - Date.now() / 1000) > 60) fail('iat is not recent');
  if (claims.ath !== b64url(sha256(token))) fail('ath does not match the access token');
  if (nonce && claims.nonce !== nonce) {
    throw new Unauthorized('use_dpop_nonce', 'Resource server requires nonce in DPoP proof');
  }
  if (seenJti.has(claims.jti)) fail('the DPoP proof was replayed (jti seen before)');
  seenJti.add(claims.jti);
  return header.jwk;
}

// "Authorization: <scheme> <token>" -> { scheme: 'bearer' | 'dpop', token }
function readAuthorization(req) {
  const header = req.headers.authorization;
  if (!header) throw new Unauthorized(undefined, 'no access token');
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw new Unauthorized('invalid_request', 'malformed Authorization header');
  return { scheme: match[1].toLowerCase(), token: match[2] };
}

export async function startTestApi({
  issuer, port = 0, clientId = 'api', clientSecret = 'api-secret', requireAudience = false, dpopNonce = false,
}) {
  if (!issuer) throw new TypeError('startTestApi: issuer is required');
  const calls = { total: 0, preflight: 0, me: 0, ok: 0, rejected: 0, nonceDemands: 0 };
  const seenJti = new Set();
  let nonce = dpopNonce ? b64url(randomBytes(16)) : undefined;
  let url;
  let introspectionEndpoint;

  async function discover() {
    if (introspectionEndpoint) return introspectionEndpoint;
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!res.ok) throw new Error(`discovery failed: ${res.status}`);
    const metadata = await res.json();
    if (metadata.issuer !== issuer) throw new Error('discovery issuer mismatch');
    if (!metadata.introspection_endpoint) throw new Error('issuer has no introspection endpoint');
    introspectionEndpoint = metadata.introspection_endpoint;
    return introspectionEndpoint;
  }

  async function introspect(token) {
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const res = await fetch(await discover(), {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!res.ok) throw new Error(`introspection failed: ${res.status}`);
    return res.json();
  }

  // Sender-constraint check (RFC 9449 §7): a DPoP-bound token only under the DPoP scheme, with
  // a proof of the key its cnf.jkt names; an unbound token never under the DPoP scheme.
  function checkBinding(req, scheme, token, info) {
    const jkt = info.cnf?.jkt;
    const bound = Boolean(jkt) || info.token_type === 'DPoP';
    if (scheme === 'bearer' && bound) {
      throw new Unauthorized('invalid_token', 'DPoP-bound token presented as Bearer');
    }
    if (scheme !== 'dpop') return;
    if (!bound) throw new Unauthorized('invalid_token', 'the token is not DPoP-bound');
    const proofs = req.headersDistinct?.dpop ?? [].concat(req.headers.dpop ?? []);
    if (proofs.length !== 1) throw new Unauthorized('invalid_dpop_proof', 'exactly one DPoP header is required');
    const { pathname } = new URL(req.url, url);
    const jwk = checkDpopProof(proofs[0], { method: req.method, htu: `${url}${pathname}`, token, nonce, seenJti });
    if (jwkThumbprint(jwk) !== jkt) throw new Unauthorized('invalid_token', 'the DPoP proof key is not the one the token is bound to');
  }

  async function authenticate(req) {
    const { scheme, token } = readAuthorization(req);
    req.oauthScheme = scheme;
    const info = await introspect(token);
    // Refresh tokens introspect as active too, but carry no token_type.
    if (!info.active || !info.token_type) throw new Unauthorized('invalid_token', 'token is not an active access token');
    if (requireAudience) {
      const aud = [].concat(info.aud ?? []);
      if (!aud.includes(url)) throw new Unauthorized('invalid_token', 'token audience is not this API');
    }
    checkBinding(req, scheme, token, info);
    return info;
  }

  async function handle(req, res) {
    calls.total += 1;
    const cors = { ...corsHeaders(req), ...(nonce ? { 'DPoP-Nonce': nonce } : {}) };
    const { pathname } = new URL(req.url, url);
    if (req.method === 'OPTIONS') {
      calls.preflight += 1;
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'Authorization, DPoP',
        'Access-Control-Max-Age': '600',
      });
      return res.end();
    }
    if (pathname !== '/me') return sendJson(res, 404, { error: 'not_found' }, cors);
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { ...cors, Allow: 'GET, OPTIONS' });
    calls.me += 1;
    try {
      const info = await authenticate(req);
      calls.ok += 1;
      return sendJson(res, 200, {
        sub: info.sub, scope: info.scope, client_id: info.client_id, aud: info.aud,
      }, cors);
    } catch (err) {
      if (!(err instanceof Unauthorized)) {
        return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: err.message }, cors);
      }
      calls.rejected += 1;
      if (err.error === 'use_dpop_nonce') calls.nonceDemands += 1;
      // RFC 9449 §7.1: a DPoP presentation is answered with a DPoP challenge.
      const scheme = req.oauthScheme === 'dpop' ? 'DPoP' : 'Bearer';
      const params = scheme === 'DPoP' ? ', algs="ES256 PS256 RS256 EdDSA"' : '';
      const challenge = err.error
        ? `${scheme} error="${err.error}", error_description="${err.description}"${params}`
        : scheme;
      return sendJson(res, err.error === 'invalid_request' ? 400 : 401,
        { error: err.error ?? 'unauthorized', error_description: err.description },
        { ...cors, 'WWW-Authenticate': challenge });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => res.destroy(err));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    calls,
    // A new nonce (with dpopNonce): proofs with the old one are answered with use_dpop_nonce.
    rotateNonce() {
      if (nonce) nonce = b64url(randomBytes(16));
      return nonce;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
