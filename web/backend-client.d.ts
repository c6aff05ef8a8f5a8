// web/backend-client.mjs (oauth-wasm/backend): the page's side of createBackend. No wasm, no
// worker, no token in the page.
import type { OAuthError } from './index.js';

export interface BackendClientOptions {
  /** Where the backend's routes live (default '/auth', on this origin). */
  backend?: string;
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

export interface BackendClientEvents {
  login: { user: Record<string, unknown> };
  logout: undefined;
  session_expired: OAuthError;
  error: OAuthError;
}

export interface BackendClient {
  /** Leaves for the backend's login route; the browser comes back to `returnTo` (this page) signed in. */
  loginWithRedirect(options?: { returnTo?: string; openUrl?: (url: string) => unknown }): Promise<void>;
  /** Nothing to take from the URL (the backend took the callback): { user } when signed in, else login_required. */
  handleRedirectCallback(): Promise<{ user: Record<string, unknown> }>;
  /** Whether the backend holds a session for this browser (the same as isAuthenticated). */
  restore(): Promise<boolean>;
  isAuthenticated(): Promise<boolean>;
  /** The ID token's claims, verified by the backend; null when signed out. */
  getUser(): Promise<Record<string, unknown> | null>;
  /** Always rejects: the tokens stay on the server. */
  getAccessToken(): Promise<never>;
  /** fetch() through the backend's proxy, which adds the token for its API origins only. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Ends the session (the backend revokes the tokens); endSession: true also ends the server's. */
  logout(options?: { endSession?: boolean; openUrl?: (url: string) => unknown }): Promise<void>;
  on<K extends keyof BackendClientEvents>(type: K, listener: (detail: BackendClientEvents[K]) => void): () => void;
}

export function createClient(options?: BackendClientOptions): BackendClient;
