// createClient({ persist }) in Node (isolation 'none', the store and lock injected; a browser's
// worker uses IndexedDB and navigator.locks: tests/browser/persist.test.mjs) against the real
// authorization server with DPoP nonces required and the test API checking proofs and cnf.jkt.
// The DPoP key is a non-extractable WebCrypto key; the core builds each proof and WebCrypto only
// signs it, and the server accepts those proofs. The stored record brings the session back with
// one refresh; a copy of it is useless without the key (the core refuses it, and when the thief
// forges the record's thumbprint, the server refuses the thief's proof); bad records leave a clean
// signed-out state; reuse, logout and concurrent holders behave.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, loadIsolatedCore } from '../../dist/node.mjs';
import { newDpopKey } from '../../web/dpop-webcrypto.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { useServers } from '../support/servers.mjs';
import { jwkThumbprint } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser, postForm } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const atApp = (url) => url.startsWith(`${APP}/`);
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

const servers = useServers({ appOrigin: APP, dpopRequireNonce: true });
let core;

before(async () => {
  core = await loadIsolatedCore();
  assert.equal(typeof core.clientExportSession, 'function', 'dist/ has no session record bindings');
});

// The IndexedDB entry's stand-in: one value, kept as is (a CryptoKey object stays one).
function memoryStore(entry) {
  return {
    entry,
    async get() { return this.entry; },
    async put(value) { this.entry = value; },
    async delete() { this.entry = undefined; },
  };
}

// navigator.locks' stand-in: requests of one name run one after another.
function memoryLocks() {
  const tails = new Map();
  return {
    request(name, fn) {
      const run = (tails.get(name) ?? Promise.resolve()).then(fn);
      tails.set(name, run.catch(() => {}));
      return run;
    },
  };
}

function tap() {
  const exchanges = [];
  const fetchFn = async (url, init = {}) => {
    const res = await fetch(url, init);
    const body = typeof init.body === 'string' ? new URLSearchParams(init.body) : null;
    const json = res.headers.get('content-type')?.includes('json') ? await res.clone().json().catch(() => null) : null;
    exchanges.push({ url: String(url), headers: new Headers(init.headers), body, status: res.status, resHeaders: res.headers, json });
    return res;
  };
  const tokenRequests = (grantType) => exchanges.filter((e) => e.body?.get('grant_type') === grantType);
  const proof = (e) => {
    const [h, c, s] = e.headers.get('dpop').split('.');
    return { header: decode(h), claims: decode(c), signature: Buffer.from(s, 'base64url') };
  };
  return { exchanges, fetch: fetchFn, tokenRequests, proof };
}

const newClient = (wire, persist, options = {}) => createClient({
  issuer: servers.as.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid api:read',
  apiOrigins: [servers.api.url], core, fetch: wire.fetch, autoRefresh: false, storage: new MemoryStorage(), persist, ...options,
});

async function logIn(client, login = 'alice') {
  let authorizationUrl;
  await client.loginWithRedirect({ bindDpopKey: true, openUrl: (url) => { authorizationUrl = url; } });
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: atApp });
  const done = await playUser(ua, first, { login, stopAt: atApp });
  return client.handleRedirectCallback(done.location);
}

async function persistedLogin() {
  const store = memoryStore();
  const wire = tap();
  const client = await newClient(wire, { store });
  await logIn(client);
  return { store, wire, client };
}

const introspect = async (token) => (await postForm(`${servers.as.issuer}/token/introspection`, { token }, { basic: ['api', 'api-secret'] })).json;

test('a persisted login stores a non-extractable key and a DPoP-bound refresh token record, and the server accepts the WebCrypto-signed proofs', async () => {
  const { store, wire, client } = await persistedLogin();
  const { privateKey, jwk, record } = store.entry;
  assert.equal(privateKey.constructor.name, 'CryptoKey');
  assert.equal(privateKey.extractable, false);
  assert.deepEqual([privateKey.algorithm.name, privateKey.algorithm.namedCurve, privateKey.type], ['ECDSA', 'P-256', 'private']);
  const stored = JSON.parse(record);
  assert.deepEqual(Object.keys(stored), ['v', 'issuer', 'client_id', 'refresh_token', 'scope', 'dpop_jkt', 'sub']);
  assert.equal(stored.dpop_jkt, jwkThumbprint(JSON.parse(jwk)));
  assert.equal(stored.sub, 'alice');

  const { token, tokenType } = await client.getAccessToken();
  assert.equal(tokenType, 'DPoP');
  assert.ok(!JSON.stringify(store.entry).includes(token), 'no access token stored');
  assert.ok(!record.includes('eyJ'), 'no JWT (ID token) stored');
  assert.equal((await introspect(token)).cnf?.jkt, stored.dpop_jkt, 'the token is bound to the WebCrypto key');

  const [demand, exchange, ...more] = wire.tokenRequests('authorization_code');
  assert.equal(more.length, 0);
  assert.equal(demand.json.error, 'use_dpop_nonce');
  assert.equal(exchange.status, 200, 'the server accepted the proof WebCrypto signed');
  const proof = wire.proof(exchange);
  assert.deepEqual(proof.header.jwk, JSON.parse(jwk));
  assert.equal(proof.claims.nonce, demand.resHeaders.get('dpop-nonce'));
  assert.equal(proof.signature.length, 64, 'r||s, as JWS wants');

  const res = await client.fetch(`${servers.api.url}/me`);
  assert.equal(res.status, 200, 'the API accepted the WebCrypto-signed proof with ath');
});

test('a reload restores the session with one refresh: signed in, the user from a verified ID token, the record rotated', async () => {
  const { store } = await persistedLogin();
  const before = JSON.parse(store.entry.record);
  const wire = tap();
  const client = await newClient(wire, { store });
  assert.equal(await client.isAuthenticated(), true);
  assert.equal((await client.getUser()).sub, 'alice');
  const refreshes = wire.tokenRequests('refresh_token');
  assert.deepEqual(refreshes.map((e) => e.status), [400, 200], 'use_dpop_nonce, then the refresh with the nonce');
  assert.equal(refreshes[1].body.get('refresh_token'), before.refresh_token);
  assert.ok(refreshes[1].json.id_token, 'the refresh brought an ID token, which the core verified');
  assert.notEqual(JSON.parse(store.entry.record).refresh_token, before.refresh_token, 'the rotated token is stored');
  assert.equal((await client.fetch(`${servers.api.url}/me`)).status, 200);
});

test('a copied record is useless elsewhere: without the key the core refuses it; with a forged thumbprint the server refuses the thief\'s proof; without a proof too', async () => {
  const { store } = await persistedLogin();
  const stolen = store.entry.record;
  const thief = await newDpopKey();
  const thiefJkt = jwkThumbprint(JSON.parse(thief.jwk));

  // Another profile: its own key beside the copied record.
  const elsewhere = memoryStore({ ...thief, record: stolen });
  const wire = tap();
  const copy = await newClient(wire, { store: elsewhere });
  assert.equal(await copy.isAuthenticated(), false);
  assert.equal(wire.tokenRequests('refresh_token').length, 0, 'refused by the core (dpop_key_mismatch) before any request');
  assert.equal(elsewhere.entry, undefined, 'and deleted');

  // The thief rewrites dpop_jkt to their key: the core takes the record, the server does not.
  const forged = memoryStore({ ...thief, record: JSON.stringify({ ...JSON.parse(stolen), dpop_jkt: thiefJkt }) });
  const forgedWire = tap();
  const forgedClient = await newClient(forgedWire, { store: forged });
  assert.equal(await forgedClient.isAuthenticated(), false);
  const attempts = forgedWire.tokenRequests('refresh_token');
  assert.ok(attempts.length >= 1);
  assert.equal(attempts.at(-1).status, 400);
  assert.match(attempts.at(-1).json.error, /^(invalid_grant|invalid_dpop_proof)$/);
  assert.equal(forged.entry, undefined);

  // Straight to the token endpoint without a proof.
  const bare = await postForm(`${servers.as.issuer}/token`, { grant_type: 'refresh_token', refresh_token: JSON.parse(stolen).refresh_token, client_id: 'spa' });
  assert.equal(bare.status, 400);
  assert.match(bare.json.error, /^(invalid_grant|invalid_dpop_proof|invalid_request)$/);
});

test('a tampered, truncated, foreign or unparseable entry leaves a clean signed-out state, an empty store and no token request', async () => {
  const { store } = await persistedLogin();
  const good = store.entry;
  const record = JSON.parse(good.record);
  const other = await newDpopKey();
  const variants = {
    truncated: { ...good, record: good.record.slice(0, good.record.length - 9) },
    tampered: { ...good, record: good.record.replace('"v":1', '"v":2') },
    'extra member': { ...good, record: JSON.stringify({ ...record, access_token: 'x' }) },
    'another client': { ...good, record: JSON.stringify({ ...record, client_id: 'device' }) },
    'another issuer': { ...good, record: JSON.stringify({ ...record, issuer: 'http://127.0.0.1:9' }) },
    'not DPoP-bound (dpop_jkt empty)': { ...good, record: JSON.stringify({ ...record, dpop_jkt: '' }) },
    'a key that is not the token\'s': { ...good, ...other },
    'no key at all': { ...good, privateKey: 'not a key' },
    'a bad public key': { ...good, jwk: '{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}' },
    'not an object': 'garbage',
  };
  for (const [name, entry] of Object.entries(variants)) {
    const held = memoryStore(entry);
    const wire = tap();
    const client = await newClient(wire, { store: held });
    assert.equal(await client.isAuthenticated(), false, name);
    assert.equal(wire.tokenRequests('refresh_token').length, 0, `${name}: no refresh sent`);
    assert.equal(held.entry, undefined, `${name}: deleted`);
  }
});

test('a key planted without a record is not used: the next login gets a fresh key, so the planter cannot use the stored record elsewhere', async () => {
  // The planter's key: bytes it knows, imported non-extractable (as any script of the origin can)
  // and written to the entry with no record.
  const { subtle } = globalThis.crypto;
  const ES256 = { name: 'ECDSA', namedCurve: 'P-256' };
  const pair = await subtle.generateKey(ES256, true, ['sign']);
  const secret = await subtle.exportKey('jwk', pair.privateKey);
  const { kty, crv, x, y } = secret;
  const jwk = JSON.stringify({ kty, crv, x, y });
  const store = memoryStore({ privateKey: await subtle.importKey('jwk', secret, ES256, false, ['sign']), jwk });

  const client = await newClient(tap(), { store });
  assert.equal(await client.isAuthenticated(), false);
  await logIn(client);
  assert.notEqual(store.entry.jwk, jwk, 'the login is bound to a key made by the session holder');
  const { token } = await client.getAccessToken();
  assert.notEqual((await introspect(token)).cnf?.jkt, jwkThumbprint(JSON.parse(jwk)));

  // Elsewhere: the planter's own copy of its key beside the record it reads from the store.
  const elsewhere = memoryStore({ privateKey: await subtle.importKey('jwk', secret, ES256, false, ['sign']), jwk, record: store.entry.record });
  const wire = tap();
  const copy = await newClient(wire, { store: elsewhere });
  assert.equal(await copy.isAuthenticated(), false, 'the stored refresh token is useless with the planted key');
  assert.equal(wire.tokenRequests('refresh_token').length, 0, 'refused by the core (dpop_key_mismatch) before any request');
});

test('a planted record of a refresh token that is not DPoP-bound (another account\'s Bearer login) is not taken up: signed out, deleted, no refresh sent', async () => {
  const bearer = await newClient(tap(), false, { dpop: false });
  await logIn(bearer, 'mallory');
  const record = await bearer.exportSession();
  assert.equal(JSON.parse(record).dpop_jkt, '');
  const store = memoryStore({ ...(await newDpopKey()), record });
  const wire = tap();
  const client = await newClient(wire, { store });
  assert.equal(await client.isAuthenticated(), false, 'this browser is not signed into the planter\'s account');
  assert.equal(wire.tokenRequests('refresh_token').length, 0);
  assert.equal(store.entry, undefined);
});

test('a refresh token reused (an older copy of the record) is refused: session_expired and the record deleted', async () => {
  const { store } = await persistedLogin();
  const older = { ...store.entry };
  const first = await newClient(tap(), { store }); // rotates the refresh token
  assert.equal(await first.isAuthenticated(), true);

  const stale = memoryStore(older);
  const client = await newClient(tap(), { store: stale });
  assert.equal(await client.isAuthenticated(), false);
  assert.equal(stale.entry, undefined);
  assert.ok(servers.as.events.some((e) => e.grant_type === 'refresh_token' && e.error === 'invalid_grant'), 'the server saw a reuse');
});

test('two holders reloading at once take turns under the lock: the second refreshes with the first\'s rotated token, no reuse', async () => {
  const { store } = await persistedLogin();
  const locks = memoryLocks();
  const start = JSON.parse(store.entry.record).refresh_token;
  const wires = [tap(), tap()];
  const clients = await Promise.all(wires.map((wire) => newClient(wire, { store, locks })));
  for (const client of clients) assert.equal(await client.isAuthenticated(), true);
  const sent = wires.flatMap((w) => w.tokenRequests('refresh_token').filter((e) => e.status === 200).map((e) => e.body.get('refresh_token')));
  assert.equal(sent.length, 2);
  assert.equal(new Set(sent).size, 2, 'each refresh token sent once');
  assert.ok(sent.includes(start));
  for (const client of clients) assert.equal((await client.fetch(`${servers.api.url}/me`)).status, 200);
});

test('logout deletes the record and revokes; the next login stores a new key', async () => {
  const { store, client } = await persistedLogin();
  const { jwk } = store.entry;
  await client.logout();
  assert.equal(store.entry, undefined);
  assert.equal(await client.isAuthenticated(), false);
  await logIn(client);
  assert.notEqual(store.entry.jwk, jwk, 'a new key after logout');
});

test('persist is refused at createClient when the refresh token would not be DPoP-bound', async () => {
  const plain = await startAuthServer({ appOrigin: APP });
  try {
    await assert.rejects(createClient({ issuer: plain.issuer, clientId: 'spa', redirectUri: `${APP}/callback`, core, persist: { store: memoryStore() } }),
      { code: 'persist_unsupported' });
  } finally {
    await plain.close();
  }
  for (const options of [{ dpop: false }, { dpopAllowBearer: true }, { clientSecret: 'web-secret', clientId: 'web' }]) {
    await assert.rejects(newClient(tap(), { store: memoryStore() }, options), { code: 'persist_unsupported' }, JSON.stringify(options));
  }
});
