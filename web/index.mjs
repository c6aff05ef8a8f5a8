// oauth-wasm: the browser entry. The security-critical work happens in the wasm core; this
// module only carries requests, redirects and storage for it.
export { createClient } from './client.mjs';
export { OAuthError, isOAuthError } from './errors.mjs';
export { loadCore, loadIsolatedCore } from './core-loader.mjs';
export { generatePkce, pkceChallenge, errorCodes } from './pkce.mjs';
