// oauth-wasm: the browser entry. The security-critical work happens in the wasm core; this
// module only carries requests, redirects and storage for it.
// What a page imports statically is the thin client (web/client.mjs), which talks to the session's
// worker; the core's loader, its glue and the session code load in that worker. The functions
// below that run the core in this realm import them when first called.
export { createClient } from './client.mjs';
export { OAuthError, isOAuthError } from './errors.mjs';

const later = (name) => async (...args) => (await import('./in-page.mjs'))[name](...args);

export const loadCore = later('loadCore');
export const loadIsolatedCore = later('loadIsolatedCore');
export const generatePkce = later('generatePkce');
export const pkceChallenge = later('pkceChallenge');
export const errorCodes = later('errorCodes');
