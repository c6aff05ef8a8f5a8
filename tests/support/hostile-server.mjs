// A hostile authorization server for tests: a small OpenID provider of our own on 127.0.0.1 that
// behaves correctly (authorization code + PKCE S256, RFC 9207 iss, refresh rotation, signed ID
// tokens) until a lie is switched on. One switch per lie; `as.lie = name` arms it for the
// following exchanges, `as.lie = null` makes the server honest again.
//
//   const as = await startHostileServer({ appOrigin: 'http://127.0.0.1:5173' });
//   as.lie = 'alg-none';   // see LIES
//   ... as.issuer, as.secrets (every code and token it issued), as.requests, as.reused ...
//
// Refresh tokens rotate, as RFC 9700 §4.14.2 has it: each is good once, and a second use is taken
// for theft: the whole grant (every refresh token descended from the same login) is revoked and
// counted in `as.reused`.
//   await as.close();
//
// The authorization endpoint approves at once (no login page): it redirects to the redirect_uri
// with the code, so a test follows one redirect by hand.
import { createHash, createHmac, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

// What each lie does. Most are from issue 9's list; each must end in a typed error on the client.
export const LIES = Object.freeze({
  'metadata-issuer': 'the discovery document names another issuer',
  'pkce-downgrade': 'the metadata lists code_challenge_methods_supported without S256',
  'mix-up-iss': 'the authorization response carries the iss of another server (RFC 9207)',
  'iss-missing': 'the authorization response omits iss although the metadata advertises it',
  'state-injection': 'the authorization response carries a state the client never sent',
  'code-injection': 'the code was issued for another transaction (a foreign PKCE verifier)',
  'alg-none': 'the ID token is unsigned (alg none)',
  'hs256-rsa-key': 'the ID token is HS256, keyed with the RSA public key the JWKS publishes',
  'kid-wrong-type': 'the ID token is RS256 but its kid names the EC key',
  'expired': 'the ID token expired an hour ago',
  'not-yet-valid': 'the ID token becomes valid in an hour (nbf, iat)',
  'wrong-audience': 'the ID token was issued to another client',
  'wrong-nonce': 'the ID token carries another nonce',
  'duplicate-members': 'the token response repeats access_token with two values',
  'huge-response': 'the token response is 10 MiB of JSON',
  'slow-drip': 'the token response sends one byte a second and never finishes',
  'stall-after-headers': 'the token response sends its 200 headers, then nothing more (the refresh token was rotated)',
  'redirect-token': 'the token endpoint redirects (307) to another origin',
  'token-type-dpop': 'the token response says token_type DPoP to a client not using DPoP',
  'refresh-changes-sub': 'the refresh response carries an ID token for another user',
  'refresh-token-type-dpop': 'the refresh response switches token_type to DPoP',
  'refresh-refused-empty': 'the refresh is refused with 400 and an empty body (as Glewlwyd refuses a disabled refresh token)',
  'id-token-other-issuer': 'the ID token is validly signed but names another issuer',
  'id-token-duplicate-claims': 'the signed ID token payload repeats sub with two values',
  'huge-jwks': 'the JWKS is 10 MiB',
});

export const OTHER_ISSUER = 'http://127.0.0.1:9';
const MiB = 1024 * 1024;

const b64u = (data) => Buffer.from(data).toString('base64url');
const random = () => randomBytes(32).toString('base64url');

function keys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    rsa,
    ec,
    jwks: {
      keys: [
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig', alg: 'RS256' },
        { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig', alg: 'ES256' },
      ],
    },
  };
}

export async function startHostileServer({ appOrigin = 'http://127.0.0.1:5173', clientId = 'spa' } = {}) {
  const k = keys();
  const codes = new Map(); // code -> { challenge, nonce, redirectUri, sub }
  const refreshTokens = new Map(); // refresh token -> { sub, family }
  const spent = new Map(); // refresh token used once -> its family
  const revoked = new Set(); // families ended by a reuse
  const sockets = new Set();
  const timers = new Set();
  const server = http.createServer();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const as = {
    issuer,
    lie: null,
    // Raw JSON number texts appended to the ID token's claims (not a lie: RFC 7519 NumericDates may
    // have fractions, and claims may be any JSON number), e.g. { exp: '1e10', score: '0.1' }.
    numberClaims: null,
    secrets: [], // every code, token and ID token this server issued, to look for in messages
    requests: [], // { method, path, grant } of each request (grant: the token request's grant_type)
    reused: 0, // refresh tokens presented a second time
    close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const issue = (value) => {
    as.secrets.push(value);
    return value;
  };

  function metadata() {
    return {
      issuer: as.lie === 'metadata-issuer' ? OTHER_ISSUER : issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: as.lie === 'pkce-downgrade' ? ['plain'] : ['S256'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      token_endpoint_auth_methods_supported: ['none'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  function authorize(url, res) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== clientId || !redirectUri?.startsWith(`${appOrigin}/`) || q.get('code_challenge_method') !== 'S256') {
      return json(res, 400, { error: 'invalid_request' });
    }
    const code = issue(random());
    // Code injection: the code an attacker obtained with their own PKCE challenge.
    const challenge = as.lie === 'code-injection' ? createHash('sha256').update(random()).digest('base64url') : q.get('code_challenge');
    codes.set(code, { challenge, nonce: q.get('nonce'), redirectUri, sub: 'alice', authTime: Math.floor(Date.now() / 1000) });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', as.lie === 'state-injection' ? random() : q.get('state'));
    if (as.lie === 'mix-up-iss') back.searchParams.set('iss', OTHER_ISSUER);
    else if (as.lie !== 'iss-missing') back.searchParams.set('iss', issuer);
    res.writeHead(302, { Location: back.href, 'Cache-Control': 'no-store' }).end();
  }

  // auth_time is the login's, in refreshed ID tokens too (OIDC Core §12.2).
  function idToken({ sub, nonce, accessToken, authTime }) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer, sub, aud: clientId, iat: now, exp: now + 600, auth_time: authTime,
      at_hash: b64u(createHash('sha256').update(accessToken).digest().subarray(0, 16)),
    };
    if (nonce) claims.nonce = nonce;
    if (as.lie === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    if (as.lie === 'not-yet-valid') Object.assign(claims, { iat: now + 3600, nbf: now + 3600, exp: now + 7200 });
    if (as.lie === 'wrong-audience') claims.aud = 'another-client';
    if (as.lie === 'wrong-nonce') claims.nonce = random();
    if (as.lie === 'refresh-changes-sub' && !nonce) claims.sub = 'mallory';
    if (as.lie === 'id-token-other-issuer') claims.iss = OTHER_ISSUER;

    let header = { alg: 'RS256', kid: 'rsa-1', typ: 'JWT' };
    if (as.lie === 'alg-none') header = { alg: 'none', typ: 'JWT' };
    if (as.lie === 'hs256-rsa-key') header = { alg: 'HS256', kid: 'rsa-1', typ: 'JWT' };
    if (as.lie === 'kid-wrong-type') header = { alg: 'RS256', kid: 'ec-1', typ: 'JWT' };
    let payload = JSON.stringify(claims);
    if (as.numberClaims) {
      // Written as text, so the client sees exactly these lexemes (JSON.stringify would normalise them).
      const extra = Object.entries(as.numberClaims);
      const kept = Object.entries(claims).filter(([name]) => !(name in as.numberClaims));
      payload = `${JSON.stringify(Object.fromEntries(kept)).slice(0, -1)},${extra.map(([n, v]) => `"${n}":${v}`).join(',')}}`;
    }
    // Two readers could see two users: the first sub or the last.
    if (as.lie === 'id-token-duplicate-claims') payload = `{"sub":"mallory",${payload.slice(1)}`;
    const input = `${b64u(JSON.stringify(header))}.${b64u(payload)}`;
    let signature = '';
    if (header.alg === 'HS256') {
      // The classic confusion: the verifier's RSA public key (as PEM) used as the HMAC secret.
      signature = createHmac('sha256', k.rsa.publicKey.export({ type: 'spki', format: 'pem' })).update(input).digest('base64url');
    } else if (header.alg === 'RS256') {
      signature = createSign('sha256').update(input).sign(k.rsa.privateKey, 'base64url');
    }
    return issue(`${input}.${signature}`);
  }

  function tokens({ sub, nonce, authTime, family = random() }) {
    const accessToken = issue(random());
    const refreshToken = issue(random());
    refreshTokens.set(refreshToken, { sub, authTime, family });
    return {
      access_token: accessToken,
      token_type: as.lie === 'token-type-dpop' || (as.lie === 'refresh-token-type-dpop' && !nonce) ? 'DPoP' : 'Bearer',
      expires_in: 600,
      refresh_token: refreshToken,
      id_token: idToken({ sub, nonce, accessToken, authTime }),
      scope: 'openid profile',
    };
  }

  function token(form, res) {
    if (as.lie === 'redirect-token') {
      return res.writeHead(307, { Location: `${OTHER_ISSUER}/token` }).end();
    }
    let body;
    if (form.get('grant_type') === 'authorization_code') {
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || grant.redirectUri !== form.get('redirect_uri') || form.get('client_id') !== clientId
          || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
      }
      body = tokens(grant);
    } else if (form.get('grant_type') === 'refresh_token') {
      const presented = form.get('refresh_token');
      const grant = refreshTokens.get(presented);
      refreshTokens.delete(presented);
      if (as.lie === 'refresh-refused-empty') return res.writeHead(400, { 'Cache-Control': 'no-store' }).end();
      if (spent.has(presented)) {
        as.reused += 1;
        revoked.add(spent.get(presented));
      }
      if (!grant || revoked.has(grant.family)) return json(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
      spent.set(presented, grant.family);
      body = tokens(grant);
    } else {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }

    if (as.lie === 'duplicate-members') {
      const text = JSON.stringify(body);
      return raw(res, 200, `{"access_token":"${issue(random())}",${text.slice(1)}`);
    }
    if (as.lie === 'huge-response') {
      return raw(res, 200, JSON.stringify({ ...body, padding: 'x'.repeat(10 * MiB) }));
    }
    if (as.lie === 'stall-after-headers') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.flushHeaders();
      return undefined; // the body never comes; close() ends the socket
    }
    if (as.lie === 'slow-drip') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      const text = JSON.stringify(body);
      let i = 0;
      const t = setInterval(() => {
        if (res.destroyed) {
          clearInterval(t);
          timers.delete(t);
        } else {
          res.write(text[i % text.length]); // never ends
          i += 1;
        }
      }, 1000);
      timers.add(t);
      return undefined;
    }
    return json(res, 200, body);
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url, issuer);
    const record = { method: req.method, path: url.pathname };
    as.requests.push(record);
    // CORS for the app's origin only, so the browser tests can reach it from the app.
    if (req.headers.origin === appOrigin) {
      res.setHeader('Access-Control-Allow-Origin', appOrigin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'content-type, accept' });
        return res.end();
      }
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') return json(res, 200, metadata());
      if (req.method === 'GET' && url.pathname === '/jwks') {
        return as.lie === 'huge-jwks' ? json(res, 200, { ...k.jwks, padding: 'x'.repeat(10 * MiB) }) : json(res, 200, k.jwks);
      }
      if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        record.grant = form.get('grant_type');
        return token(form, res);
      }
      return json(res, 404, { error: 'not_found' });
    });
  });
  return as;
}

function raw(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(text);
}

function json(res, status, body) {
  raw(res, status, JSON.stringify(body));
}
