// The persisted session's one IndexedDB entry, read and written by the session holder (the
// worker) only: { privateKey: a non-extractable CryptoKey, jwk: its public JWK, record: the core's session
// record (refresh token, no access or ID token) }. Keyed by issuer, client and redirect URI.
import { OAuthError } from './errors.mjs';

const DB = 'oauth-wasm';
const STORE = 'sessions';

const failed = (what, cause) => new OAuthError('persist_store_failed', `IndexedDB ${what} failed`, { cause });

function settle(request, what) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(failed(what, request.error));
  });
}

export function persistStore(name, idb = globalThis.indexedDB) {
  if (!idb) throw new OAuthError('persist_unsupported', 'persist needs IndexedDB, which this runtime lacks');
  let db;
  const open = () => {
    if (db) return db;
    const request = idb.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    db = settle(request, 'open');
    db.catch(() => { db = undefined; });
    return db;
  };
  const run = async (mode, what, fn) => {
    const store = (await open()).transaction(STORE, mode).objectStore(STORE);
    return settle(fn(store), what);
  };
  return {
    get: () => run('readonly', 'read', (s) => s.get(name)),
    put: (entry) => run('readwrite', 'write', (s) => s.put(entry, name)),
    delete: () => run('readwrite', 'delete', (s) => s.delete(name)),
  };
}
