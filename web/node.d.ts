// web/node.mjs: the same API for Node 20+, with its own .wasm (oauth-wasm-core-node.wasm, which
// also holds the grants) read from disk, plus confidential clients
// and the grants without a browser (client credentials, device authorization).
import type { Client, ClientEvents, ClientOptions, Clock, Core, CoreInt, CoreResponse, CoreResult, CoreSeconds, LoadOptions, LoginResult } from './index.js';

export { OAuthError, isOAuthError } from './index.js';
export type * from './index.js';

/**
 * The Node module's core: the browser's calls, the grants (bindings/grant_bindings.cpp) and the
 * calls only tests and benches use (bindings/crypto_extra_bindings.cpp), which the browser's
 * module leaves out.
 */
export interface NodeCore extends Core {
  clientCredentials(handle: CoreInt, optionsJson: string, now: CoreSeconds): CoreResult;
  deviceStart(handle: CoreInt, optionsJson: string): CoreResult;
  /** A grant's next step from the server's answer (status 0: no answer came). */
  grantResume(handle: CoreInt, response: CoreResponse, now: CoreSeconds): CoreResult;
  deviceCancel(handle: CoreInt): CoreResult;
  /** `bytes` (1..1024) random bytes, base64url. */
  randomToken(bytes: CoreInt): CoreResult<string>;
  /** Verifies a compact JWS against a JWKS (parsed on every call); the value is its alg. */
  verifyJws(compact: string, jwksJson: string): CoreResult<string>;
  /** The backend's whole-session record (every token, the DPoP private key): seal it before storing. */
  clientExportServerSession(handle: CoreInt): CoreResult<string>;
  clientRestoreServerSession(handle: CoreInt, recordJson: string): CoreResult<boolean>;
}

export function loadCore(options?: LoadOptions): Promise<NodeCore>;
/** A fresh, independent core instance. */
export function loadIsolatedCore(options?: LoadOptions): Promise<NodeCore>;

export interface NodeClientOptions extends Omit<ClientOptions, 'redirectUri'> {
  /** Needed only for the authorization-code login (a device or a service has none). */
  redirectUri?: string;
  /**
   * Makes the client confidential (RFC 6749 §2.3.1). The secret is held in the core and sent only
   * to the token endpoint; it never appears in an error or a log.
   */
  clientSecret?: string;
  /** How the secret is sent (default client_secret_basic: the Authorization header). */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface ClientCredentialsOptions {
  /** Space-separated scopes; omitted: the server's default for the client. */
  scope?: string;
  /** RFC 8707 resource indicators (absolute URIs): the APIs the token is for. */
  resource?: string[];
}

/** What the user is told by a device (RFC 8628 §3.3). */
export interface DevicePrompt {
  /** The code the user enters, e.g. "WDJB-MJHT". */
  userCode: string;
  /** Where the user enters it. */
  verificationUri: string;
  /** The same with the code in it (for a QR code), when the server gives one. */
  verificationUriComplete: string | null;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

export interface DeviceCodeOptions {
  /** Default: the client's scope, else 'openid' (then an ID token is verified and getUser() works). */
  scope?: string;
  resource?: string[];
  /** Aborting stops the polling; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called once with the code to show, before the first poll. */
  onPrompt?: (prompt: DevicePrompt) => void;
}

export interface NodeClientEvents extends ClientEvents {
  /** The device flow's code to show (as given to onPrompt). */
  device_code: DevicePrompt;
  /**
   * A poll that did not end the device flow: authorization_pending, slow_down, no_response (no
   * answer) or use_dpop_nonce (the server asked for a DPoP nonce; polled again at once with it).
   */
  device_poll: { result: 'authorization_pending' | 'slow_down' | 'no_response' | 'use_dpop_nonce'; interval: number };
}

export interface NodeClient extends Omit<Client, 'on'> {
  /**
   * Client credentials (RFC 6749 §4.4): a token for the client itself, no user (needs
   * clientSecret). The token is reused until it is near expiry (60 s before, or at half its
   * lifetime), and renewed then by this call and before client.fetch and getAccessToken use it;
   * concurrent calls share one request. Rejects with the server's error (invalid_client,
   * invalid_scope, invalid_target, ...).
   */
  loginWithClientCredentials(options?: ClientCredentialsOptions): Promise<LoginResult>;
  /**
   * Device authorization (RFC 8628): gets a user code, hands it to onPrompt, and polls the token
   * endpoint at the server's interval (5 s more after slow_down) until the user has finished.
   * Rejects with access_denied, expired_token (also when expires_in passes first), or the
   * server's error.
   */
  loginWithDeviceCode(options?: DeviceCodeOptions): Promise<LoginResult>;
  /**
   * The session record (JSON text): { v: 1, issuer, client_id, refresh_token, scope, dpop_jkt, sub }
   * of the held refresh token, never an access or ID token, for a program that keeps it itself
   * (the CLI: a 0600 file). Rejects with login_required without a refresh token, and with
   * persist_unsupported when the refresh token is bound to this process's DPoP key (use dpop: false).
   */
  exportSession(): Promise<string>;
  /**
   * Replaces the session with the record's refresh token, checked by the core
   * (session_record_invalid, session_record_foreign, dpop_key_mismatch); the next call refreshes,
   * verifying the ID token, which must carry the recorded sub.
   */
  restoreSession(record: string): Promise<void>;
  on<K extends keyof NodeClientEvents>(type: K, listener: (detail: NodeClientEvents[K]) => void): () => void;
}

/**
 * No sessionStorage or location in Node: pass `storage`, `loginWithRedirect({ openUrl })`, and the
 * callback URL to handleRedirectCallback.
 */
export function createClient(options: NodeClientOptions): Promise<NodeClient>;

/** A session store for createBackend: strings in, strings out; each call a promise. */
export interface BackendStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Reads and deletes at once (a login transaction is used once). */
  take(key: string): Promise<string | null>;
  /** A lock that expires after ttlMs by itself: a token when taken, null when held by another. */
  lock(key: string, ttlMs: number): Promise<string | null>;
  unlock(key: string, token: string): Promise<void>;
}

export interface BackendOptions extends LoadOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** The app's origin: https, or http on a loopback host (then the cookie cannot be Secure). */
  origin: string;
  /** Where the routes live (default '/auth'); the redirect URI is origin + path + '/callback'. */
  path?: string;
  /** The API origins the proxy sends the access token to; any other is refused. */
  apiOrigins?: string[];
  /** Default 'openid'. */
  scope?: string;
  /** As ClientOptions.dpop: absent, used when the server offers it. */
  dpop?: boolean;
  /** As ClientOptions.par: absent, used when the server offers it. */
  par?: boolean;
  /**
   * The path on origin that {path}/logged-out leads to after RP-initiated logout; default '/'.
   * (The post-logout redirect URI is origin + path + '/logged-out'; postLogoutRedirectUri is refused.)
   */
  afterLogout?: string;
  /** The path on origin a failed callback or logged-out leads to, with ?error=<code>; default '/'. */
  errorPath?: string;
  /** Default: in this process's memory. With a store of your own, `key` is required. */
  store?: BackendStore;
  /** 32 bytes (or base64url of them): AES-256-GCM key sealing every value in the store. */
  key?: Uint8Array | string;
  /** Seconds a session lives (the cookie's Max-Age too); default 86400. */
  sessionTtl?: number;
  /** Seconds a login may take; default 600. */
  transactionTtl?: number;
  /** Seconds before expiry at which the access token is refreshed; default 30. */
  refreshMargin?: number;
  /** Milliseconds each request to the authorization server or an API may take; default 10000. */
  timeout?: number;
  /** Largest request body the proxy takes, in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Milliseconds a refresh may hold the session's lock; default timeout + 5000. */
  lockTtl?: number;
  /**
   * For tests: the backend's own time (session lifetime, refresh schedule, metadata cache); the
   * core judges tokens and signs DPoP proofs on the system time. Default: the system's.
   */
  clock?: Clock;
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/** What the backend uses of node:http's IncomingMessage (so these types need no @types/node). */
export interface BackendRequest extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}
/** What the backend uses of node:http's ServerResponse. */
export interface BackendResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  write(chunk: Uint8Array | string): unknown;
  end(chunk?: Uint8Array | string): unknown;
  destroy(): unknown;
}

/** A node:http handler; also Express middleware (requests outside `path` go to next()). */
export interface Backend {
  (req: BackendRequest, res: BackendResponse, next?: () => void): Promise<void>;
  readonly path: string;
  readonly cookieNames: { session: string; transaction: string; logout: string };
  /**
   * This process stops serving: every session's core client is dropped. The sessions stay in the
   * store, for the app's other processes (or the next one) to restore.
   */
  close(): Promise<void>;
}

/**
 * The backend-for-frontend: GET {path}/login, GET {path}/callback, GET {path}/session,
 * POST {path}/logout, GET {path}/logged-out and {path}/proxy?url=… for the page's
 * oauth-wasm/backend client. The tokens
 * stay on the server; the browser holds an HttpOnly, SameSite=Strict session cookie.
 */
export function createBackend(options: BackendOptions): Promise<Backend>;
/** The default store, in this process's memory. */
export function createMemoryStore(options?: { now?: () => number }): BackendStore;
/** A Redis store through the app's client (anything with sendCommand(args), as node-redis has). */
export function createRedisStore(client: { sendCommand(args: string[]): Promise<unknown> }, options?: { prefix?: string }): BackendStore;
/** A Fastify plugin serving the backend's routes: fastify.register(fastifyBackend(backend)). */
export function fastifyBackend(backend: Backend): (fastify: any) => Promise<void>;
