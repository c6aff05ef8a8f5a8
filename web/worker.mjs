// The session holder of an origin's pages: a SharedWorker (a dedicated Worker per page where
// there is none) that loads the wasm core and performs every request for it, token requests and
// API calls alike, so the refresh token never enters a page. Sessions are keyed by the client's
// settings: pages created with the same settings share one session and one refresh.
// Started by createClient() as new SharedWorker(new URL('./worker.mjs', import.meta.url), ...).
import { loadCore } from './core-loader.mjs';
import { OAuthError } from './errors.mjs';
import { openSession } from './session.mjs';
import { eventMessage, serve } from './worker-protocol.mjs';

const sessions = new Map(); // settings JSON -> { ready: Promise<session>, ports: Set }

function accept(port) {
  let entry;
  serve(port, async (method, args) => {
    if (method === 'open') {
      const [settings, load] = args;
      const key = JSON.stringify(settings);
      entry = sessions.get(key);
      if (!entry) {
        const ports = new Set();
        const emit = (type, detail) => ports.forEach((p) => p.postMessage(eventMessage(type, detail)));
        entry = { ports, ready: loadCore(load).then((core) => openSession(core, settings, emit)) };
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
