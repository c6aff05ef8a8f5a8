// Public API of oauth-wasm (web/index.mjs). The wasm core decides; these functions carry.

/**
 * The codes of this library, core and shim alike: src/core/error_codes.hpp is the one table
 * (errorCodes() reads it at run time; docs/API.md lists it; a test keeps the three equal).
 */
export type LibraryErrorCode =
  | 'invalid_request' | 'invalid_argument' | 'invalid_encoding' | 'entropy_failure'
  | 'unsupported_pkce_method' | 'crypto_failure' | 'invalid_key' | 'invalid_signature' | 'unknown_kid'
  | 'invalid_jws' | 'unsupported_alg' | 'invalid_metadata' | 'issuer_mismatch' | 'insecure_issuer'
  | 'pkce_not_supported' | 'device_flow_not_supported' | 'expired_token' | 'pushed_authorization_required'
  | 'dpop_key_lost' | 'dpop_key_mismatch' | 'session_record_invalid' | 'session_record_foreign' | 'persist_unsupported'
  | 'persist_store_failed'
  | 'invalid_callback' | 'implicit_flow_refused' | 'state_mismatch' | 'transaction_expired' | 'iss_mismatch'
  | 'iss_missing' | 'redirect_uri_mismatch' | 'invalid_response' | 'response_too_large' | 'unexpected_status'
  | 'unsupported_token_type' | 'id_token_invalid' | 'login_required' | 'session_expired' | 'token_expired'
  | 'origin_not_allowed' | 'out_of_order' | 'network_error' | 'unexpected_redirect' | 'popup_blocked'
  | 'popup_closed' | 'popup_timeout' | 'silent_frame_failed' | 'wasm_load_failed' | 'wasm_integrity_mismatch'
  | 'internal_error';

/** The codes the shim itself raises (a subset of LibraryErrorCode). */
export type ShimErrorCode = Extract<LibraryErrorCode,
  | 'network_error' | 'unexpected_redirect' | 'response_too_large' | 'popup_blocked' | 'popup_closed'
  | 'popup_timeout' | 'silent_frame_failed' | 'wasm_load_failed' | 'wasm_integrity_mismatch' | 'invalid_argument'
  | 'invalid_response' | 'internal_error' | 'persist_unsupported' | 'persist_store_failed'>;

/**
 * Error codes a server sends (error=...), passed on as they are. One per line: the code, then
 * where it is defined and what it means (docs/API.md is generated from these lines).
 */
export type ServerErrorCode =
  | 'invalid_request' // RFC 6749 §5.2: a parameter is missing, repeated or malformed
  | 'invalid_client' // RFC 6749 §5.2: client authentication failed (unknown client, wrong secret)
  | 'invalid_grant' // RFC 6749 §5.2: the code or refresh token is invalid, expired, revoked or reused
  | 'unauthorized_client' // RFC 6749 §5.2: the client may not use this grant type
  | 'unsupported_grant_type' // RFC 6749 §5.2: the server does not support this grant type
  | 'invalid_scope' // RFC 6749 §5.2: the scope is invalid, unknown or exceeds the grant
  | 'access_denied' // RFC 6749 §4.1.2.1, RFC 8628 §3.5: the user or the server refused
  | 'unsupported_response_type' // RFC 6749 §4.1.2.1: the server does not offer response_type=code
  | 'server_error' // RFC 6749 §4.1.2.1: the server failed
  | 'temporarily_unavailable' // RFC 6749 §4.1.2.1: the server is overloaded or down for maintenance
  | 'invalid_target' // RFC 8707 §2: a resource indicator is unknown or not allowed
  | 'authorization_pending' // RFC 8628 §3.5: the user has not finished yet (the device flow polls on)
  | 'slow_down' // RFC 8628 §3.5: poll 5 s less often (the device flow does)
  | 'expired_token' // RFC 8628 §3.5: the device code expired
  | 'interaction_required' // OIDC Core §3.1.2.6: prompt=none, but the user must interact
  | 'login_required' // OIDC Core §3.1.2.6: prompt=none, but the user must log in
  | 'account_selection_required' // OIDC Core §3.1.2.6: prompt=none, but the user must choose an account
  | 'consent_required' // OIDC Core §3.1.2.6: prompt=none, but the user must consent
  | 'invalid_token' // RFC 6750 §3.1: the API refused the access token (client.fetch refreshes once)
  | 'insufficient_scope' // RFC 6750 §3.1: the access token lacks the scope the API needs
  | 'unsupported_token_type' // RFC 7009 §2.2.1: the server cannot revoke this token type
  | 'invalid_dpop_proof' // RFC 9449 §5, §7.1: the DPoP proof was refused
  | 'use_dpop_nonce'; // RFC 9449 §8, §9: the server wants a DPoP proof with its nonce

/**
 * Every documented code: a closed union, so that a misspelt code does not compile. At run time a
 * server's own extension code (RFC 6749 §8.5) reaches `OAuthError.code` as sent; it is outside
 * this type (compare it as `(e.code as string) === '...'`).
 */
export type ErrorCode = LibraryErrorCode | ServerErrorCode;

/**
 * Why a request failed on the wire (`network_error`): the connection was refused, the host name
 * did not resolve, the TLS handshake failed, no complete answer came in time, or the connection
 * was closed. Browsers do not tell these apart (their fetch rejects with one TypeError): 'unknown'
 * there, except for 'timeout', which the shim knows itself.
 */
export type NetworkErrorReason = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'unknown';

/**
 * The one error class. `code` is an RFC 6749 code sent by the server (`invalid_grant`,
 * `access_denied`, ...), one of the core's (`state_mismatch`, `iss_mismatch`, `id_token_invalid`,
 * `origin_not_allowed`, `login_required`, `session_expired`, ...) or one of the shim's.
 */
export class OAuthError extends Error {
  constructor(code: ErrorCode, description?: string, options?: {
    uri?: string; blame?: 'local' | 'remote'; status?: number; cause?: unknown; reason?: NetworkErrorReason | ''; url?: string;
  });
  /** Rebuilds an OAuthError from its plain form (as the worker sends it). */
  static from(error: {
    code: ErrorCode; description?: string; uri?: string; blame?: 'local' | 'remote'; status?: number; reason?: NetworkErrorReason | ''; url?: string;
  }): OAuthError;
  readonly name: 'OAuthError';
  readonly code: ErrorCode;
  readonly description: string;
  /** error_uri from the server, when it sent one. */
  readonly uri: string;
  /** Who is at fault: our caller/configuration ('local') or the server's answer ('remote'). */
  readonly blame: 'local' | 'remote';
  /**
   * The HTTP status involved, or 0. For `network_error`, the status that arrived before the body
   * failed, or 0 when no answer began (the request may never have reached the server).
   */
  readonly status: number;
  /** `network_error`: why the request failed; '' for every other code. */
  readonly reason: NetworkErrorReason | '';
  /** `network_error`: the request's URL without its query or fragment; '' for every other code. */
  readonly url: string;
}

/**
 * True when `e` is an OAuthError (of this realm's module) and, with `code`, has that code; narrows
 * `e.code` in TypeScript, and a misspelt code does not compile: `isOAuthError(e, 'session_expired')`.
 */
export function isOAuthError<C extends ErrorCode = ErrorCode>(e: unknown, code?: C): e is OAuthError & { readonly code: C };

export interface LoadOptions {
  /**
   * "sha384-..." (dist/manifest.json `wasm.integrity`; for the Node entry, `wasm_node.integrity`):
   * the wasm is hashed before it runs. Once the realm's core is loaded, a later call's integrity is
   * checked against the bytes it was compiled from (`wasm_integrity_mismatch` when the first load
   * streamed it without one). The session's worker checks the hash built into it in any case;
   * given to createClient, this names a worker of its own that checks both.
   */
  integrity?: string;
  /**
   * Where the .wasm lives (default: next to the module, via import.meta.url). Given to createClient
   * with a worker, it names a worker of its own, which still checks the bytes against its built-in hash.
   */
  wasmUrl?: string | URL;
  /** The .wasm bytes themselves (createClient: only with isolation 'none'; a worker loads its own). */
  wasmBytes?: BufferSource;
}

/** A core call's answer: its value, or the error as OAuthError.from takes it. */
export type CoreResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; description: string; uri: string; blame: 'local' | 'remote'; status: number } };
/** An integer: a client's handle (clientCreate's value), a byte count. */
export type CoreInt = number;
/** A time: finite seconds since the epoch. */
export type CoreSeconds = number;
/** An HTTP response as the core takes it; malformed parts are left out, and the core refuses it. */
export interface CoreResponse {
  status: number;
  headers: [string, string][];
  body: string;
}
/** clientTokenState's answer at `now`. refresh: the proactive refresh is due (a refresh token is held); refreshIn: the seconds until it is (at least 1), or null when none ever is. */
export interface CoreTokenState {
  authenticated: boolean;
  expiresAt: CoreSeconds | null;
  hasRefreshToken: boolean;
  refresh: boolean;
  refreshIn: number | null;
}
/** An RP-initiated logout request (OIDC RP-Initiated Logout §2), to carry as it is: by GET (`url`) or by a form POST to `action` with `params` in its body, in order. */
export interface CoreEndSessionRequest {
  url: string;
  action: string;
  params: [string, string][];
  state: string;
}

/**
 * The loaded wasm core of the browser's module: the calls bindings/*.cpp declare (web/core-abi.mjs
 * converts the arguments; tests/node/abi-declared.test.mjs holds the three lists to one another).
 * Strings are JSON where the name says so (config, options, records). For apps, the functions
 * above (createClient, generatePkce, ...) are the interface; these are the shim's.
 */
export interface Core {
  /** The client's handle and the discovery request (the first step). */
  clientCreate(configJson: string): CoreResult<{ handle: CoreInt; request: unknown }>;
  clientSetMetadata(handle: CoreInt, response: CoreResponse): CoreResult;
  clientAuthorize(handle: CoreInt, optionsJson: string, now: CoreSeconds): CoreResult;
  clientCallback(handle: CoreInt, url: string, transactionJson: string, now: CoreSeconds): CoreResult;
  clientResume(handle: CoreInt, response: CoreResponse, now: CoreSeconds): CoreResult;
  clientIsAuthenticated(handle: CoreInt, now: CoreSeconds): CoreResult<boolean>;
  clientUser(handle: CoreInt): CoreResult;
  clientAccessToken(handle: CoreInt, now: CoreSeconds): CoreResult;
  clientAuthorizeResource(handle: CoreInt, url: string, method: string, now: CoreSeconds): CoreResult;
  clientAcceptResourceResponse(handle: CoreInt, url: string, response: CoreResponse): CoreResult<boolean>;
  clientDpopState(handle: CoreInt): CoreResult;
  clientRefresh(handle: CoreInt, now: CoreSeconds): CoreResult;
  clientTokenState(handle: CoreInt, now: CoreSeconds): CoreResult<CoreTokenState>;
  clientRevocationRequests(handle: CoreInt): CoreResult;
  clientEndSessionRequest(handle: CoreInt, postLogoutRedirectUri: string, withIdTokenHint: boolean): CoreResult<CoreEndSessionRequest>;
  clientCheckEndSessionCallback(url: string, expectedState: string): CoreResult<boolean>;
  isInvalidTokenChallenge(header: string): CoreResult<boolean>;
  clientLogout(handle: CoreInt): CoreResult;
  clientUseDpopKey(handle: CoreInt, publicJwkJson: string): CoreResult;
  clientExportSession(handle: CoreInt, requireBound: boolean): CoreResult;
  clientRestoreSession(handle: CoreInt, recordJson: string): CoreResult;
  clientDestroy(handle: CoreInt): CoreResult;
  pkceChallenge(verifier: string, method: string): CoreResult<string>;
  generatePkce(): CoreResult<PkcePair>;
  errorCodes(): { code: string; meaning: string }[];
}

/**
 * Loads and instantiates the core once per page or worker. Its functions take strings of up to
 * 16 Mi UTF-16 code units and times as finite seconds (a RangeError otherwise). Like the other
 * functions that run the core in this realm (loadIsolatedCore, generatePkce, pkceChallenge,
 * errorCodes), it imports the loader and the glue when first called: a page that only creates a
 * client never loads them. The browser's core names its error texts (descriptions, errorCodes()'s
 * meanings) by markers, "\x01" and 6 hex digits: the other functions write them out, the Core's
 * own results keep them.
 */
export function loadCore(options?: LoadOptions): Promise<Core>;
/** A fresh, independent core instance, not the page's one (two clients kept apart, benchmarks). */
export function loadIsolatedCore(options?: LoadOptions): Promise<Core>;

export interface ClientOptions extends LoadOptions {
  /** The issuer identifier; discovery must return exactly this (RFC 8414 §3.3). */
  issuer: string;
  clientId: string;
  /** Exact redirect URI: the callback page (redirect login), and the popup's page unless popupRedirectUri is given. */
  redirectUri: string;
  /**
   * Exact redirect URI of popup logins (loginWithPopup): the page that calls postCallbackToOpener().
   * Registered with the server as well; a callback must come to the URI its login named.
   */
  popupRedirectUri?: string;
  /**
   * Exact redirect URI of the silent restore's hidden frame: a page that calls
   * deliverSilentCallback() (oauth-wasm/silent-callback), registered at the server beside
   * redirectUri and different from it. With it, restore() tries a hidden frame first.
   */
  silentRedirectUri?: string;
  /** Default scope of every login (default 'openid'). */
  scope?: string;
  /**
   * Default RFC 8707 resource indicators (absolute URIs) of every login and restore() (and, in
   * Node, of the device and client-credentials grants); a login's own `resource` replaces them.
   */
  resource?: string[];
  /** Origins (https, or http on loopback) that client.fetch may send the access token to. */
  apiOrigins?: string[];
  /** Allowed clock difference with the server, seconds (0..600, default 60). */
  clockSkew?: number;
  /** How long a started login stays valid, seconds (30..3600, default 600). */
  transactionTtl?: number;
  /**
   * The alg registered for this client's ID tokens (id_token_signed_response_alg): only it is
   * accepted, and the server must list it. Absent: the algs the server lists (RFC 8725 §3.1).
   */
  idTokenSigningAlg?: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA';
  /**
   * DPoP (RFC 9449): sender-constrained tokens bound to a P-256 key made per session in the core.
   * Absent: used when the server lists ES256 in dpop_signing_alg_values_supported; true: always;
   * false: never.
   */
  dpop?: boolean;
  /** Accept a Bearer token when DPoP was requested (default false: refused). */
  dpopAllowBearer?: boolean;
  /**
   * Keep the session across reloads (default false): the refresh token, only when it is DPoP-bound
   * to a non-extractable WebCrypto P-256 key, stored with that key in IndexedDB by the session
   * holder; never an access or ID token. After a reload one refresh brings the tokens back (the ID
   * token verified as at login). Rejects with persist_unsupported when the server does not offer
   * DPoP with ES256, with dpop: false or dpopAllowBearer, with a clientSecret, or without
   * IndexedDB/WebCrypto. Logout, session_expired and a refused record delete the entry.
   */
  persist?: boolean;
  /**
   * PAR (RFC 9126): push the authorization parameters, then navigate with client_id and request_uri
   * only. Absent: when the server has a pushed_authorization_request_endpoint; true: required;
   * false: never (a server that requires PAR then refuses the login).
   */
  par?: boolean;
  /**
   * Where the session (the core and its tokens) lives. 'shared-worker' (the default where
   * SharedWorker exists): one worker for all pages of the origin, which share one session and one
   * refresh. 'worker': a dedicated Worker per page (the default without SharedWorker). 'none': this
   * realm (the default in Node). In a browser 'none' must be asked for outright: the token requests
   * and responses are then strings in the page, where any script of the origin reads them; `fetch`,
   * `core`, `wasmBytes` or a browser without Worker reject with invalid_argument without it. Pages
   * created with the same settings share the session.
   */
  isolation?: 'shared-worker' | 'worker' | 'none';
  /**
   * getAccessToken() on (default true). false is the stronger setting: the session holder (the
   * worker) refuses the token to every page (invalid_argument), and it leaves only inside
   * client.fetch, to apiOrigins. A client created with true does not join a session made with false.
   */
  exposeAccessToken?: boolean;
  /** Refresh this many seconds before the access token expires, at most half its lifetime (default 60; an integer 0..86400, else invalid_argument). */
  refreshMargin?: number;
  /** Refresh on a timer before expiry (default true); off, a refresh happens when a call needs it. */
  autoRefresh?: boolean;
  /**
   * Retries of a refresh that got no answer (refused, DNS, TLS, reset or timed out before any HTTP
   * status), or 429 or 5xx: 0.5 s, 1 s, 2 s, jittered (default 3). A refresh whose answer had begun
   * (a status arrived, then the body failed) is not sent again: the server has seen that refresh
   * token, and a second use would make a rotating server revoke the grant. The session keeps its
   * tokens; the next refresh, when one is due, sends that refresh token again.
   */
  retries?: number;
  /** Milliseconds before a request to the server or an API is abandoned with network_error, reason 'timeout' (default 30000). */
  requestTimeout?: number;
  /** fetch used for the server's endpoints and client.fetch (default: globalThis.fetch). In a browser, needs isolation 'none'. */
  fetch?: typeof fetch;
  /** Where the redirect login keeps its one-trip transaction (default: sessionStorage). */
  storage?: Pick<Storage, 'length' | 'key' | 'getItem' | 'setItem' | 'removeItem'>;
  /** An already loaded core (loadCore / loadIsolatedCore of either entry). In a browser, needs isolation 'none'. */
  core?: Core;
  /**
   * For tests and simulations: the time and timers of this realm (default: the system's). The
   * page's own timers (the popup timeout, the silent frame's grace) use it; with isolation 'none'
   * (Node) so does the session: token expiry, the refresh timer, retry backoff, the silent
   * restore's timeout, the device flow's polls. A worker's session keeps the system's clock.
   */
  clock?: Clock;
}

/**
 * A clock (web/clock.mjs): now() in milliseconds since the epoch, as Date.now(), and timers that
 * run on it. A test passes one it moves itself, so nothing waits for real time.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LoginOptions {
  /** Overrides the client's scope for this login. */
  scope?: string;
  /** RFC 8707 resource indicators (absolute URIs). */
  resource?: string[];
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {});
  loginHint?: string;
  /** OIDC max_age, seconds. */
  maxAge?: number;
  /** More authorization request parameters; none of those the core sets itself. */
  extraParams?: Record<string, string>;
  /**
   * Bind the code to the session's DPoP key with dpop_jkt (RFC 9449 §10) when DPoP is in use.
   * Default true for popups; loginWithRedirect sets false (the key may not survive the page leaving).
   */
  bindDpopKey?: boolean;
}

export interface RedirectLoginOptions extends LoginOptions {
  /** Navigates to the authorization URL (default: location.assign). */
  openUrl?: (url: string) => void | Promise<void>;
}

export interface RestoreOptions extends RedirectLoginOptions {
  /**
   * When the silent frame cannot restore (login_required, interaction_required, consent_required,
   * account_selection_required, silent_frame_failed), or without silentRedirectUri: 'redirect'
   * (default) leaves once per tab for a top-level prompt=none trip that replaces the current
   * history entry; 'none' resolves false (signed out) and the page stays.
   */
  fallback?: 'redirect' | 'none';
  /** Milliseconds the silent frame has to answer before silent_frame_failed (default 5000). */
  silentTimeout?: number;
}

export interface PopupLoginOptions extends LoginOptions {
  /** Milliseconds before the login is abandoned with popup_timeout (default 300000). */
  timeout?: number;
  /** window.open features (default 'popup,width=500,height=650'). */
  popup?: string;
}

/** ID token claims, as verified by the core. */
export type User = { sub: string; [claim: string]: unknown };

export interface LoginResult {
  authenticated: true;
  /** Null when the login asked for no openid scope. */
  user: User | null;
  /** Access token expiry, seconds since the epoch; null when the server gave no expires_in. */
  expiresAt: number | null;
  scope: string;
}

export interface AccessToken {
  token: string;
  tokenType: string;
  /** Seconds since the epoch; null when the server gave no expires_in. */
  expiresAt: number | null;
}

export interface ServerSummary {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string;
  revocationEndpoint: string;
}

export interface LogoutOptions {
  /** Revoke the refresh and access tokens at the server (RFC 7009, best effort; default true). */
  revoke?: boolean;
  /** Leave for the server's end_session_endpoint (OIDC RP-Initiated Logout; default false). */
  endSession?: boolean;
  /** Where the server sends the browser back after endSession (registered with the server). */
  postLogoutRedirectUri?: string;
  /**
   * Send the ID token as id_token_hint too (default false). By default the page leaves for
   * end_session by GET with client_id and no hint (OIDC RP-Initiated Logout §2), which servers that
   * refuse POST there take too; with idTokenHint it leaves by a form POST, so the hint is not kept
   * in the browser's history, and a strict Content-Security-Policy then needs `form-action` to
   * allow the end_session origin.
   */
  idTokenHint?: boolean;
  /**
   * Receives the end_session request as a GET URL (id_token_hint in its query with idTokenHint)
   * and navigates itself, instead of location.assign or the form POST.
   */
  openUrl?: (url: string) => void | Promise<void>;
}

export interface ClientEvents {
  /** Also sent to the other pages sharing the session. */
  login: { user: User | null };
  logout: undefined;
  /** The refresh token was refused (invalid_grant, or a 400 or 401 answer): the tokens are gone; a new login works. */
  session_expired: OAuthError;
  /** The tokens were renewed by a refresh (on the timer, on demand or by client.refresh()); no token in it. */
  refresh: { expiresAt: number | null; scope: string };
  error: OAuthError;
}

export interface Client extends EventTarget {
  readonly metadata: ServerSummary;
  /** Starts an authorization-code + PKCE login by navigating the page away. */
  loginWithRedirect(options?: RedirectLoginOptions): Promise<void>;
  /** On the redirect URI page: finishes the login. Cleans the address bar whatever the outcome. */
  handleRedirectCallback(url?: string): Promise<LoginResult>;
  /**
   * After a reload: resolves true when the session is there (another page kept it). Otherwise,
   * with silentRedirectUri, a hidden frame asks the server with prompt=none (the page stays; one
   * attempt at a time, other tabs join it) and resolves true when it restored the session. When
   * that cannot work, or without silentRedirectUri, `fallback` decides: 'redirect' navigates once
   * per tab to the server with prompt=none (location.replace), to come back to the redirect URI
   * and then to this page; 'none' resolves false. Resolves false when this tab already tried
   * (stay logged out). Rejects when the frame's answer is refused (state_mismatch, iss_mismatch,
   * an invalid ID token, ...): no other attempt follows.
   */
  restore(options?: RestoreOptions): Promise<boolean>;
  /** Logs in through a popup; call it from a click handler. The page does not navigate. */
  loginWithPopup(options?: PopupLoginOptions): Promise<LoginResult>;
  /** True while the access token is valid or a refresh token can renew it. */
  isAuthenticated(): Promise<boolean>;
  getUser(): Promise<User | null>;
  /**
   * Escape hatch: the access token itself, refreshed first when due. Prefer client.fetch, which
   * sends it only to apiOrigins. Rejects with login_required or session_expired, and with
   * invalid_argument when the client was created with exposeAccessToken: false.
   */
  getAccessToken(): Promise<AccessToken>;
  /** Renews the tokens now; joins a refresh already running. */
  refresh(): Promise<LoginResult>;
  /**
   * fetch() with the Authorization header, for URLs on the configured API origins only; any other
   * origin rejects with origin_not_allowed before a request is made. Refreshes first when the token
   * is due; a 401 with `Bearer error="invalid_token"` is retried once after a refresh (not with a
   * ReadableStream body). Redirects are followed only within the origin, where visible (Node);
   * browsers hide them, so there any redirect rejects with unexpected_redirect. The session holder
   * makes the request: of `init`, only method, headers and body are carried (no `signal`).
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * Wipes the tokens, revokes them, and with endSession leaves for the server's logout. Without
   * endSession the server's session stays, and restore() on a later load signs the user back in.
   */
  logout(options?: LogoutOptions): Promise<void>;
  /** On the post-logout page: true when the state is ours; rejects with state_mismatch otherwise. */
  handleLogoutCallback(url?: string): Promise<true>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(type: K, listener: (detail: ClientEvents[K]) => void): () => void;
}

/** Loads the core, fetches the server's metadata once, and returns a client. */
export function createClient(options: ClientOptions): Promise<Client>;

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}
/** RFC 7636 PKCE pair made in the core. */
export function generatePkce(options?: LoadOptions): Promise<PkcePair>;
/** The S256 challenge of a verifier (only S256 is accepted). */
export function pkceChallenge(verifier: string, method?: 'S256', options?: LoadOptions): Promise<string>;
/** The core's table of its own error codes. */
export function errorCodes(options?: LoadOptions): Promise<{ code: LibraryErrorCode; meaning: string }[]>;
