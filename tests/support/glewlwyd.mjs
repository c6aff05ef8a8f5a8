// Glewlwyd 2.7.5 from Debian (apt-get install glewlwyd), a second, independent authorization
// server written in C: started on a free loopback port from tests/support/glewlwyd/start.sh (its
// own folder, database and configuration), then configured through its admin REST API as an
// administrator would: the OpenID Connect plugin (PKCE, PAR, DPoP, device flow, client
// credentials, rotating refresh tokens, introspection), an `api` scope, users and clients.
//
//   const gw = await startGlewlwyd({ appOrigin: app.url });
//   gw.issuer                                  // http://127.0.0.1:PORT/api/oidc
//   const cookie = await gw.signIn('alice');   // a user session (its /api/auth/ login API)
//   await gw.grant(cookie, 'spa', 'openid api'); // the user's consent
//   await gw.close();
//
// Its login page is a web app; tests sign users in through /api/auth/ instead (in a browser,
// from a page of its origin, so the session cookie is the browser's). What it does differently
// from oidc-provider is listed in GLEWLWYD_DEVIATIONS and tested in tests/node/glewlwyd.test.mjs.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const START = fileURLToPath(new URL('./glewlwyd/start.sh', import.meta.url));
const ADMIN = { username: 'admin', password: 'password' }; // the package's schema creates it
export const USER_PASSWORD = 'user-password-1';
export const SERVICE_SECRET = 'service-secret-glewlwyd';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A JSON call to Glewlwyd's REST API with a session cookie; { status, json, text, cookie }.
async function call(base, path, { method = 'GET', body, cookie } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const set = res.headers.getSetCookie?.() ?? [];
  return { status: res.status, json, text, headers: res.headers, cookie: set.map((c) => c.split(';')[0]).join('; ') };
}

async function must(base, path, options) {
  const r = await call(base, path, options);
  if (r.status !== 200) throw new Error(`glewlwyd: ${options?.method ?? 'GET'} ${path} answered ${r.status} ${r.text}`);
  return r;
}

// The OpenID Connect plugin's parameters (the admin app's defaults, then ours).
function oidcParameters({ issuer, jwk, accessTokenTTL }) {
  return {
    'jwt-type': 'rsa',
    'jwt-key-size': '256',
    'jwks-private': JSON.stringify({ keys: [jwk] }),
    'default-kid': jwk.kid,
    'client-sign_kid-parameter': '',
    'jwks-show': true,
    'jwks-x5c': [],
    key: '',
    cert: '',
    iss: issuer,
    'oauth-as-iss-id': true, // RFC 9207 iss on authorization responses
    'access-token-duration': accessTokenTTL,
    'refresh-token-duration': 86400,
    'code-duration': 600,
    'refresh-token-rolling': true,
    'refresh-token-one-use': 'always', // rotation: each refresh token is good once
    'client-refresh-token-one-use-parameter': 'refresh-token-one-use',
    'allow-non-oidc': true,
    'auth-type-code-enabled': true,
    'auth-type-code-revoke-replayed': true,
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': false,
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': true,
    'auth-type-device-enabled': true,
    'auth-type-refresh-enabled': true,
    scope: [],
    'additional-parameters': [],
    claims: [],
    'name-claim': 'on-demand',
    'name-claim-scope': [],
    'email-claim': 'no',
    'email-claim-scope': [],
    'scope-claim': 'no',
    'scope-claim-scope': [],
    'address-claim': { type: 'no', formatted: '', street_address: '', locality: '', region: '', postal_code: '', country: '', mandatory: false },
    'allowed-scope': ['openid', 'api'],
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'pkce-required': false,
    'pkce-required-public-client': true,
    'pkce-scopes': [],
    'introspection-revocation-allowed': true,
    'introspection-revocation-auth-scope': [],
    'introspection-revocation-allow-target-client': true,
    'register-client-allowed': false,
    'session-management-allowed': true,
    'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
    'session-cookie-expiration': 3600,
    // Its end_session page refuses to work without this.
    'front-channel-logout-allowed': true,
    'back-channel-logout-allowed': false,
    'request-parameter-allow': false,
    'request-uri-allow-https-non-secure': false,
    'request-parameter-allow-encrypted': false,
    'request-maximum-exp': 3600,
    'secret-type': 'pairwise',
    'encrypt-out-token-allow': false,
    'client-pubkey-parameter': '',
    'client-jwks-parameter': 'jwks',
    'client-jwks_uri-parameter': 'jwks_uri',
    'device-authorization-expiration': 600,
    'device-authorization-interval': 1,
    'client-cert-header-name': 'SSL_CLIENT_CERT',
    'client-cert-use-endpoint-aliases': false,
    'client-cert-self-signed-allowed': false,
    'oauth-dpop-allowed': true,
    'oauth-dpop-iat-duration': 60,
    'oauth-dpop-iat-gap-duration': 0,
    'oauth-dpop-dpop_bound_access_tokens-property': 'dpop_bound_access_tokens',
    'oauth-dpop-nonce-mandatory': false,
    'oauth-dpop-nonce-counter': 10,
    'resource-allowed': false,
    'oauth-rar-allowed': false,
    'oauth-par-allowed': true,
    'oauth-par-duration': 90,
    'oauth-par-required': false,
    'oauth-par-request_uri-prefix': 'urn:ietf:params:oauth:request_uri:',
    'oauth-ciba-allowed': false,
    'oauth-fapi-check-all': false,
    'jwks-public-uri': '',
  };
}

// The client store's field list, with post_logout_redirect_uris added: without it the store
// drops the field and the end_session endpoint refuses every post_logout_redirect_uri.
async function allowClientFields(base, cookie) {
  const { json: module } = await must(base, '/api/mod/client/database', { cookie });
  const format = { ...module.parameters['data-format'] };
  format.post_logout_redirect_uris = { multiple: true, read: true, write: true };
  await must(base, '/api/mod/client/database', {
    method: 'PUT', cookie, body: { ...module, parameters: { ...module.parameters, 'data-format': format } },
  });
  const { json: updated } = await must(base, '/api/mod/client/database', { cookie });
  if (!updated.parameters['data-format'].post_logout_redirect_uris?.multiple) {
    throw new Error(`glewlwyd: the client store kept its field list: ${JSON.stringify(updated)}`);
  }
  await must(base, '/api/mod/reload/', { method: 'PUT', cookie }); // the running instance reads it again
}

/**
 * Starts and configures a Glewlwyd. Options: appOrigin (the SPA's origin: redirect URIs),
 * accessTokenTTL (600), users, clients (more clients, in the admin API's form). Resolves to { issuer, base, port, signIn(login), grant(cookie, client,
 * scope), admin(path, options), log(), close() }.
 */
export async function startGlewlwyd({ appOrigin = 'http://127.0.0.1:5173', accessTokenTTL = 600, users = ['alice', 'bob', 'carol', 'dana', 'erin'], clients: more = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-glewlwyd-'));
  let child;
  let port;
  let base;
  // The port is chosen here and taken by Glewlwyd a moment later; on a clash, start again.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const started = spawn(START, [dir, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr.on('data', (d) => { stderr += d; });
    for (let i = 0; i < 100; i++) {
      if (started.exitCode !== null) break;
      const up = await fetch(`${base}/config`).then((r) => r.ok, () => false);
      if (up) { child = started; break; }
      await sleep(100);
    }
    if (!child) {
      started.kill();
      if (attempt === 2) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`glewlwyd did not start: ${stderr}`);
      }
    }
  }

  const issuer = `${base}/api/oidc`;
  const close = async () => {
    child.kill();
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { cookie: admin } = await must(base, '/api/auth/', { method: 'POST', body: ADMIN });
    const adminCall = (path, options = {}) => must(base, path, { ...options, cookie: admin });
    await allowClientFields(base, admin);

    const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: `rsa-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
    await adminCall('/api/scope/', {
      method: 'POST',
      body: { name: 'api', display_name: 'API', description: 'the test API', password_required: true, password_max_age: 0, scheme: {} },
    });
    await adminCall('/api/mod/plugin/', {
      method: 'POST',
      body: { module: 'oidc', name: 'oidc', display_name: 'OpenID Connect', enabled: true, parameters: oidcParameters({ issuer, jwk, accessTokenTTL }) },
    });
    for (const login of users) {
      await adminCall('/api/user/', {
        method: 'POST',
        body: { username: login, password: USER_PASSWORD, name: `User ${login}`, email: `${login}@example.test`, scope: ['openid', 'api'], enabled: true },
      });
    }
    const clients = [
      {
        client_id: 'spa', confidential: false, redirect_uri: [`${appOrigin}/callback`, `${appOrigin}/popup-callback`],
        post_logout_redirect_uris: [`${appOrigin}/`], authorization_type: ['code', 'refresh_token', 'delete_token'],
      },
      { client_id: 'service', confidential: true, client_secret: SERVICE_SECRET, password: SERVICE_SECRET, token_endpoint_auth_method: ['client_secret_basic'], redirect_uri: [], authorization_type: ['client_credentials'], scope: ['api'] },
      { client_id: 'device', confidential: false, redirect_uri: [], authorization_type: ['device_authorization', 'refresh_token'] },
      ...more,
    ];
    for (const client of clients) {
      await adminCall('/api/client/', { method: 'POST', body: { name: client.client_id, enabled: true, scope: [], ...client } });
    }
  } catch (e) {
    e.message += `\n${readLog(dir)}`;
    await close();
    throw e;
  }

  return {
    issuer,
    base,
    port,
    // A user session: the cookie header to send with later calls.
    async signIn(login, password = USER_PASSWORD) {
      return (await must(base, '/api/auth/', { method: 'POST', body: { username: login, password } })).cookie;
    },
    // The user's consent for `clientId` to the space-separated `scope` (commas are not understood).
    async grant(cookie, clientId, scope) {
      await must(base, `/api/auth/grant/${encodeURIComponent(clientId)}`, { method: 'PUT', cookie, body: { scope } });
    },
    call: (path, options) => call(base, path, options),
    log: () => readLog(dir),
    close,
  };
}

// On Glewlwyd's login page (login.html, in a browser), what its web app does: sign the user in
// and record the consent through /api/auth/, then go on to the authorization endpoint with
// g_continue, as its Continue button does. Run by page.evaluate(signInOnLoginPage, { login, password }).
export async function signInOnLoginPage({ login, password }) {
  const query = new URLSearchParams(location.search);
  const json = (method, body) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!(await fetch('/api/auth/', json('POST', { username: login, password }))).ok) throw new Error('sign-in refused');
  const grant = await fetch(`/api/auth/grant/${query.get('client_id')}`, json('PUT', { scope: query.get('scope') }));
  if (!grant.ok) throw new Error('consent refused');
  location.assign(`${query.get('callback_url')}&g_continue`);
}

function readLog(dir) {
  try { return readFileSync(join(dir, 'glewlwyd.log'), 'utf8').split('\n').slice(-40).join('\n'); } catch { return ''; }
}
