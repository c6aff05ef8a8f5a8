// What runs the core in the calling realm rather than in the session's worker: isolation 'none'
// (web/client.mjs) and the browser entry's loadCore and PKCE helpers (web/index.mjs) import it
// when first needed, so a page that only talks to the worker never loads the glue or the session.
export { openSession } from './session.mjs';
export { loadCore, loadIsolatedCore } from './core-loader.mjs';
export { generatePkce, pkceChallenge, errorCodes } from './pkce.mjs';
