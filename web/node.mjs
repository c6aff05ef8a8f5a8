// oauth-wasm for Node 20+: the same core, with the .wasm read from disk.
import { readFile } from 'node:fs/promises';
import { createClient as createClientWith } from './client.mjs';
import { loadCore as loadCoreIn, loadIsolatedCore as loadIsolatedIn } from './core-loader.mjs';
import { attachGrants } from './grants.mjs';
import { EXTEND } from './session.mjs';

const wasmFile = new URL('./oauth-wasm-core.wasm', import.meta.url);

export { OAuthError } from './errors.mjs';
export async function loadCore(options = {}) {
  return loadCoreIn({ ...options, wasmBytes: options.wasmBytes ?? (await readFile(wasmFile)) });
}
export async function loadIsolatedCore(options = {}) {
  return loadIsolatedIn({ ...options, wasmBytes: options.wasmBytes ?? (await readFile(wasmFile)) });
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
  return session ? attachGrants(client, session) : client;
}
