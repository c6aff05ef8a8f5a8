// The backend's sessions: one client of the wasm core per browser session (web/session.mjs, the
// same session holder the browser uses), kept in this process's memory, and a record of each
// session in the store, sealed (web/backend/seal.mjs). Store keys hold hashes only, never the
// cookie's session id or a login's state:
//   s:<sha256(session id)>  the session: { user, expiresAt, gen, core }
//   t:<sha256(state)>       a login under way: { transaction, returnTo, binding }, used once
//   l:<sha256(session id)>  the lock of the session's refresh
//   o:<sha256(state)>       a logout under way (RP-initiated): its state, checked once at logged-out
//
// `core` in the record is the core's whole session record (clientExportServerSession: every
// token, the ID token's verified claims, the DPoP private key), so any process of the app serves
// any session: a process that does not hold the session yet restores it from the store
// (clientRestoreServerSession). `gen` counts the session's token sets; a refresh holds the
// store's lock and writes the next gen, so that one refresh runs per session across processes
// and every process takes up the refreshed tokens instead of refreshing again.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError, unwrap } from '../errors.mjs';
import { EXTEND, REFRESH, openSession } from '../session.mjs';
import { realClock, seconds } from '../clock.mjs';
import { sleep } from '../sleep.mjs';

// The core judges tokens and signs DPoP proofs on the system time, and the store's locks expire
// on it; the backend's own schedule runs on `clock` (a test moves it).
const realNow = () => seconds(realClock);
const hash = (text) => createHash('sha256').update(text).digest('base64url');
const randomId = () => randomBytes(32).toString('base64url');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const same = (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

// Any failure of the store is this one error: 503, the session untouched.
function guardStore(store) {
  const guarded = {};
  for (const name of ['get', 'set', 'delete', 'take', 'lock', 'unlock']) {
    guarded[name] = async (...args) => {
      try {
        return await store[name](...args);
      } catch (e) {
        throw Object.assign(new OAuthError('network_error', 'the session store did not answer', { blame: 'local', cause: e }), { httpStatus: 503 });
      }
    };
  }
  return guarded;
}

export function createSessions({
  core, config, store, sealer, clock, sessionTtl, transactionTtl, lockTtl, postLogoutRedirectUri,
}) {
  const db = guardStore(store);
  const live = new Map(); // store key → { session, id, gen, expiresAt, refreshing }
  const taking = new Map(); // store key → promise of the entry being taken up from the store
  let starter; // the client that starts logins: a login's transaction travels in the store
  let swept = clock();

  async function openClient() {
    let handle;
    const session = await openSession(core, { ...config, autoRefresh: false, [EXTEND]: (s) => { handle = s.id; } });
    return { session, id: handle };
  }
  const drop = (key) => {
    const entry = live.get(key);
    live.delete(key);
    if (entry) core.clientDestroy(entry.id);
  };
  // Sessions past their lifetime leave this process's memory, at most once a minute.
  function sweep() {
    if (clock() - swept < 60) return;
    swept = clock();
    for (const [key, entry] of live) if (entry.expiresAt <= swept) drop(key);
  }

  const read = async (name) => sealer.open(name, await db.get(name));
  const record = (entry) => ({
    user: entry.user, expiresAt: entry.expiresAt, gen: entry.gen, core: unwrap(core.clientExportServerSession(entry.id)),
  });
  const save = (key, entry) => db.set(`s:${key}`, sealer.seal(`s:${key}`, record(entry)), Math.max(1, entry.expiresAt - clock()));
  const adopt = (entry, rec) => {
    unwrap(core.clientRestoreServerSession(entry.id, rec.core));
    entry.gen = rec.gen;
    stamp(entry);
  };

  // A session this process does not hold yet (its login finished elsewhere): a client of its own,
  // given the record's tokens.
  async function takeUp(key, rec) {
    const client = await openClient();
    try {
      const entry = { ...client, gen: 0, user: rec.user, expiresAt: rec.expiresAt, refreshing: null };
      adopt(entry, rec);
      live.set(key, entry);
      return entry;
    } catch (e) {
      core.clientDestroy(client.id);
      throw e;
    }
  }

  // When a token set arrives, the time (on `clock`) at which it is due for a refresh, as the core
  // says (its refreshMargin before expiry, at most half the lifetime; never: none is timed). The
  // core judges on the system time; the backend's schedule runs on `clock`, so the core's answer
  // is taken as seconds from now and counted on `clock`.
  function stamp(entry) {
    const s = unwrap(core.clientTokenState(entry.id, realNow()));
    entry.dueAt = s.refresh ? clock() : s.refreshIn === null ? Infinity : clock() + s.refreshIn;
  }
  function due(entry) {
    const s = unwrap(core.clientTokenState(entry.id, realNow()));
    return s.hasRefreshToken && (!s.authenticated || clock() >= entry.dueAt);
  }

  // The record a redirect back from the authorization server names by its `state` (`prefix`: t
  // for a login, o for a logout), taken from the store once (a replayed state finds none), and
  // only for the browser that left: the cookie's `binding` matches.
  async function takeByState(prefix, url, binding, what) {
    let state = null;
    try {
      state = new URL(url).searchParams.get('state');
    } catch { /* refused below */ }
    const name = `${prefix}:${hash(state ?? '')}`;
    const found = state ? sealer.open(name, await db.take(name)) : null;
    if (!found) throw new OAuthError('state_mismatch', `the ${what} state matches no ${what} this backend started (forged, replayed or expired)`);
    if (!same(hash(binding ?? ''), found.binding)) throw new OAuthError('state_mismatch', `the ${what} was started in another browser`);
    return found;
  }

  async function end(key) {
    drop(key);
    await db.delete(`s:${key}`);
  }

  // One refresh at a time per session: in this process by a shared promise, across processes by
  // the store's lock. Only while `needed()` (by default: the token is due) once the newest tokens
  // in the store are taken up: another process may have refreshed meanwhile (a newer gen), and its
  // tokens are used instead. A refused refresh token ends the session; any other failure keeps it.
  async function refreshShared(key, entry, needed) {
    const lockName = `l:${key}`;
    const deadline = Date.now() + lockTtl;
    for (;;) {
      const token = await db.lock(lockName, lockTtl);
      if (token) {
        try {
          const rec = await read(`s:${key}`);
          if (!rec) throw new OAuthError('login_required', 'the session is over');
          if (rec.gen > entry.gen) adopt(entry, rec);
          if (!needed()) return; // refreshed by another process meanwhile
          await entry.session.refresh();
          entry.gen = rec.gen + 1;
          stamp(entry);
          await save(key, entry);
          return;
        } finally {
          await db.unlock(lockName, token).catch(() => {});
        }
      }
      if (Date.now() > deadline) {
        throw Object.assign(new OAuthError('network_error', 'another process held the session\'s refresh too long', { blame: 'local' }), { httpStatus: 503 });
      }
      await sleep(realClock, 20);
      const rec = await read(`s:${key}`);
      if (!rec) throw new OAuthError('login_required', 'the session is over');
      if (rec.gen > entry.gen) {
        adopt(entry, rec);
        if (!needed()) return;
      }
    }
  }

  // This process refreshed, but the store failed to take the new tokens and still holds the spent
  // refresh token: they are stored now, under the lock, so that no process refreshes with it.
  async function catchUp(key, entry) {
    const token = await db.lock(`l:${key}`, lockTtl);
    if (!token) return; // a refresh is under way: it stores its tokens
    try {
      const rec = await read(`s:${key}`);
      if (rec && rec.gen < entry.gen) await save(key, entry);
    } finally {
      await db.unlock(`l:${key}`, token).catch(() => {});
    }
  }

  // A caller that finds a refresh in flight in this process joins it; one with a reason of its
  // own (`needed` given: the API refused the token it sent) checks again once it is over.
  function refresh(key, entry, needed) {
    if (entry.refreshing) {
      return needed ? entry.refreshing.then(() => (needed() ? refresh(key, entry, needed) : undefined)) : entry.refreshing;
    }
    entry.refreshing = refreshShared(key, entry, needed ?? (() => due(entry)))
      .catch(async (e) => {
        if (e.code === 'session_expired' || e.code === 'login_required') await end(key).catch(() => {});
        throw e;
      })
      .finally(() => { entry.refreshing = null; });
    return entry.refreshing;
  }

  return {
    // A login starts: the authorization URL, and `binding`, the value of the transaction cookie.
    async begin({ returnTo }) {
      starter ??= openClient().catch((e) => {
        starter = null;
        throw e;
      });
      const { session } = await starter;
      // The callback is redeemed by another client (the new session's, maybe in another
      // process): the code is not bound to this one's DPoP key (RFC 9449 §10); the tokens are.
      const { url, state, transaction } = await session.authorize({ bindDpopKey: false }, { redirect: true });
      const binding = randomId();
      const name = `t:${hash(state)}`;
      // Kept a minute past its lifetime, so that a late callback is told transaction_expired.
      await db.set(name, sealer.seal(name, { transaction, returnTo, binding: hash(binding), until: clock() + transactionTtl }), transactionTtl + 60);
      return { url, binding };
    },

    // The callback: its transaction is taken from the store (a replayed state finds none), it
    // must come from the browser that started the login, and the core redeems the code. A new
    // session id every time.
    async finish(url, binding) {
      const tx = await takeByState('t', url, binding, 'login');
      if (clock() >= tx.until) throw new OAuthError('transaction_expired', 'the login took longer than transactionTtl');
      const client = await openClient();
      const entry = { ...client, gen: 1, user: null, expiresAt: clock() + sessionTtl, refreshing: null };
      const sid = randomId();
      try {
        entry.user = (await client.session.callback(url, tx.transaction)).user ?? null;
        stamp(entry);
        await save(hash(sid), entry);
      } catch (e) {
        core.clientDestroy(client.id);
        throw e;
      }
      live.set(hash(sid), entry);
      return { sid, user: entry.user, returnTo: tx.returnTo };
    },

    // The session of a cookie's id, { key, entry, user }, or null: a malformed or unknown id, a
    // record the store lost or that does not open, a session past its lifetime (all logged out).
    // A session this process does not hold yet is restored from its record.
    async find(sid) {
      sweep();
      if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return null;
      const key = hash(sid);
      const rec = await read(`s:${key}`);
      const entry = live.get(key);
      if (!rec || rec.expiresAt <= clock()) {
        drop(key);
        return null;
      }
      if (entry) {
        if (rec.gen > entry.gen && !entry.refreshing) adopt(entry, rec);
        else if (rec.gen < entry.gen && !entry.refreshing) await catchUp(key, entry);
        return { key, entry, user: entry.user };
      }
      if (!taking.has(key)) taking.set(key, takeUp(key, rec).finally(() => taking.delete(key)));
      try {
        const taken = await taking.get(key);
        return { key, entry: taken, user: taken.user };
      } catch (e) {
        // A record the core refuses (another client's, another version): signed out here, as a
        // record sealed with another key is; the record stays for the processes it belongs to.
        if (!['session_record_invalid', 'session_record_foreign'].includes(e.code)) throw e;
        return null;
      }
    },

    // Refreshes first when the access token is due (within refreshMargin of its expiry).
    async ready({ key, entry }) {
      if (due(entry)) await refresh(key, entry);
    },
    refresh: ({ key, entry }) => refresh(key, entry),

    // Calls the API for the session. The session holder answers a DPoP nonce challenge itself, and
    // when the API refuses the token (401 invalid_token), or finds it expired, refreshes once and
    // retries: that refresh is this backend's, under the store's lock, and needed only while the
    // session's tokens are still those of the call's gen (another process's newer ones will do).
    async fetch({ key, entry }, request) {
      const sent = entry.gen;
      try {
        return await entry.session.fetch(request, { [REFRESH]: () => refresh(key, entry, () => entry.gen <= sent) });
      } catch (e) {
        if (e.code === 'session_expired') await end(key).catch(() => {});
        throw e;
      }
    },

    // Ends the session here and in the store; revokes its tokens (RFC 7009, best effort) and,
    // with endSession, returns the end_session request (OIDC RP-Initiated Logout) for the browser,
    // as the core gives it (`url`, for a GET: it carries no secret, so the browser leaves by GET,
    // which every server takes), and `binding`, the value of the logout cookie: the request's
    // state is kept for loggedOut().
    async logout(sid, { endSession = false } = {}) {
      if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return undefined;
      const found = await this.find(sid); // the store unreachable: nothing is touched
      const key = hash(sid);
      await db.delete(`s:${key}`);
      // No id_token_hint: the URL goes to the browser, and the ID token never does.
      const end = found?.entry && await found.entry.session.logout({ revoke: true, endSession, postLogoutRedirectUri, idTokenHint: false })
        .catch(() => undefined);
      drop(key);
      if (!end?.url) return undefined;
      const binding = randomId();
      const name = `o:${hash(end.state)}`;
      await db.set(name, sealer.seal(name, { state: end.state, binding: hash(binding) }), transactionTtl);
      return { url: end.url, binding };
    },

    // The server's redirect after an RP-initiated logout: the state this backend sent, once, to
    // the browser that left (state_mismatch otherwise), as the core checks it (OIDC RP-Initiated
    // Logout §3: state).
    async loggedOut(url, binding) {
      const out = await takeByState('o', url, binding, 'logout');
      unwrap(core.clientCheckEndSessionCallback(url, out.state));
    },

    // This process stops: its sessions' clients go (the sessions stay in the store).
    async close() {
      for (const key of [...live.keys()]) drop(key);
    },
  };
}
