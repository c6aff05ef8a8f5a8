// createClient({ persist: true }): the session's refresh token kept across reloads, only when it
// is sender-constrained. The DPoP key is a non-extractable WebCrypto key (web/dpop-webcrypto.mjs)
// stored beside the core's session record in IndexedDB (web/persist-store.mjs); a public client's
// refresh token is bound to that key (RFC 9449 §5), so a copy of the stored bytes cannot be used
// without this browser profile's key, and page script never sees either (they live in the worker).
// The core decides: it validates a stored record (issuer, client, format, key thumbprint), builds
// every proof, and refuses to export a record that is not DPoP-bound (persist_unsupported).
//
// Several session holders of one origin (dedicated workers, or pages with isolation 'none') share
// the entry: each refresh runs under a Web Lock and first adopts a record another holder wrote
// (its rotated refresh token), so a spent refresh token is never sent. Holders of one
// SharedWorker share one session and one refresh anyway.
import { OAuthError, unwrap } from './errors.mjs';
import { completeDpopHeaders, newDpopKey } from './dpop-webcrypto.mjs';
import { persistStore } from './persist-store.mjs';

export function checkPersistable(config, dpopEnabled) {
  const refuse = (why) => { throw new OAuthError('persist_unsupported', why); };
  if (!globalThis.crypto?.subtle) refuse('persist needs WebCrypto, which this runtime lacks');
  if (config.clientSecret) refuse('a confidential client\'s refresh token is not bound to a DPoP key (RFC 9449 §5)');
  if (config.dpop === false || config.dpopAllowBearer) refuse('persist needs DPoP-bound tokens: dpop off or dpopAllowBearer on');
  if (!dpopEnabled) refuse('the server does not offer DPoP with ES256, so the refresh token would not be bound');
}

export async function openPersistence(core, id, config, { store, subtle = globalThis.crypto?.subtle, locks = globalThis.navigator?.locks } = {}) {
  checkPersistable(config, unwrap(core.clientDpopState(id)).enabled);
  const name = JSON.stringify([config.issuer, config.clientId, config.redirectUri ?? '']);
  store ??= persistStore(name);
  let key; // { privateKey, jwk } of the core's session key
  let held = null; // the record text this holder last read or wrote

  const install = ({ privateKey, jwk }) => {
    unwrap(core.clientUseDpopKey(id, jwk)); // the core checks the JWK and computes its thumbprint
    key = { privateKey, jwk };
  };
  const fresh = async () => install(await newDpopKey(subtle)); // kept in memory until a record is saved

  // Deletes the entry (unless another holder has since stored its own key there: `all` deletes
  // that too) and starts over with a new key.
  async function forget(all = false) {
    held = null;
    const current = await store.get().catch(() => null);
    if (current !== undefined && (all || current?.jwk === key?.jwk)) await store.delete();
    unwrap(core.clientLogout(id));
    await fresh();
  }

  // A stored key is used only with the record it came with (this file writes them together). A
  // key alone was planted: script of the origin can import bytes it knows as a non-extractable
  // key, and the next login's tokens would be bound to it, so a copy of their record would work
  // anywhere. Such an entry goes, and a fresh key is made here.
  const entry = await store.get();
  let restorable = Boolean(entry && typeof entry === 'object' && entry.privateKey && typeof entry.jwk === 'string' &&
    typeof entry.record === 'string');
  if (restorable) {
    try {
      install(entry);
    } catch {
      restorable = false;
      await forget(true); // a tampered key: a clean signed-out state
    }
  } else {
    if (entry !== undefined) await store.delete();
    await fresh();
  }

  return {
    // A stored session waits to be restored by the first refresh.
    hasRecord: restorable,

    sign: async (request) => ({ ...request, headers: await completeDpopHeaders(key.privateKey, request.headers, subtle) }),
    signHeaders: (headers) => completeDpopHeaders(key.privateKey, headers, subtle),

    exclusive: (fn) => (locks ? locks.request(`oauth-wasm.persist ${name}`, fn) : fn()),

    // Before a refresh: brings in the stored record when it is not the one held (another holder
    // rotated the refresh token, or this holder has not restored yet). A record the core refuses
    // (malformed, foreign, another key) is deleted: the session is then signed out.
    async adopt() {
      const current = await store.get();
      if (!current || typeof current.record !== 'string' || current.record === held) return;
      try {
        if (current.jwk !== key.jwk) {
          unwrap(core.clientLogout(id));
          install(current);
        }
        unwrap(core.clientRestoreSession(id, current.record));
        // Only a DPoP-bound record is kept here, so only one is taken up: the core's export refuses
        // an unbound one (persist_unsupported), such as a planted Bearer refresh token of another
        // account, which would sign this browser into that account.
        unwrap(core.clientExportSession(id, true));
        held = current.record;
      } catch (e) {
        await forget();
        throw e;
      }
    },

    // After tokens arrived: the new record (a rotated refresh token), or none when the core
    // refuses to make one (persist_unsupported: the session stays in memory only).
    async save() {
      const record = core.clientExportSession(id, true);
      if (!record.ok) {
        if (record.error.code === 'persist_unsupported') await store.delete();
        return record.error.code === 'persist_unsupported' ? OAuthError.from(record.error) : undefined;
      }
      await store.put({ privateKey: key.privateKey, jwk: key.jwk, record: record.value });
      held = record.value;
      return undefined;
    },

    forget,
  };
}
