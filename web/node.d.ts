// web/node.mjs: the same API for Node 20+, with the .wasm read from disk.
import type { Client, ClientOptions, Core, LoadOptions } from './index.js';

export { OAuthError } from './index.js';
export type * from './index.js';

export function loadCore(options?: LoadOptions): Promise<Core>;
/** A fresh, independent core instance. */
export function loadIsolatedCore(options?: LoadOptions): Promise<Core>;
/**
 * No sessionStorage or location in Node: pass `storage`, `loginWithRedirect({ openUrl })`, and the
 * callback URL to handleRedirectCallback.
 */
export function createClient(options: ClientOptions): Promise<Client>;
