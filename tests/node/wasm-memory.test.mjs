// Secrets in the core's memory: after a real login (oidc-provider), handing the access token to
// JavaScript (clientAccessToken, clientAuthorizeResource) leaves no new copy of it anywhere in
// the wasm heap: the answer buffer is wiped once read, and so are the bindings' temporaries.
// The way in too: a token response passed to the core (embind's copies of a string argument)
// leaves nothing behind once the session has ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import createNodeCore from '../../dist/oauth-wasm-core-node.mjs';
import { wrapCore } from '../../web/core-abi.mjs';
import { perform } from '../../web/http.mjs';
import { useServers } from '../support/servers.mjs';
import { UserAgent, playUser } from '../../scripts/dev-servers/http-client.mjs';

const APP = 'http://127.0.0.1:5173';
const atApp = (url) => url.startsWith(`${APP}/`);
const now = () => Math.floor(Date.now() / 1000);

const servers = useServers({ appOrigin: APP });
const random = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63]).join('');

// How many times `text` occurs in the module's whole linear memory. Its first 16 bytes are left
// out: the allocator writes its free-list links over the start of a freed block.
function occurrences(module, text) {
  const heap = module.HEAPU8;
  const needle = new TextEncoder().encode(text.slice(16));
  let count = 0;
  for (let i = heap.indexOf(needle[0]); i !== -1 && i <= heap.length - needle.length; i = heap.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && heap[i + j] === needle[j]) j++;
    if (j === needle.length) count++;
  }
  return count;
}

async function loggedInClient() {
  const module = await createNodeCore({ wasmBinary: await readFile(new URL('../../dist/oauth-wasm-core-node.wasm', import.meta.url)) });
  const core = wrapCore(module);
  const { handle: id, request } = core.clientCreate(JSON.stringify({
    issuer: servers.as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, apiOrigins: [servers.api.url],
  })).value;
  assert.ok(core.clientSetMetadata(id, await perform(request)).ok);
  const { url, transaction } = core.clientAuthorize(id, '{}', now()).value;
  const ua = new UserAgent();
  const done = await playUser(ua, await ua.navigate(url, { stopAt: atApp }), { login: 'demo', decision: 'approve', stopAt: atApp });
  let step = core.clientCallback(id, done.location, transaction, now());
  while (step.ok && step.value.kind === 'perform') step = core.clientResume(id, await perform(step.value.request), now());
  assert.equal(step.ok, true, JSON.stringify(step.error));
  return { module, core, id, transaction, callback: done.location };
}

test('reading the access token leaves no new copy of it in wasm memory', async () => {
  const { module, core, id } = await loggedInClient();
  const { token } = core.clientAccessToken(id, now()).value;
  assert.ok(token.length >= 32);
  const held = occurrences(module, token);
  assert.ok(held >= 1, 'the client holds its token');
  for (let i = 0; i < 3; i++) assert.equal(core.clientAccessToken(id, now()).value.token, token);
  assert.equal(occurrences(module, token), held);
});

test('authorizing an API request leaves no new copy of the token in wasm memory', async () => {
  const { module, core, id } = await loggedInClient();
  const { token } = core.clientAccessToken(id, now()).value;
  const held = occurrences(module, token);
  for (let i = 0; i < 3; i++) {
    const { headers } = core.clientAuthorizeResource(id, `${servers.api.url}/me`, 'GET', now()).value;
    assert.deepEqual(headers, [['Authorization', `Bearer ${token}`]]);
  }
  assert.equal(occurrences(module, token), held);
});

test('a refreshed token response leaves no copy of its tokens in wasm memory once the session ends', async () => {
  const { module, core, id, transaction, callback } = await loggedInClient();
  let step = core.clientRefresh(id, now());
  let body;
  while (step.ok && step.value.kind === 'perform') {
    const response = await perform(step.value.request);
    body = response.body;
    step = core.clientResume(id, response, now());
  }
  assert.equal(step.ok, true, JSON.stringify(step.error));
  const tokens = JSON.parse(body);
  const secrets = { access_token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: tokens.id_token };
  assert.ok(Object.values(secrets).every((t) => typeof t === 'string' && t.length >= 32), Object.keys(tokens).join());
  assert.equal(core.clientAccessToken(id, now()).value.token, secrets.access_token, 'the refresh landed');
  core.clientLogout(id);
  for (const [name, value] of Object.entries(secrets)) assert.equal(occurrences(module, value), 0, `${name} left behind`);
  assert.equal(occurrences(module, JSON.parse(transaction).code_verifier), 0, 'the PKCE verifier left behind');
  assert.equal(occurrences(module, new URL(callback).searchParams.get('code')), 0, 'the code left behind');
});

// An answer longer than any before it grows the answer buffer while it is written: the part
// already written (here the refresh token's revocation request) was copied and the old block
// freed unwiped. A long access token (a JWT with many claims) is enough.
const json = (body) => ({ status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify(body) });

// A client of a made-up server (no JWKS, no ID token: scope email) waiting for its token response.
async function awaitingTokens() {
  const module = await createNodeCore({ wasmBinary: await readFile(new URL('../../dist/oauth-wasm-core-node.wasm', import.meta.url)) });
  const core = wrapCore(module);
  const iss = 'https://as.example';
  const id = core.clientCreate(JSON.stringify({ issuer: iss, clientId: 'spa', redirectUri: 'https://app.example/cb', dpop: false })).value.handle;
  assert.ok(core.clientSetMetadata(id, json({
    issuer: iss, authorization_endpoint: `${iss}/auth`, token_endpoint: `${iss}/token`, jwks_uri: `${iss}/jwks`,
    revocation_endpoint: `${iss}/revoke`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'],
  })).ok);
  const { state } = core.clientAuthorize(id, '{"scope":"email"}', now()).value;
  assert.ok(core.clientCallback(id, `https://app.example/cb?code=c0de&state=${state}&iss=${encodeURIComponent(iss)}`, '', now()).ok);
  return { module, core, id };
}

test('an answer larger than all before it leaves no copy of what it holds: the revocation requests of a long token', async () => {
  const { module, core, id } = await awaitingTokens();
  const tokens = { refresh_token: random(64), access_token: random(6000) };
  // The access token is the last long string of the response: the JSON lexer's buffers (nlohmann's)
  // held it when they were freed, unwiped until every freed block was (src/crypto/wipe_on_free.c).
  const answer = core.clientResume(id, json({ ...tokens, token_type: 'Bearer', expires_in: 3600, scope: 'email' }), now());
  assert.equal(answer.ok, true, JSON.stringify(answer));
  const requests = core.clientRevocationRequests(id).value;
  assert.equal(requests.length, 2);
  assert.ok(requests[0].body.includes(tokens.refresh_token) && requests[1].body.includes(tokens.access_token));
  core.clientLogout(id);
  assert.equal(occurrences(module, tokens.refresh_token), 0, 'refresh token left behind');
  assert.equal(occurrences(module, tokens.access_token), 0, 'access token left behind');
});


