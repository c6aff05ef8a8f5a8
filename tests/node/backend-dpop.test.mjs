// The backend against servers that offer PAR and DPoP: the core uses them by itself. With DPoP
// (nonces required) the proxy's calls carry a proof for the session's bound token, also after a
// refresh; with PAR required the login's parameters are pushed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBackendApp } from '../../scripts/dev-servers/backend-app.mjs';

// A backend whose API calls are recorded (the Authorization scheme of each) and whose server
// records its pushed authorization requests.
async function start(authServer, backend = {}) {
  const seen = { schemes: [], pushed: 0 };
  const app = await startBackendApp({
    authServer,
    backend: {
      ...backend,
      fetch: (input, init) => {
        const authorization = new Headers(init?.headers).get('authorization');
        if (authorization && !String(input).startsWith(app.as.issuer)) seen.schemes.push(authorization.split(' ')[0]);
        return fetch(input, init);
      },
    },
  });
  app.as.use(async (ctx, next) => {
    if (ctx.path === '/request') seen.pushed++;
    await next();
  });
  return Object.assign(app, { seen });
}

test('DPoP with nonces: the token is DPoP-bound, the proxy proves possession, a refresh keeps the binding', async () => {
  const app = await start({ dpopRequireNonce: true });
  try {
    const ua = await app.login({ login: 'vera' });
    const res = await app.proxy(ua, `${app.api.url}/me`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).sub, 'vera');
    // The test API checks the proof against the token's cnf.jkt and refuses a bound token as Bearer.
    assert.deepEqual(app.seen.schemes, ['DPoP']);
    await app.clock.advance(600);
    const refreshes = app.as.counts.refresh_token ?? 0;
    assert.equal((await app.proxy(ua, `${app.api.url}/me`)).status, 200);
    assert.equal(app.as.counts.refresh_token, refreshes + 1);
    assert.deepEqual(app.seen.schemes, ['DPoP', 'DPoP']);
  } finally {
    await app.close();
  }
});

test('PAR required, client_secret_post: the login is pushed and completes', async () => {
  const app = await start({ requirePar: true }, { clientId: 'web-post', clientSecret: 'web-post-secret', tokenEndpointAuthMethod: 'client_secret_post' });
  try {
    const ua = await app.login({ login: 'walt' });
    assert.equal(app.seen.pushed, 1);
    assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'walt');
  } finally {
    await app.close();
  }
});

// A pushed request authenticated by client_secret_basic keeps client_id among its parameters
// (RFC 9126 §2.1; oidc-provider refuses the push without it).
test('PAR required, client_secret_basic: the login is pushed and completes', async () => {
  const app = await start({ requirePar: true });
  try {
    const ua = await app.login({ login: 'xena' });
    assert.equal(app.seen.pushed, 1);
    assert.equal((await (await app.call(ua, 'session')).json()).user.sub, 'xena');
  } finally {
    await app.close();
  }
});
