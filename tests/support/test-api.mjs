// A tiny protected resource for tests: GET /me answers with who the access token
// belongs to. Tokens are checked by RFC 7662 introspection at the issuer, using
// the `api` client's credentials; nothing is cached, so a revoked token is refused
// at once. CORS answers any http://127.0.0.1:* or http://localhost:* origin.
//
//   const api = await startTestApi({ issuer });
//   fetch(`${api.url}/me`, { headers: { Authorization: `Bearer ${token}` } });
//
// Options: issuer (required), port (0 = free), clientId/clientSecret ('api'/'api-secret'),
// requireAudience (false; true = the token's aud must equal this API's url).
// Resolves to { url, calls, close() }; calls counts { total, preflight, me, ok, rejected }.
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
    'Access-Control-Expose-Headers': 'WWW-Authenticate',
  };
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
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
  issuer, port = 0, clientId = 'api', clientSecret = 'api-secret', requireAudience = false,
}) {
  if (!issuer) throw new TypeError('startTestApi: issuer is required');
  const calls = { total: 0, preflight: 0, me: 0, ok: 0, rejected: 0 };
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

  // Sender-constraint check. Bearer presentation of a DPoP-bound token is refused
  // (RFC 9449 §7.2); DPoP presentation needs proof validation, not written yet.
  function checkBinding(req, scheme, info) {
    const bound = Boolean(info.cnf?.jkt) || info.token_type === 'DPoP';
    if (scheme === 'bearer' && bound) {
      throw new Unauthorized('invalid_token', 'DPoP-bound token presented as Bearer');
    }
    if (scheme === 'dpop') {
      throw new Unauthorized('invalid_token', 'DPoP proofs are not supported by this API yet');
    }
  }

  async function authenticate(req) {
    const { scheme, token } = readAuthorization(req);
    const info = await introspect(token);
    // Refresh tokens introspect as active too, but carry no token_type.
    if (!info.active || !info.token_type) throw new Unauthorized('invalid_token', 'token is not an active access token');
    if (requireAudience) {
      const aud = [].concat(info.aud ?? []);
      if (!aud.includes(url)) throw new Unauthorized('invalid_token', 'token audience is not this API');
    }
    checkBinding(req, scheme, info);
    return info;
  }

  async function handle(req, res) {
    calls.total += 1;
    const cors = corsHeaders(req);
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
      const challenge = err.error
        ? `Bearer error="${err.error}", error_description="${err.description}"`
        : 'Bearer';
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
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
