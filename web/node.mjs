// oauth-wasm for Node 20+: the core with the grants (oauth-wasm-core-node, which the browser's
// module leaves out), with the .wasm read from disk.
import { readFile } from 'node:fs/promises';
import { createClient as createClientWith } from './client.mjs';
import { loadCoreWith, instantiate } from './core-loader.mjs';
import createNodeCore from './oauth-wasm-core-node.mjs';
import { attachGrants } from './grants.mjs';
import { attachSessionRecord } from './node-session-record.mjs';
import { EXTEND } from './session.mjs';
import { OAuthError } from './errors.mjs';
import { createBackendWith } from './backend/handler.mjs';

const wasmFile = new URL('./oauth-wasm-core-node.wasm', import.meta.url);

export { OAuthError, isOAuthError } from './errors.mjs';
export { createMemoryStore } from './backend/store-memory.mjs';
export { createRedisStore } from './backend/store-redis.mjs';
export { fastifyBackend } from './backend/adapters.mjs';
// The realm's one core (web/pkce.mjs and web/client.mjs find it too). Refused when the browser's
// module, loaded first through the browser entry, already holds that place: it has no grants.
export async function loadCore(options = {}) {
  const core = await loadCoreWith(createNodeCore, { ...options, wasmBytes: options.wasmBytes ?? (await readFile(wasmFile)) });
  if (typeof core.clientCredentials !== 'function') {
    throw new OAuthError('wasm_load_failed', 'the browser entry loaded its core first in this realm; load the Node entry first');
  }
  return core;
}
export async function loadIsolatedCore(options = {}) {
  return instantiate(createNodeCore, { ...options, wasmBytes: options.wasmBytes ?? (await readFile(wasmFile)) });
}
// No sessionStorage or location here: pass `storage` and `loginWithRedirect({ openUrl })`, and
// give handleRedirectCallback the callback URL. With `clientSecret` the client is confidential.
// The client also has the grants without a browser: loginWithClientCredentials() and
// loginWithDeviceCode() (web/grants.mjs).
export async function createClient(options = {}) {
  let session;
  const client = await createClientWith({
    ...options, core: options.core ?? (await loadCore(options)), [EXTEND]: (s) => { session = s; },
  });
  return session ? attachSessionRecord(attachGrants(client, session), session) : client;
}

// The backend-for-frontend (web/backend/handler.mjs): a (req, res[, next]) handler that keeps the
// tokens on the server and gives the browser a session cookie.
export function createBackend(options) {
  return createBackendWith(loadCore, options);
}
