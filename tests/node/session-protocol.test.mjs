// web/worker-protocol.mjs over a MessageChannel: calls and answers matched by id, errors arrive as
// OAuthError with their code, blame and status, events reach the page, bodies are transferred.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, eventMessage, serve } from '../../web/worker-protocol.mjs';
import { OAuthError } from '../../web/errors.mjs';

// A discovery document of a server that is never contacted otherwise.
const ISSUER = 'https://as.example';
const discoveryOf = (extra = {}) => ({
  issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks`,
  response_types_supported: ['code'], code_challenge_methods_supported: ['S256'], ...extra,
});

function pair(handle) {
  const { port1, port2 } = new MessageChannel();
  serve(port2, handle);
  const events = [];
  const wire = connect(port1, (type, detail) => events.push([type, detail]));
  return { ...wire, events, worker: port2, close: () => { port1.close(); port2.close(); } };
}

test('calls are answered in any order, each by its own id', async () => {
  let fastDone;
  const fastAnswered = new Promise((resolve) => { fastDone = resolve; });
  const { call, close } = pair(async (method, args) => {
    if (method === 'slow') await fastAnswered; // answered after the later call
    return { method, args };
  });
  const order = [];
  const [slow, fast] = await Promise.all([
    call('slow', 1).then((v) => { order.push('slow'); return v; }),
    call('fast', 'a', { b: 2 }).then((v) => { order.push('fast'); fastDone(); return v; }),
  ]);
  assert.deepEqual(order, ['fast', 'slow']);
  assert.deepEqual(slow, { method: 'slow', args: [1] });
  assert.deepEqual(fast, { method: 'fast', args: ['a', { b: 2 }] });
  close();
});

test('a refusal arrives as an OAuthError with its code, description, blame and status; anything else as internal_error', async () => {
  const { call, close } = pair(async (method) => {
    if (method === 'oauth') throw new OAuthError('session_expired', 'refused', { blame: 'remote', status: 400 });
    throw new TypeError('boom');
  });
  await assert.rejects(call('oauth'), (e) => e instanceof OAuthError && e.code === 'session_expired'
    && e.description === 'refused' && e.blame === 'remote' && e.status === 400);
  await assert.rejects(call('other'), (e) => e instanceof OAuthError && e.code === 'internal_error' && /boom/.test(e.description));
  close();
});

test('a network_error crosses the wire with its reason, URL and the status that had arrived', async () => {
  const { call, close } = pair(async () => {
    throw new OAuthError('network_error', 'x', { blame: 'remote', status: 200, reason: 'timeout', url: 'https://as.example/token' });
  });
  await assert.rejects(call('refresh'), (e) => e instanceof OAuthError && e.code === 'network_error'
    && e.status === 200 && e.reason === 'timeout' && e.url === 'https://as.example/token');
  close();
});

test('events reach the page; an error event carries an OAuthError', async () => {
  const { events, worker, call, close } = pair(async () => null);
  worker.postMessage(eventMessage('login', { user: { sub: 'a' } }));
  worker.postMessage(eventMessage('session_expired', new OAuthError('session_expired', 'invalid_grant')));
  worker.postMessage(eventMessage('logout'));
  // A call's answer comes down the same port, after the events: once it is here, so are they.
  await call('after');
  assert.equal(events.length, 3);
  assert.deepEqual(events[0], ['login', { user: { sub: 'a' } }]);
  assert.ok(events[1][1] instanceof OAuthError);
  assert.equal(events[1][1].code, 'session_expired');
  assert.deepEqual(events[2], ['logout', undefined]);
  close();
});

test('an ArrayBuffer body is transferred both ways, not copied', async () => {
  const { call, close } = pair(async (method, [req]) => ({ status: 200, body: req.body }));
  const body = new TextEncoder().encode('payload').buffer;
  const res = await call('fetch', { url: 'x', body });
  assert.equal(body.byteLength, 0, 'detached on the sending side');
  assert.equal(new TextDecoder().decode(res.body), 'payload');
  close();
});

test('fail() rejects every call still waiting (the worker did not start)', async () => {
  const { port1 } = new MessageChannel();
  const wire = connect(port1, () => {});
  const waiting = [wire.call('open'), wire.call('state')];
  wire.fail(new OAuthError('wasm_load_failed', 'no worker'));
  for (const p of waiting) await assert.rejects(p, (e) => e.code === 'wasm_load_failed');
  port1.close();
});

test('a popup login\'s authorize answer carries no transaction across the wire; a redirect\'s does', async () => {
  const { openSession } = await import('../../web/session.mjs');
  const { loadIsolatedCore } = await import('../../dist/node.mjs');
  const issuer = ISSUER;
  const discovery = discoveryOf();
  const session = await openSession(await loadIsolatedCore(), {
    issuer, clientId: 'spa', redirectUri: 'https://app.example/cb', fetch: async () => Response.json(discovery),
  });
  const { call, close } = pair(async (method, args) => session[method](...args));
  const popup = await call('authorize', {});
  assert.deepEqual(Object.keys(popup).sort(), ['state', 'url']);
  const redirect = await call('authorize', {}, { redirect: true });
  assert.match(redirect.transaction, /"code_verifier"|"verifier"/);
  close();
});

test('two PAR logins at once: each URL carries the request_uri of its own push, whose state it has', async () => {
  const { openSession } = await import('../../web/session.mjs');
  const { loadIsolatedCore } = await import('../../dist/node.mjs');
  const issuer = ISSUER;
  const discovery = discoveryOf({ pushed_authorization_request_endpoint: `${ISSUER}/par` });
  const pushedStates = []; // the state of each push, in the order the pushes were sent
  const fetch = async (url, init = {}) => {
    if (!String(url).endsWith('/par')) return Response.json(discovery);
    const n = pushedStates.push(new URLSearchParams(String(init.body)).get('state'));
    await new Promise((r) => setTimeout(r, n === 1 ? 80 : 0)); // the first push is answered last
    return Response.json({ request_uri: `urn:ietf:params:oauth:request_uri:push-${n}`, expires_in: 60 }, { status: 201 });
  };
  const session = await openSession(await loadIsolatedCore(), {
    issuer, clientId: 'spa', redirectUri: 'https://app.example/cb', fetch, par: true,
  });
  const starts = await Promise.all([session.authorize({}), session.authorize({}), session.authorize({})]);
  assert.equal(pushedStates.length, 3);
  for (const { url, state } of starts) {
    const uri = new URL(url).searchParams.get('request_uri');
    const n = Number(uri.split('-').pop());
    assert.equal(pushedStates[n - 1], state, `${uri} was pushed with this login's state`);
  }
  assert.equal(new Set(starts.map((s) => s.state)).size, 3);
});

test('the refresh margin\'s default is the core\'s: the shim passes refreshMargin only when the app gives one', async () => {
  const { openSession } = await import('../../web/session.mjs');
  const { loadIsolatedCore } = await import('../../dist/node.mjs');
  const core = await loadIsolatedCore();
  const configs = [];
  const counting = new Proxy(core, {
    get: (target, name) => (name === 'clientCreate' ? (json) => { configs.push(JSON.parse(json)); return target.clientCreate(json); } : target[name]),
  });
  const options = { issuer: ISSUER, clientId: 'spa', redirectUri: 'https://app.example/cb', fetch: async () => Response.json(discoveryOf()) };
  await openSession(counting, options);
  await openSession(counting, { ...options, refreshMargin: 5 });
  assert.equal('refreshMargin' in configs[0], false, 'nothing given, nothing passed: the core\'s default holds');
  assert.equal(configs[1].refreshMargin, 5);
});
