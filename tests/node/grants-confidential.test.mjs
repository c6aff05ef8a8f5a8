// The confidential authorization-code flow in Node (a server-side web app) against the test
// authorization server: the same redirect and callback as the SPA, PKCE still sent, the code
// redeemed with the client secret by client_secret_basic (`web`) and client_secret_post
// (`web-post`); a wrong secret is invalid_client, and the secret shows up in no error and no log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createClient, OAuthError } from '../../dist/node.mjs';
import { useServers } from '../support/servers.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const REDIRECT_URI = `${APP}/server/callback`;
const atApp = (url) => url.startsWith(`${APP}/`);

const servers = useServers({ appOrigin: APP });

// A fetch that keeps what each POST carried (to see where the secret went).
function recordingFetch() {
  const posts = [];
  return {
    posts,
    async fetch(input, init) {
      const request = new Request(input, init);
      if (request.method === 'POST') {
        posts.push({ url: request.url, authorization: request.headers.get('authorization'), form: new URLSearchParams(await request.clone().text()) });
      }
      return fetch(request);
    },
  };
}

// Console output during `fn`, to show the library logs nothing.
async function capturingConsole(fn) {
  const lines = [];
  const saved = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    saved[level] = console[level];
    console[level] = (...args) => lines.push(args.map((a) => inspect(a)).join(' '));
  }
  try {
    return { result: await fn(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    Object.assign(console, saved);
  }
}

async function playLogin(authorizationUrl, options = {}) {
  const ua = new UserAgent();
  const done = await playUser(ua, await ua.navigate(authorizationUrl, { stopAt: atApp }), { stopAt: atApp, ...options });
  assert.ok(done.location, `the server did not redirect back: ${done.url}`);
  return done.location;
}

const METHODS = [
  { clientId: 'web', secret: 'web-secret', method: undefined, name: 'client_secret_basic (the default)' },
  { clientId: 'web-post', secret: 'web-post-secret', method: 'client_secret_post', name: 'client_secret_post' },
];

for (const { clientId, secret, method, name } of METHODS) {
  test(`confidential code flow with ${name}: PKCE and the secret at the token endpoint, the user, the API`, async () => {
    const recorder = recordingFetch();
    const client = await createClient({
      issuer: servers.as.issuer, clientId, clientSecret: secret, tokenEndpointAuthMethod: method, redirectUri: REDIRECT_URI,
      apiOrigins: [servers.api.url], scope: 'openid profile', storage: new MemoryStorage(), fetch: recorder.fetch,
    });
    let authorizationUrl;
    await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
    const sent = new URL(authorizationUrl);
    assert.equal(sent.searchParams.get('client_id'), clientId);
    assert.equal(sent.searchParams.get('code_challenge_method'), 'S256', 'PKCE for a confidential client too (OAuth 2.1)');
    assert.ok(!authorizationUrl.includes(secret), 'no secret in the front channel');

    const exchanges = servers.as.counts.authorization_code ?? 0;
    const result = await client.handleRedirectCallback(await playLogin(authorizationUrl, { login: 'carol' }));
    assert.equal(servers.as.counts.authorization_code, exchanges + 1);
    assert.equal(result.user.sub, 'carol');
    assert.equal((await client.getUser()).name, 'Demo User');

    const token = recorder.posts.find((p) => p.url === `${servers.as.issuer}/token`);
    assert.equal(token.form.get('grant_type'), 'authorization_code');
    assert.ok(token.form.get('code_verifier'), 'the verifier went with the code');
    if (method === 'client_secret_post') {
      assert.equal(token.authorization, null);
      assert.equal(token.form.get('client_id'), clientId);
      assert.equal(token.form.get('client_secret'), secret);
    } else {
      const expected = Buffer.from(`${clientId}:${secret}`).toString('base64');
      assert.equal(token.authorization, `Basic ${expected}`);
      assert.equal(token.form.get('client_secret'), null);
      assert.equal(token.form.get('client_id'), null);
    }

    const res = await client.fetch(`${servers.api.url}/me`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).sub, 'carol');
  });

  test(`confidential code flow with ${name}: a wrong secret is invalid_client, and no secret in any error or log`, async () => {
    const wrong = `${secret}-but-wrong`;
    const errors = [];
    const { error, lines } = await capturingConsole(async () => {
      const client = await createClient({
        issuer: servers.as.issuer, clientId, clientSecret: wrong, tokenEndpointAuthMethod: method, redirectUri: REDIRECT_URI,
        scope: 'openid', storage: new MemoryStorage(),
      });
      client.on('error', (e) => errors.push(e));
      let authorizationUrl;
      await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
      await client.handleRedirectCallback(await playLogin(authorizationUrl));
    });
    assert.ok(error instanceof OAuthError, String(error));
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.blame, 'remote');
    assert.equal(error.status, 401);
    assert.deepEqual(errors, [error], 'the error event carried the same error');
    const shown = [error.message, error.description, error.uri, String(error), error.stack, inspect(error), JSON.stringify(error), ...lines].join('\n');
    for (const s of [wrong, secret, encodeURIComponent(wrong), Buffer.from(`${clientId}:${wrong}`).toString('base64')]) {
      assert.ok(!shown.includes(s), `the secret (${s.slice(0, 4)}…) is in an error or a log`);
    }
  });
}

test('bad client settings are refused without echoing the secret', async () => {
  const secret = 'settings-secret-4711';
  for (const settings of [
    { tokenEndpointAuthMethod: 'private_key_jwt', clientSecret: secret },
    { tokenEndpointAuthMethod: 'client_secret_post', clientSecret: 42 },
    { clientSecret: secret, unknownOption: true },
    { clientSecret: secret, issuer: 'http://as.example.test' },
  ]) {
    const error = await createClient({ issuer: servers.as.issuer, clientId: 'web', redirectUri: REDIRECT_URI, ...settings }).then(
      () => assert.fail(`accepted ${JSON.stringify(Object.keys(settings))}`), (e) => e);
    assert.ok(error instanceof OAuthError, String(error));
    assert.ok(['invalid_argument', 'insecure_issuer'].includes(error.code), error.code);
    assert.ok(!`${error.message}\n${error.stack}`.includes(secret));
  }
});
