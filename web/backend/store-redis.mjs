// The session store for more than one process or machine: Redis, through the client the app
// already has. `client` needs one call, sendCommand(args: string[]) → Promise of the reply, as
// node-redis (v4+) has; for ioredis pass { sendCommand: (args) => redis.call(...args) }. The
// package itself depends on no Redis library. Keys are prefixed (`prefix`, default
// 'oauth-wasm:'); values are sealed by the backend before they come here.
import { randomBytes } from 'node:crypto';

// Deletes the lock only when it still holds this holder's token (an expired lock taken over by
// another process is not released by the first).
const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export function createRedisStore(client, { prefix = 'oauth-wasm:' } = {}) {
  if (typeof client?.sendCommand !== 'function') throw new TypeError('createRedisStore takes a client with sendCommand(args)');
  const run = (...args) => client.sendCommand(args.map(String));
  const k = (key) => prefix + key;
  return {
    get: (key) => run('GET', k(key)),
    set: async (key, value, ttlSeconds) => { await run('SET', k(key), value, 'EX', Math.max(1, Math.ceil(ttlSeconds))); },
    delete: async (key) => { await run('DEL', k(key)); },
    take: (key) => run('GETDEL', k(key)), // Redis 6.2+
    async lock(key, ttlMs) {
      const token = randomBytes(16).toString('base64url');
      return (await run('SET', k(key), token, 'NX', 'PX', Math.max(1, Math.ceil(ttlMs)))) === 'OK' ? token : null;
    },
    unlock: async (key, token) => { await run('EVAL', UNLOCK, 1, k(key), token); },
  };
}
