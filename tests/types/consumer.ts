// A TypeScript app using the whole public API through the package's own exports map
// ('oauth-wasm', 'oauth-wasm/node', 'oauth-wasm/popup-callback', 'oauth-wasm/silent-callback',
// 'oauth-wasm/worker', 'oauth-wasm/backend').
// Compiled by tests/node/types.test.mjs with `tsc --noEmit --strict`; never run. The lines
// marked @ts-expect-error are misuses the types must refuse (tsc fails if one is accepted).
import {
  createClient, errorCodes, generatePkce, isOAuthError, loadCore, OAuthError, pkceChallenge,
  type AccessToken, type Client, type ClientOptions, type ErrorCode, type LibraryErrorCode, type LoginResult,
  type NetworkErrorReason, type ServerErrorCode, type User,
} from 'oauth-wasm';
import {
  createClient as createNodeClient, isOAuthError as isNodeOAuthError, loadCore as loadNodeCore, loadIsolatedCore,
  OAuthError as NodeOAuthError, type DevicePrompt, type NodeClient,
  createBackend, createMemoryStore, createRedisStore, fastifyBackend, type Backend, type BackendStore,
} from 'oauth-wasm/node';
import { createClient as createBackendClient, type BackendClient } from 'oauth-wasm/backend';
import { CALLBACK_MESSAGE, postCallbackToOpener } from 'oauth-wasm/popup-callback';
import { deliverSilentCallback, SILENT_PORT, SILENT_READY } from 'oauth-wasm/silent-callback';
import type {} from 'oauth-wasm/worker';

export async function spa(): Promise<void> {
  const options: ClientOptions = {
    issuer: 'https://login.example.test',
    clientId: 'spa',
    redirectUri: 'https://app.example.test/callback',
    silentRedirectUri: 'https://app.example.test/silent-callback',
    scope: 'openid profile',
    resource: ['https://api.example.test'],
    apiOrigins: ['https://api.example.test'],
    clockSkew: 60,
    transactionTtl: 600,
    idTokenSigningAlg: 'ES256',
    isolation: 'shared-worker',
    refreshMargin: 60,
    autoRefresh: true,
    retries: 3,
    exposeAccessToken: false,
    requestTimeout: 10000,
    integrity: 'sha384-abc',
    wasmUrl: new URL('https://cdn.example.test/oauth-wasm-core.wasm'),
  };
  const client: Client = await createClient(options);
  const issuer: string = client.metadata.issuer;

  await client.loginWithRedirect({ scope: 'openid', resource: ['https://api.example.test'], prompt: 'login', loginHint: 'a', maxAge: 0, extraParams: { ui_locales: 'fr' } });
  const result: LoginResult = await client.handleRedirectCallback(location.href);
  const expiresAt: number | null = result.expiresAt;
  const restored: boolean = await client.restore({ openUrl: (url) => location.assign(url) });
  const silently: boolean = await client.restore({ fallback: 'none', silentTimeout: 3000, resource: ['https://api.example.test'] });
  // @ts-expect-error only 'redirect' or 'none'
  await client.restore({ fallback: 'popup' });
  const delivered: boolean = deliverSilentCallback();
  const messages: string[] = [SILENT_READY, SILENT_PORT];
  const popup = await client.loginWithPopup({ timeout: 60000, popup: 'popup,width=400' });
  const sub: string | undefined = popup.user?.sub;
  const authenticated: boolean = await client.isAuthenticated();
  const user: User | null = await client.getUser();
  const token: AccessToken = await client.getAccessToken();
  const header = `${token.tokenType} ${token.token}`;
  await client.refresh();
  const res: Response = await client.fetch('https://api.example.test/me', { method: 'POST', body: '{}' });
  await client.logout({ revoke: true, endSession: true, postLogoutRedirectUri: 'https://app.example.test/' });
  const back: true = await client.handleLogoutCallback();

  const off = client.on('login', ({ user }) => user?.sub);
  client.on('session_expired', (e: OAuthError) => e.code);
  client.on('error', (e) => e.blame);
  client.on('logout', () => {});
  client.on('refresh', ({ expiresAt, scope }) => `${expiresAt ?? 'no expiry'} ${scope}`);
  off();

  try {
    await client.refresh();
  } catch (e) {
    if (e instanceof OAuthError) {
      const code: ErrorCode = e.code;
      if (e.code === 'session_expired' || e.code === 'invalid_grant') await client.loginWithRedirect();
      const why: string = `${code} ${e.description} ${e.uri} ${e.status} ${e.blame}`;
      const reason: NetworkErrorReason | '' = e.reason;
      const url: string = e.url;
      // @ts-expect-error a misspelt error code
      if (e.code === 'sesion_expired') void [why, reason, url];
    }
    if (isOAuthError(e, 'session_expired')) {
      const expired: 'session_expired' = e.code;
      void expired;
    }
    if (isOAuthError(e) && e.code === 'network_error' && e.reason === 'refused') console.log(e.url);
    // @ts-expect-error a misspelt error code
    if (isOAuthError(e, 'sesion_expired')) void e;
  }
  const rebuilt: OAuthError = OAuthError.from({ code: 'state_mismatch' });

  const core = await loadCore({ integrity: 'sha384-abc', wasmUrl: '/assets/core.wasm' });
  const pair = await generatePkce();
  const method: 'S256' = pair.method;
  const challenge: string = await pkceChallenge(pair.verifier, 'S256');
  const codes = await errorCodes();
  const first: LibraryErrorCode | undefined = codes[0]?.code;
  const ours: LibraryErrorCode = 'id_token_invalid';
  const theirs: ServerErrorCode = 'invalid_target';

  // @ts-expect-error the issuer is required
  await createClient({ clientId: 'spa', redirectUri: 'https://app.example.test/callback' });
  // @ts-expect-error no such isolation
  await createClient({ ...options, isolation: 'iframe' });
  // @ts-expect-error a browser client has no secret
  await createClient({ ...options, clientSecret: 'no' });
  // @ts-expect-error client credentials are for the Node entry
  await client.loginWithClientCredentials();
  // @ts-expect-error no such event
  client.on('tokens', () => {});
  // @ts-expect-error a misspelt event name
  client.on('sesion_expired', () => {});
  // @ts-expect-error not one of our codes
  const wrong: LibraryErrorCode = 'no_such_code';
  // @ts-expect-error only S256
  await pkceChallenge('v', 'plain');

  void [issuer, expiresAt, restored, silently, delivered, messages, sub, authenticated, header, res, back, rebuilt, core, method, challenge, first, ours, theirs, wrong];
}

export async function service(): Promise<void> {
  const client: NodeClient = await createNodeClient({
    issuer: 'https://login.example.test',
    clientId: 'service',
    clientSecret: 'from-a-secret-store',
    tokenEndpointAuthMethod: 'client_secret_post',
    apiOrigins: ['https://api.example.test'],
  });
  const login: LoginResult = await client.loginWithClientCredentials({ scope: 'api:read', resource: ['https://api.example.test'] });
  const res = await client.fetch('https://api.example.test/me');

  const device = await createNodeClient({ issuer: 'https://login.example.test', clientId: 'device' });
  const aborter = new AbortController();
  const prompts: DevicePrompt[] = [];
  device.on('device_code', (p) => prompts.push(p));
  device.on('device_poll', ({ result, interval }) => `${result} ${interval}`);
  device.on('device_poll', ({ result }) => result === 'use_dpop_nonce');
  const signedIn = await device.loginWithDeviceCode({
    scope: 'openid offline_access', signal: aborter.signal, onPrompt: (p) => console.log(p.verificationUri, p.userCode, p.verificationUriComplete),
  });
  const core = await loadNodeCore();
  const isolated = await loadIsolatedCore({ wasmBytes: new Uint8Array(8) });
  const alone = await createNodeClient({ issuer: 'https://login.example.test', clientId: 'service', core: isolated, isolation: 'none' });
  const e: NodeOAuthError = new NodeOAuthError('invalid_argument', 'x', { blame: 'local' });
  const expired: boolean = isNodeOAuthError(e, 'session_expired');

  // @ts-expect-error only the two client authentication methods
  await createNodeClient({ issuer: 'https://login.example.test', clientId: 'x', tokenEndpointAuthMethod: 'private_key_jwt' });

  void [login, res, signedIn, core, alone, e, expired];
}

export function popupPage(): void {
  const posted: boolean = postCallbackToOpener();
  const type: 'oauth-wasm:callback' = CALLBACK_MESSAGE;
  void [posted, type];
}

export async function backendMode(): Promise<void> {
  const store: BackendStore = createMemoryStore();
  const backend: Backend = await createBackend({
    issuer: 'https://login.example.test', clientId: 'web', clientSecret: 'secret', origin: 'https://app.example.test',
    apiOrigins: ['https://api.example.test'], store, key: new Uint8Array(32), sessionTtl: 3600, refreshMargin: 30,
  });
  const shared: BackendStore = createRedisStore({ sendCommand: async (args: string[]) => args.length }, { prefix: 'app:' });
  const plugin = fastifyBackend(backend);
  const names: string = backend.cookieNames.session;
  await backend.close();
  // @ts-expect-error the app's origin is required
  await createBackend({ issuer: 'https://login.example.test', clientId: 'web' });

  const page: BackendClient = createBackendClient({ backend: '/auth' });
  const user = await page.getUser();
  const res: Response = await page.fetch('https://api.example.test/me');
  page.on('session_expired', (e) => e.code);
  await page.logout({ endSession: true });
  void [shared, plugin, names, user, res];
}
