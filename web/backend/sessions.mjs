// The backend's sessions: one client of the wasm core per browser session (web/session.mjs, the
// same session holder the browser uses), kept in this process's memory, and a record of each
// session in the store, sealed (web/backend/seal.mjs). Store keys hold hashes only, never the
// cookie's session id or a login's state:
//   s:<sha256(session id)>  the session: { user, expiresAt, gen, core }
//   t:<sha256(state)>       a login under way: { transaction, returnTo, binding }, used once
//   l:<sha256(session id)>  the lock of the session's refresh
//
// `core` in the record is the core's session record (its tokens, DPoP key and ID token claims)
// when the core can hand it out (clientExportSession / clientImportSession): another process
// then takes the session up from the store, and a refresh holds the store's lock, so that one
// refresh runs per session across processes. Without that API a session's tokens live only in
// the process that completed its login; another process answers login_required for it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError, unwrap } from '../errors.mjs';
import { EXTEND, openSession } from '../session.mjs';
import { realClock, seconds } from '../clock.mjs';
import { sleep } from '../sleep.mjs';

// The core judges tokens and signs DPoP proofs on the system time, and the store's locks and
// heartbeat expire on it; the backend's own schedule runs on `clock` (a test moves it).
const realNow = () => seconds(realClock);
const hash = (text) => createHash('sha256').update(text).digest('base64url');
const randomId = () => randomBytes(32).toString('base64url');
const HEARTBEAT = 30; // seconds
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
  core, config, store, sealer, clock, sessionTtl, transactionTtl, refreshMargin, lockTtl, postLogoutRedirectUri,
}) {
  const db = guardStore(store);
  const live = new Map(); // store key → { session, id, gen, expiresAt, refreshing }
  const taking = new Map(); // store key → promise of the entry being taken up from the store
  const portable = typeof core.clientExportSession === 'function' && typeof core.clientImportSession === 'function';
  let starter; // the client that starts logins: a login's transaction travels in the store
  let swept = clock();
  // This process, for the records of the sessions whose tokens it holds; its heartbeat in the
  // store says it is alive.
  const instance = randomId();
  let beating = null;
  const beat = () => db.set(`i:${instance}`, '1', HEARTBEAT * 3);
  function heartbeat() {
    if (beating) return;
    beating = setInterval(() => beat().catch(() => {}), HEARTBEAT * 1000);
    beating.unref?.();
  }

  async function openClient() {
    let handle;
    const session = await openSession(core, { ...config, autoRefresh: false, refreshMargin: 0, [EXTEND]: (s) => { handle = s.id; } });
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
    owner: instance,
    user: entry.user, expiresAt: entry.expiresAt, gen: entry.gen, core: portable ? unwrap(core.clientExportSession(entry.id)) : null,
  });
  const save = (key, entry) => db.set(`s:${key}`, sealer.seal(`s:${key}`, record(entry)), Math.max(1, entry.expiresAt - clock()));
  const adopt = (entry, rec) => {
    unwrap(core.clientImportSession(entry.id, JSON.stringify(rec.core), realNow()));
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

  // When a token set arrives, the time (on `clock`) at which it is due for a refresh:
  // refreshMargin before its expiry, or half its lifetime for short-lived tokens. (The core
  // judges expiry on the system clock, the backend's schedule runs on `clock`.)
  function stamp(entry) {
    const t = realNow();
    const s = unwrap(core.clientTokenState(entry.id, t));
    const left = s.expiresAt === null ? Infinity : s.expiresAt - t;
    entry.dueAt = clock() + left - Math.min(refreshMargin, left / 2);
  }
  function due(entry) {
    const s = unwrap(core.clientTokenState(entry.id, realNow()));
    return s.hasRefreshToken && (!s.authenticated || clock() >= entry.dueAt);
  }

  async function end(key) {
    drop(key);
    await db.delete(`s:${key}`);
  }

  // One refresh at a time per session: in this process by a shared promise, across processes by
  // the store's lock (when the record carries the tokens). A refused refresh token ends the
  // session; any other failure keeps it.
  async function refreshShared(key, entry) {
    const lockName = `l:${key}`;
    const deadline = Date.now() + lockTtl;
    for (;;) {
      const token = await db.lock(lockName, lockTtl);
      if (token) {
        try {
          const rec = await read(`s:${key}`);
          if (!rec) throw new OAuthError('login_required', 'the session is over');
          if (rec.gen > entry.gen) adopt(entry, rec);
          if (!due(entry)) return; // refreshed by another process meanwhile
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
        if (!due(entry)) return;
      }
    }
  }

  function refresh(key, entry) {
    entry.refreshing ??= (portable ? refreshShared(key, entry) : entry.session.refresh().then(() => { entry.gen++; stamp(entry); }))
      .catch(async (e) => {
        if (e.code === 'session_expired' || e.code === 'login_required') await end(key).catch(() => {});
        throw e;
      })
      .finally(() => { entry.refreshing = null; });
    return entry.refreshing;
  }

  return {
    portable,

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
      await db.set(name, sealer.seal(name, { transaction, returnTo, binding: hash(binding) }), transactionTtl);
      return { url, binding };
    },

    // The callback: its transaction is taken from the store (a replayed state finds none), it
    // must come from the browser that started the login, and the core redeems the code. A new
    // session id every time.
    async finish(url, binding) {
      let state = null;
      try {
        state = new URL(url).searchParams.get('state');
      } catch { /* the core refuses a malformed callback below */ }
      const name = `t:${hash(state ?? '')}`;
      const tx = state ? sealer.open(name, await db.take(name)) : null;
      if (!tx) throw new OAuthError('state_mismatch', 'the callback state matches no login this backend started (forged, replayed or expired)');
      if (!same(hash(binding ?? ''), tx.binding)) throw new OAuthError('state_mismatch', 'the login was started in another browser');
      const client = await openClient();
      const entry = { ...client, gen: 1, user: null, expiresAt: clock() + sessionTtl, refreshing: null };
      const sid = randomId();
      try {
        entry.user = (await client.session.callback(url, tx.transaction)).user ?? null;
        stamp(entry);
        if (!portable && !beating) {
          await beat();
          heartbeat();
        }
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
    // `entry` (this process's core client) is null when another process holds the tokens.
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
        if (portable && rec.gen > entry.gen) adopt(entry, rec);
        return { key, entry, user: entry.user };
      }
      // Held by another process, which alone has the tokens: the session stands (and "who am I"
      // answers from the record), but this process cannot use it. When that process is gone (its
      // heartbeat expired) or was this one (restarted, or its client dropped), the session is over.
      if (!portable || !rec.core) {
        if (rec.owner !== instance && (await db.get(`i:${rec.owner}`))) return { key, entry: null, user: rec.user };
        await end(key);
        return null;
      }
      if (!taking.has(key)) taking.set(key, takeUp(key, rec).finally(() => taking.delete(key)));
      const taken = await taking.get(key);
      return { key, entry: taken, user: taken.user };
    },

    // Refreshes first when the access token is due (within refreshMargin of its expiry).
    async ready({ key, entry }) {
      if (due(entry)) await refresh(key, entry);
    },
    refresh: ({ key, entry }) => refresh(key, entry),

    // Calls the API for the session. A refresh the session holder makes itself (an API's 401
    // invalid_token) is saved to the store too.
    async fetch({ key, entry }, request) {
      const before = unwrap(core.clientTokenState(entry.id, realNow())).expiresAt;
      try {
        return await entry.session.fetch(request);
      } catch (e) {
        if (e.code === 'session_expired') await end(key).catch(() => {});
        throw e;
      } finally {
        if (live.get(key) === entry && unwrap(core.clientTokenState(entry.id, realNow())).expiresAt !== before) {
          stamp(entry);
          entry.gen++;
          if (portable) await save(key, entry).catch(() => {});
        }
      }
    },

    // Ends the session here and in the store; revokes its tokens (RFC 7009, best effort) and,
    // with endSession, returns the end_session URL (OIDC RP-Initiated Logout) for the browser.
    async logout(sid, { endSession = false } = {}) {
      if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return undefined;
      const found = await this.find(sid); // the store unreachable: nothing is touched
      const key = hash(sid);
      await db.delete(`s:${key}`);
      // No id_token_hint: the URL goes to the browser, and the ID token never does.
      const end = found?.entry && await found.entry.session.logout({ revoke: true, endSession, postLogoutRedirectUri, idTokenHint: false })
        .catch(() => undefined);
      drop(key);
      return end?.url;
    },

    // This process stops: its sessions' clients go, and its heartbeat, so that the other
    // processes log those sessions out at once.
    async close() {
      for (const key of [...live.keys()]) drop(key);
      if (!beating) return;
      clearInterval(beating);
      beating = null;
      await db.delete(`i:${instance}`).catch(() => {});
    },
  };
}
