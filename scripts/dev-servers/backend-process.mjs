// A second process of the same app, for the tests of sessions shared through Redis: started
// with fork(), told its settings by message, it serves createBackend (Redis store) on its own
// port, as another instance behind a load balancer would (same origin, same key, same Redis).
//
//   const other = await startBackendProcess({ issuer, apiUrl, origin, redisUrl, key });
//   other.url; await other.advance(600); await other.close();
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export async function startBackendProcess(settings) {
  const child = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map();
  child.on('message', ({ id, value, error }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (error) w?.reject(new Error(error));
    else w?.resolve(value);
  });
  const ask = (type, value) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    child.send({ id, type, value });
  });
  const { port } = await ask('start', settings);
  return {
    url: `http://127.0.0.1:${port}`,
    advance: (seconds) => ask('advance', seconds),
    async close() {
      await ask('stop').catch(() => {});
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function child() {
  const { createBackend, createRedisStore } = await import('../../dist/node.mjs');
  const { createClient } = await import('redis');
  const { testClock } = await import('./backend-app.mjs');
  let backend;
  let server;
  let redis;
  const clock = testClock();
  const handlers = {
    async start({ issuer, apiUrl, origin, redisUrl, key }) {
      redis = await createClient({ url: redisUrl }).connect();
      backend = await createBackend({
        issuer, clientId: 'web', clientSecret: 'web-secret', origin, apiOrigins: [apiUrl], scope: 'openid profile',
        store: createRedisStore(redis), key, clock,
      });
      server = createServer((req, res) => backend(req, res));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { port: server.address().port };
    },
    advance: (seconds) => clock.advance(seconds),
    async stop() {
      await backend.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await redis.quit();
      setImmediate(() => process.exit(0));
    },
  };
  process.on('message', async ({ id, type, value }) => {
    try {
      process.send({ id, value: await handlers[type](value) });
    } catch (e) {
      process.send({ id, error: String(e?.stack ?? e) });
    }
  });
}

if (process.argv.includes('--child')) child();
