// The backend in Express (app.use(backend), after a body parser too) and in Fastify
// (fastifyBackend): login, "who am I", the proxy, and logout with a JSON body, each through the
// framework's own server; the framework's other routes keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import Fastify from 'fastify';
import { fastifyBackend } from '../../dist/node.mjs';
import { startBackendApp } from '../../scripts/dev-servers/backend-app.mjs';

const FRAMEWORKS = {
  async express(backend, server) {
    const app = express();
    app.use(express.json()); // reads the body before the backend does: taken from req.body
    app.use(backend);
    app.get('/', (req, res) => res.send('home'));
    server.on('request', app);
  },
  async fastify(backend, server) {
    const app = Fastify({ serverFactory: (handler) => server.on('request', handler) });
    await app.register(fastifyBackend(backend));
    app.get('/', async () => 'home');
    app.post('/echo', async (request) => request.body); // the app's own body parsing is untouched
    await app.ready();
  },
};

for (const [name, mount] of Object.entries(FRAMEWORKS)) {
  test(`${name}: login, session, proxy, logout with a JSON body; the app's own routes still answer`, async () => {
    const app = await startBackendApp({ mount });
    try {
      const ua = await app.login({ login: `${name}-user` });
      assert.equal(ua.landedAt, `${app.origin}/home`);
      assert.equal((await (await app.call(ua, 'session')).json()).user.sub, `${name}-user`);
      const me = await app.proxy(ua, `${app.api.url}/me`);
      assert.equal(me.status, 200);
      assert.equal((await me.json()).sub, `${name}-user`);
      const refused = await app.call(ua, 'session', { csrf: null });
      assert.equal(refused.status, 403);
      const out = await app.call(ua, 'logout', { method: 'POST', body: '{"endSession":true}', headers: { 'Content-Type': 'application/json' } });
      assert.equal(out.status, 200);
      assert.ok((await out.json()).endSessionUrl, 'the body was read: endSession came through');
      assert.deepEqual(await (await app.call(ua, 'session')).json(), { authenticated: false });
      assert.equal(await (await fetch(`${app.origin}/`)).text(), 'home');
      if (name === 'fastify') {
        const echo = await fetch(`${app.origin}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
        assert.deepEqual(await echo.json(), { a: 1 });
      }
    } finally {
      await app.close();
    }
  });
}
