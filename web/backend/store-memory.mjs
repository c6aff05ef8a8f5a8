// The default session store: this process's memory (one process; nothing to set up). Every store
// has these five calls, on strings, each a promise (web/backend/store-redis.mjs is the other):
//   get(key) → value | null        set(key, value, ttlSeconds)        delete(key)
//   take(key) → value | null       (read and delete at once: a login transaction is used once)
//   lock(key, ttlMs) → token | null, unlock(key, token)   (a lock that expires on its own)
import { randomBytes } from 'node:crypto';

export function createMemoryStore({ now = () => Date.now() } = {}) {
  const values = new Map(); // key → { value, until (ms) }
  const live = (key) => {
    const entry = values.get(key);
    if (entry && entry.until <= now()) values.delete(key);
    return values.get(key) ?? null;
  };
  const sweep = () => {
    for (const key of values.keys()) live(key);
  };
  let writes = 0;
  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      if (++writes % 256 === 0) sweep(); // expired entries do not pile up
      values.set(key, { value, until: now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      values.delete(key);
    },
    async take(key) {
      const value = live(key)?.value ?? null;
      values.delete(key);
      return value;
    },
    async lock(key, ttlMs) {
      if (live(key)) return null;
      const token = randomBytes(16).toString('base64url');
      values.set(key, { value: token, until: now() + ttlMs });
      return token;
    },
    async unlock(key, token) {
      if (live(key)?.value === token) values.delete(key);
    },
  };
}
