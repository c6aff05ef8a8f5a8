// The C ABI marshaller (web/core-abi.mjs) between the shim and the wasm core: strings and HTTP
// responses in, JSON answers out, with hostile shapes read as malformed rather than trusted, and
// the module never trapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadIsolatedCore } from '../../dist/node.mjs';
import createNodeCore from '../../dist/oauth-wasm-core-node.mjs';
import { wrapCore, MAX_STRING_LENGTH } from '../../web/core-abi.mjs';

const ISSUER = 'https://as.example';
const discovery = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
};
const json = (body, headers = [['content-type', 'application/json']]) => ({ status: 200, headers, body: JSON.stringify(body) });

async function newClient() {
  const core = await loadIsolatedCore();
  const created = core.clientCreate(JSON.stringify({ issuer: ISSUER, clientId: 'spa', redirectUri: 'https://app.example/cb' }));
  assert.equal(created.ok, true, JSON.stringify(created));
  return { core, handle: created.value.handle };
}

test('a well-formed response passes through: status, headers and body reach the core', async () => {
  const { core, handle } = await newClient();
  const answer = core.clientSetMetadata(handle, json(discovery));
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.value.tokenEndpoint, `${ISSUER}/token`);
});

test('responses of the wrong shape are read as empty and refused, not trusted', async () => {
  for (const response of [null, undefined, 'HTTP/1.1 200 OK', 42, [], { status: '200', headers: [], body: '{}' },
    { status: 200, headers: [['content-type', 'application/json']], body: discovery }]) {
    const { core, handle } = await newClient();
    const answer = core.clientSetMetadata(handle, response);
    assert.equal(answer.ok, false, `${JSON.stringify(response)} was accepted`);
    assert.equal(answer.error.blame, 'remote');
  }
});

// PAR (RFC 9126): the push's response must say application/json, so its headers are checked.
async function waitingPush() {
  const { core, handle } = await newClient();
  const par = { ...discovery, pushed_authorization_request_endpoint: `${ISSUER}/par` };
  assert.equal(core.clientSetMetadata(handle, json(par)).ok, true);
  const start = core.clientAuthorize(handle, '{}', Date.now() / 1000);
  assert.equal(start.value.kind, 'perform', JSON.stringify(start));
  assert.equal(start.value.request.url, `${ISSUER}/par`, JSON.stringify(start));
  return { core, handle };
}
const pushed = { request_uri: 'urn:ietf:params:oauth:request_uri:abc', expires_in: 60 };

test('the headers reach the core: a pushed authorization response with its content type is taken', async () => {
  const { core, handle } = await waitingPush();
  const answer = core.clientResume(handle, { ...json(pushed), status: 201 }, Date.now() / 1000);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.value.kind, 'navigate');
  assert.match(answer.value.url, /request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc/);
});

test('a header pair that is not two strings, or that holds a NUL, is left out', async () => {
  for (const headers of [[['content-type']], [['content-type', 'application/json', 'x']], [[1, 'application/json']],
    [['content-type\0x', 'application/json']], [['content-type', 'application/json\0']], ['content-type']]) {
    const { core, handle } = await waitingPush();
    const answer = core.clientResume(handle, { ...json(pushed, headers), status: 201 }, Date.now() / 1000);
    assert.equal(answer.ok, false, `${JSON.stringify(headers)} was read as a JSON content type`);
    assert.equal(answer.error.code, 'invalid_response');
  }
});

test('a status that is not a 0-999 integer never reaches the core as one', async () => {
  for (const status of [NaN, Infinity, -1, 1e12, 200.5]) {
    const { core, handle } = await newClient();
    const answer = core.clientSetMetadata(handle, { ...json(discovery), status });
    if (status === 200.5) continue;  // truncated to 200, as an int parameter would be
    assert.equal(answer.ok, false, `status ${status} was accepted`);
    assert.equal(answer.error.code, 'unexpected_status');
  }
});

test('a non-string argument is a TypeError, and the core keeps answering after it', async () => {
  const { core, handle } = await newClient();
  assert.throws(() => core.clientCreate({ issuer: ISSUER }), TypeError);
  assert.throws(() => core.pkceChallenge(undefined, 'S256'), TypeError);
  assert.equal(core.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'S256').value,
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.equal(core.clientSetMetadata(handle, json(discovery)).ok, true);
});

test('an unknown or non-numeric handle is invalid_argument, not a trap', async () => {
  const { core } = await newClient();
  for (const handle of [999, -1, 'x', null, NaN]) {
    const answer = core.clientUser(handle);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'invalid_argument');
  }
});

test('NaN and infinite times are a RangeError, not a trap; a finite time beyond any date is taken', async () => {
  const { core, handle } = await newClient();
  for (const now of [NaN, Infinity, -Infinity, undefined, 'soon']) {
    assert.throws(() => core.clientIsAuthenticated(handle, now), RangeError);
  }
  for (const now of [1e300, -1e300]) assert.deepEqual(core.clientIsAuthenticated(handle, now), { ok: true, value: false });
});

test('a time that is not a finite number is a RangeError, and one beyond any date reads as the far future: an expired token is not handed out', async () => {
  const core = await loadIsolatedCore();
  const handle = core.clientCreate(JSON.stringify({
    issuer: ISSUER, clientId: 'spa', redirectUri: 'https://app.example/cb', apiOrigins: ['https://api.example'], dpop: false,
  })).value.handle;
  assert.equal(core.clientSetMetadata(handle, json(discovery)).ok, true);
  const now = Math.floor(Date.now() / 1000);
  const { state } = core.clientAuthorize(handle, '{"scope":"email"}', now).value;
  assert.equal(core.clientCallback(handle, `https://app.example/cb?code=c0de&state=${state}&iss=${encodeURIComponent(ISSUER)}`, '', now).ok, true);
  const tokens = { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 60, scope: 'email' };
  assert.equal(core.clientResume(handle, json(tokens), now).ok, true);
  assert.equal(core.clientAccessToken(handle, now).value.token, tokens.access_token);
  assert.equal(core.clientAuthorizeResource(handle, 'https://api.example/me', 'GET', now).ok, true);
  for (const time of [now + 3600, 1e300]) {
    assert.equal(core.clientAccessToken(handle, time).error?.code, 'token_expired', `at ${String(time)}`);
    assert.equal(core.clientAuthorizeResource(handle, 'https://api.example/me', 'GET', time).error?.code, 'token_expired', `at ${String(time)}`);
    assert.deepEqual(core.clientIsAuthenticated(handle, time), { ok: true, value: false }, `at ${String(time)}`);
  }
  for (const time of [NaN, Infinity, undefined, 'soon']) {
    assert.throws(() => core.clientAccessToken(handle, time), RangeError, `at ${String(time)}`);
    assert.throws(() => core.clientAuthorizeResource(handle, 'https://api.example/me', 'GET', time), RangeError);
  }
  assert.equal(core.clientAccessToken(handle, now).value.token, tokens.access_token, 'the session is still there');
});

test('text crosses both ways as UTF-8: a non-ASCII argument comes back intact in the answer', async () => {
  const { core, handle } = await newClient();
  const answer = core.clientSetMetadata(handle, json({ ...discovery, issuer: 'https://äs.example/é' }));
  assert.equal(answer.ok, false);
  assert.equal(answer.error.code, 'issuer_mismatch');
  assert.match(answer.error.description, /äs\.example\/é/);
});

test('a body of several MiB grows the memory and is refused by size, then the core goes on', async () => {
  const { core, handle } = await newClient();
  const answer = core.clientSetMetadata(handle, { status: 200, headers: [['content-type', 'application/json']], body: ' '.repeat(8 << 20) });
  assert.equal(answer.ok, false);
  assert.equal(answer.error.code, 'response_too_large');
  assert.equal(core.clientSetMetadata(handle, json(discovery)).ok, true);
});

// A string of a gigabyte (360 million three-byte characters) aborted the module: embind's copies
// no longer fit its 2 GiB, and every later call trapped. Strings are bounded before they enter.
test('a string longer than the bound is a RangeError before it reaches wasm memory, and the core goes on', async () => {
  const module = await createNodeCore({ wasmBinary: await readFile(new URL('../../dist/oauth-wasm-core-node.wasm', import.meta.url)) });
  const core = wrapCore(module);
  const handle = core.clientCreate(JSON.stringify({ issuer: ISSUER, clientId: 'spa', redirectUri: 'https://app.example/cb' })).value.handle;
  const size = module.HEAPU8.length;
  const long = 'ｱ'.repeat(MAX_STRING_LENGTH + 1);
  assert.throws(() => core.clientCreate(long), RangeError);
  assert.throws(() => core.clientCallback(handle, 'https://app.example/cb?code=x&state=y', long, 0), RangeError);
  assert.throws(() => core.clientSetMetadata(handle, { status: 200, headers: [], body: long }), RangeError);
  assert.throws(() => core.clientSetMetadata(handle, { status: 200, headers: [['x-long', long]], body: '{}' }), RangeError);
  assert.equal(module.HEAPU8.length, size, 'the memory did not grow for it');
  assert.equal(core.clientSetMetadata(handle, json(discovery)).ok, true);
  assert.equal(core.clientCreate('x'.repeat(MAX_STRING_LENGTH)).error.code, 'invalid_argument', 'the bound itself still goes in');
});
