// The seam's chattiness (docs/SEAM.md, issue 24): through the Node entry, with the core wrapped in
// a counting proxy and the app's fetch counted, against the real authorization server and test API.
// Every operation is one core call to start it and one per server answer: create + redirect login +
// one API call + one refresh, 6 HTTP exchanges (5 requests the session sends, 1 trip of the
// browser), take 10 core calls (15 before the one step type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, loadIsolatedCore } from '../../dist/node.mjs';
import { useServers } from '../support/servers.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const atApp = (url) => url.startsWith(`${APP}/`);
const servers = useServers({ appOrigin: APP });

// The core with each call recorded by name, and the fetch with each request recorded by URL.
function counted(core) {
  const calls = [];
  const view = new Proxy(core, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args) => {
        calls.push(key);
        return value(...args);
      };
    },
  });
  return { core: view, calls };
}

test('create + redirect login + one API call + one refresh: 6 HTTP exchanges, 10 core calls', async () => {
  const { as, api } = servers;
  const { core, calls } = counted(await loadIsolatedCore());
  const sent = [];
  const fetchCounted = (input, init) => {
    sent.push(new URL(input instanceof Request ? input.url : input).pathname);
    return fetch(input, init);
  };
  // Each operation's calls and requests, taken since the last one.
  let seenCalls = 0;
  let seenSent = 0;
  const take = () => {
    const taken = { calls: calls.slice(seenCalls), sent: sent.slice(seenSent) };
    seenCalls = calls.length;
    seenSent = sent.length;
    return taken;
  };

  const client = await createClient({
    issuer: as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid profile email',
    apiOrigins: [api.url], storage: new MemoryStorage(), core, fetch: fetchCounted, autoRefresh: false,
  });
  assert.deepEqual(take(), { calls: ['clientCreate', 'clientSetMetadata'], sent: ['/.well-known/openid-configuration'] });

  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const ua = new UserAgent();
  const done = await playUser(ua, await ua.navigate(authorizationUrl, { stopAt: atApp }), { login: 'alice', stopAt: atApp });
  const login = await client.handleRedirectCallback(done.location);
  assert.equal(login.user.sub, 'alice');
  assert.deepEqual(take(), {
    calls: ['clientAuthorize', 'clientCallback', 'clientResume', 'clientResume'],
    sent: ['/token', '/jwks'],
  });

  const res = await client.fetch(`${api.url}/me`);
  assert.equal((await res.json()).sub, 'alice');
  assert.deepEqual(take(), { calls: ['clientAuthorizeResource', 'clientAcceptResourceResponse'], sent: ['/me'] });

  const refreshed = await client.refresh();
  assert.ok(refreshed.expiresAt >= login.expiresAt);
  assert.deepEqual(take(), { calls: ['clientRefresh', 'clientResume'], sent: ['/token'] });

  // 6 exchanges: discovery, the browser's trip to the authorization endpoint and back, token, JWKS,
  // the API, the refresh.
  assert.equal(sent.length + 1, 6);
  assert.equal(calls.length, 10);
  await client.logout({ revoke: false });
});
