// A real OAuth 2.1 / OpenID Connect authorization server for tests: oidc-provider on 127.0.0.1,
// major 8 (the package `oidc-provider`) or 9 (`oidc-provider-9`, an npm alias) chosen by the
// `provider` option or the OIDC_PROVIDER environment variable (default 8), with our own offline
// login/consent/device pages (interactions.mjs). One configuration serves both majors; 9 answers
// end_session by GET only (its POST, enableHttpPostMethods, needs SameSite=None cookies, which
// browsers refuse on plain http).
//
//   import { startAuthServer } from './auth-server.mjs';
//   const as = await startAuthServer({ appOrigin: 'http://127.0.0.1:5173' });
//   ... as.issuer, as.counts.refresh_token, as.events ...
//   as.rotateKeys();   // new signing keys with new kids; same issuer, port and storage
//   await as.close();
//
// Or standalone:  node scripts/dev-servers/auth-server.mjs --port 4000 [--app-origin URL]
//                 [--id-token-alg ES256] [--dpop] [--dpop-require-nonce] [--par] [--require-par]
//                 [--provider 9]
// prints `issuer=http://127.0.0.1:4000` and runs until SIGINT/SIGTERM.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import * as oidcProvider8 from 'oidc-provider';

import { createMemoryAdapter } from './memory-adapter.mjs';
import { listen } from './listen.mjs';
import {
  deviceFlowSources, interactionHandler, logoutSources, renderError,
} from './interactions.mjs';

export const CLIENTS = Object.freeze({
  spa: { client_id: 'spa' },
  web: { client_id: 'web', client_secret: 'web-secret' },
  webPost: { client_id: 'web-post', client_secret: 'web-post-secret' },
  service: { client_id: 'service', client_secret: 'service-secret' },
  device: { client_id: 'device' },
  api: { client_id: 'api', client_secret: 'api-secret' },
});

export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'api:read'];

const LOOPBACK_ORIGIN = /^http:\/\/127\.0\.0\.1(:\d{1,5})?$/;

// oidc-provider of a major version ({ default: Provider, errors }); 9 is loaded only when asked
// for (it warns about Node 20).
export async function oidcProvider(major = Number(process.env.OIDC_PROVIDER ?? 8)) {
  if (major === 8) return oidcProvider8;
  if (major === 9) return import('oidc-provider-9');
  throw new Error(`oidc-provider ${major}: only 8 and 9 are installed`);
}

// Fresh signing keys (private JWKs): RSA 2048 first (RS256/PS256), then EC P-256
// (ES256) and Ed25519 (EdDSA). oidc-provider picks the key matching the alg.
export function generateJwks() {
  const kid = (prefix) => `${prefix}-${randomBytes(6).toString('hex')}`;
  const jwk = (type, options, prefix) => ({
    ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
    kid: kid(prefix),
    use: 'sig',
  });
  return {
    keys: [
      jwk('rsa', { modulusLength: 2048 }, 'rsa'),
      jwk('ec', { namedCurve: 'P-256' }, 'ec'),
      jwk('ed25519', {}, 'ed'),
    ],
  };
}

function clientList({ appOrigin, idTokenAlg, webAuthMethod, clientOverrides = {} }) {
  const list = [
    {
      ...CLIENTS.spa,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${appOrigin}/callback`, `${appOrigin}/popup-callback`, `${appOrigin}/silent-callback`],
      post_logout_redirect_uris: [`${appOrigin}/`],
      id_token_signed_response_alg: idTokenAlg,
    },
    {
      ...CLIENTS.web,
      token_endpoint_auth_method: webAuthMethod,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${appOrigin}/server/callback`],
      post_logout_redirect_uris: [`${appOrigin}/`],
    },
    {
      ...CLIENTS.webPost,
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [`${appOrigin}/server/callback`],
      post_logout_redirect_uris: [`${appOrigin}/`],
    },
    {
      ...CLIENTS.service,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    {
      ...CLIENTS.device,
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      // The test API's own credentials, used only to call the introspection endpoint.
      ...CLIENTS.api,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ];
  return list.map((c) => ({ ...c, ...clientOverrides[c.client_id] }));
}

// The public half of a JWK Set (what the jwks_uri serves), for tests that compare kids.
export function publicJwks(jwks) {
  const PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
  return {
    keys: jwks.keys.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !PRIVATE.has(name)))),
  };
}

// What every provider of one server shares across key rotations: storage (grants, sessions,
// codes, refresh tokens), cookie keys and the DPoP nonce secret.
function sharedState(opts) {
  return {
    adapter: createMemoryAdapter(),
    cookieKeys: [randomBytes(32).toString('base64url')],
    nonceSecret: opts.dpopRequireNonce ? randomBytes(32) : undefined,
  };
}

// A fresh configuration object each call: the Provider constructor consumes (deletes) parts of it.
function configuration(opts, shared, jwks, { errors }) {
  const appOrigin = opts.appOrigin ?? 'http://127.0.0.1:5173';
  const accessTokenTTL = opts.accessTokenTTL ?? 600;
  const refreshTokenTTL = opts.refreshTokenTTL ?? 24 * 60 * 60;
  const requireNonce = opts.dpopRequireNonce;

  return {
    adapter: shared.adapter,
    clients: clientList({
      appOrigin,
      idTokenAlg: opts.idTokenAlg ?? 'RS256',
      webAuthMethod: opts.webAuthMethod ?? 'client_secret_basic',
      clientOverrides: opts.clientOverrides,
    }),
    jwks: structuredClone(jwks),
    cookies: {
      keys: shared.cookieKeys,
      // Plain http on loopback: SameSite=None without Secure is refused by browsers.
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    responseTypes: ['code'],
    scopes: SCOPES,
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return { sub, name: 'Demo User', email: `${sub}@example.test` };
        },
      };
    },
    clientBasedCORS(ctx, origin) {
      return origin === appOrigin || LOOPBACK_ORIGIN.test(origin);
    },
    // Every client allowed the refresh_token grant gets one, offline_access or not.
    async issueRefreshToken(ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
    rotateRefreshToken: true,
    renderError,
    ttl: {
      AccessToken: accessTokenTTL,
      ClientCredentials: accessTokenTTL,
      AuthorizationCode: 60,
      DeviceCode: opts.deviceCodeTTL ?? 600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: refreshTokenTTL,
      // A rotated public-client refresh token keeps its predecessor's expiry.
      RefreshToken(ctx, token, client) {
        const rotated = ctx?.oidc.entities.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === 'none' && !token.isSenderConstrained()) {
          return rotated.remainingTTL;
        }
        return refreshTokenTTL;
      },
      ...opts.ttlOverrides,
    },
    features: {
      devInteractions: { enabled: false },
      introspection: {
        enabled: true,
        // Confidential clients (the test API) may introspect any token, public
        // clients only their own.
        async allowedPolicy(ctx, client, token) {
          return client.clientAuthMethod !== 'none' || token.clientId === client.clientId;
        },
      },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      deviceFlow: { enabled: true, ...deviceFlowSources },
      rpInitiatedLogout: { enabled: true, ...logoutSources },
      // PAR and DPoP are advertised only when a test asks for them, so the other suites keep a
      // plain server (the client uses both automatically when they are advertised).
      pushedAuthorizationRequests: {
        enabled: Boolean(opts.par || opts.requirePar),
        requirePushedAuthorizationRequests: Boolean(opts.requirePar),
      },
      dPoP: {
        enabled: Boolean(opts.dpop || opts.dpopRequireNonce),
        // Nonces exist only when asked for; then every DPoP proof must carry one.
        nonceSecret: shared.nonceSecret,
        requireNonce: typeof requireNonce === 'function' ? requireNonce : () => Boolean(requireNonce),
      },
      resourceIndicators: {
        enabled: true,
        // Any http://127.0.0.1:* URL is a resource server with scope api:read;
        // anything else is invalid_target.
        async getResourceServerInfo(ctx, resource) {
          let url;
          try { url = new URL(resource); } catch { throw new errors.InvalidTarget(); }
          if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
            throw new errors.InvalidTarget();
          }
          return {
            scope: 'api:read',
            audience: resource,
            accessTokenTTL,
            accessTokenFormat: opts.accessTokenFormat ?? 'opaque',
            jwt: { sign: { alg: opts.accessTokenAlg ?? 'RS256' } },
          };
        },
      },
    },
  };
}

// Error events we record in `events` so tests can see why something failed:
// oidc-provider's HTTP error bodies are generic, the detail is only here.
const ERROR_EVENTS = [
  'server_error', 'authorization.error', 'grant.error', 'introspection.error',
  'revocation.error', 'userinfo.error', 'device_authorization.error',
  'code_verification.error', 'device_resume.error', 'end_session.error',
  'end_session_confirm.error', 'pushed_authorization_request.error',
  'discovery.error', 'jwks.error',
];

function record(provider, counts, events) {
  for (const name of ERROR_EVENTS) {
    provider.on(name, (ctx, err) => {
      events.push({
        name,
        error: err?.error,
        error_description: err?.error_description,
        detail: err?.error_detail,
        message: err?.message,
        route: ctx?.oidc?.route,
        grant_type: ctx?.oidc?.params?.grant_type,
        client_id: ctx?.oidc?.client?.clientId,
      });
    });
  }
  provider.on('grant.revoked', (ctx, grantId) => events.push({ name: 'grant.revoked', grantId }));

  // Token endpoint requests per grant_type, successful or not.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token') {
      const grantType = ctx.oidc.params?.grant_type ?? 'unknown';
      counts[grantType] = (counts[grantType] ?? 0) + 1;
    }
  });
}

// oidc-provider 9 as shipped (and Glewlwyd 2.7) answer a POST to end_session with 404; version 8
// takes both methods. This makes 8 behave as 9 does out of the box. The confirmation form that
// end_session shows posts to its own path (/session/end/confirm), which stays open.
async function refuseEndSessionPost(ctx, next) {
  if (ctx.method === 'POST' && ctx.path === '/session/end') {
    ctx.status = 404;
    ctx.body = 'not found';
    return;
  }
  await next();
}

/**
 * Options (all optional):
 *   port (0 = free port), appOrigin ('http://127.0.0.1:5173'), idTokenAlg ('RS256'),
 *   webAuthMethod ('client_secret_basic'), accessTokenTTL (600), refreshTokenTTL (86400),
 *   deviceCodeTTL (600), ttlOverrides ({ AccessToken: 5, ... }), jwks ({ keys: [...] }),
 *   dpop (false: DPoP off), dpopRequireNonce (boolean or (ctx) => boolean; implies dpop),
 *   par (false: PAR off), requirePar (false; implies par),
 *   accessTokenFormat ('opaque' | 'jwt') and accessTokenAlg ('RS256') for resource tokens,
 *   clientOverrides ({ spa: { dpop_bound_access_tokens: true } }),
 *   provider (8 or 9: the major of oidc-provider; default OIDC_PROVIDER or 8),
 *   endSessionPost (true; false: a POST to end_session gets 404, as oidc-provider 9 answers as shipped).
 * Resolves to { issuer, port, provider, major, jwks, counts, events, use(), rotateKeys(), reset(), close() }.
 *
 * Key rotation: oidc-provider fixes its keystore when it is constructed, so rotateKeys() builds a
 * second Provider for the same issuer with the new key set and the same storage, cookie keys and
 * configuration, and the server's requests go to it from then on. Codes, sessions, grants and
 * refresh tokens issued before the rotation stay valid. `provider` is always the current one;
 * middleware added with use() (not provider.use()) is carried over to the next provider.
 */
export async function startAuthServer(opts = {}) {
  const library = await oidcProvider(opts.provider);
  const Provider = library.default;
  const counts = {};
  const events = [];
  const server = http.createServer();
  const port = await listen(server, opts.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;
  const shared = sharedState(opts);
  const middleware = [];

  function build(jwks) {
    const provider = new Provider(issuer, configuration(opts, shared, jwks, library));
    record(provider, counts, events);
    if (opts.endSessionPost === false) provider.use(refuseEndSessionPost);
    for (const mw of middleware) provider.use(mw);
    return { provider, jwks, interactions: interactionHandler(provider), callback: provider.callback() };
  }

  let current;
  try {
    current = build(opts.jwks ?? generateJwks());
  } catch (err) {
    server.close();
    throw err;
  }
  server.on('request', (req, res) => {
    const { interactions, callback } = current;
    if (!interactions(req, res)) callback(req, res);
  });

  return {
    issuer,
    port,
    major: opts.provider ?? Number(process.env.OIDC_PROVIDER ?? 8),
    get provider() { return current.provider; },
    // The key set the server signs with (private JWKs; publicJwks() gives what jwks_uri serves).
    get jwks() { return current.jwks; },
    counts,
    events,
    use(mw) {
      middleware.push(mw);
      current.provider.use(mw);
      current.callback = current.provider.callback(); // Koa composes the middleware when callback() is made
    },
    // New signing keys (fresh kids) take over signing at once. With keepPrevious (the default,
    // as a real rotation does) the previous keys stay published in the jwks_uri, after the new
    // ones and no longer used to sign; without it they are gone. `jwks` replaces the generated
    // key set. Returns the new key set (private JWKs).
    rotateKeys({ keepPrevious = true, jwks = generateJwks() } = {}) {
      const next = keepPrevious ? { keys: [...jwks.keys, ...current.jwks.keys] } : jwks;
      current = build(next);
      return jwks;
    },
    reset() {
      for (const key of Object.keys(counts)) delete counts[key];
      events.length = 0;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'app-origin': { type: 'string' },
      'id-token-alg': { type: 'string' },
      dpop: { type: 'boolean', default: false },
      'dpop-require-nonce': { type: 'boolean', default: false },
      par: { type: 'boolean', default: false },
      'require-par': { type: 'boolean', default: false },
      provider: { type: 'string' },
    },
  });
  const server = await startAuthServer({
    port: Number(values.port),
    appOrigin: values['app-origin'],
    idTokenAlg: values['id-token-alg'],
    dpop: values.dpop,
    dpopRequireNonce: values['dpop-require-nonce'],
    par: values.par,
    requirePar: values['require-par'],
    provider: values.provider && Number(values.provider),
  });
  process.stdout.write(`issuer=${server.issuer}\n`);
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  });
}
