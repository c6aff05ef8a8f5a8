// The session holder of an origin's pages: a SharedWorker (a dedicated Worker per page where
// there is none) that loads the wasm core and performs every request for it, token requests and
// API calls alike, so the refresh token never enters a page. Sessions are keyed by the client's
// settings: pages created with the same settings share one session and one refresh.
// Started by createClient() as new SharedWorker(new URL('./worker.mjs', import.meta.url), ...).
//
// The worker decides which wasm it runs: the oauth-wasm-core.wasm next to it (or the app's
// self-hosted copy its name gives, web/worker-protocol.mjs), hashed before it is compiled and
// refused unless it matches the hash written into this script when dist/ was assembled (and the
// app's own integrity, when its name carries one). No page can hand it bytes or a URL.
import { loadCore } from './core-loader.mjs';
import { OAuthError } from './errors.mjs';
import { openSession } from './session.mjs';
import { eventMessage, serve, workerLoad } from './worker-protocol.mjs';

/* global OAUTH_WASM_INTEGRITY */
// scripts/bundle-shim.mjs defines it as the SRI hash of dist/oauth-wasm-core.wasm; web/ has none.
const BUILT_INTEGRITY = typeof OAUTH_WASM_INTEGRITY === 'string' ? OAUTH_WASM_INTEGRITY : '';

const sessions = new Map(); // settings JSON -> { ready: Promise<session>, ports: Set }

function loadOwnCore() {
  const { wasmUrl, integrity } = workerLoad(globalThis.name ?? '');
  const hashes = [BUILT_INTEGRITY, integrity].filter(Boolean);
  if (!hashes.length) {
    throw new OAuthError('wasm_integrity_mismatch', 'this worker script carries no hash of its wasm (dist/worker.mjs does; ' +
      'web/worker.mjs is its unassembled source): pass integrity');
  }
  return loadCore({ wasmUrl, integrity: hashes });
}

function accept(port) {
  let entry;
  serve(port, async (method, args) => {
    if (method === 'open') {
      const [settings] = args; // anything more a page sends is not read
      const key = JSON.stringify(settings);
      entry = sessions.get(key);
      if (!entry) {
        const ports = new Set();
        const emit = (type, detail) => ports.forEach((p) => p.postMessage(eventMessage(type, detail)));
        entry = { ports, ready: (async () => openSession(await loadOwnCore(), settings, emit))() };
        entry.ready.catch(() => sessions.delete(key));
        sessions.set(key, entry);
      }
      const { ports } = entry;
      ports.add(port);
      port.addEventListener?.('close', () => ports.delete(port)); // MessagePort close event, where supported
      return (await entry.ready).metadata;
    }
    const session = await entry?.ready;
    if (!session || method === 'metadata' || !Object.hasOwn(session, method)) throw new OAuthError('invalid_argument', `no call ${method}`);
    const result = await session[method](...args);
    if (!(result instanceof Response)) return result;
    return {
      status: result.status, statusText: result.statusText, url: result.url,
      headers: [...result.headers], body: await result.arrayBuffer(),
    };
  });
}

// A SharedWorker gets a port per connecting client; a page's dedicated worker gets one per client
// through postMessage.
globalThis[('onconnect' in globalThis) ? 'onconnect' : 'onmessage'] = (event) => accept(event.ports[0]);
