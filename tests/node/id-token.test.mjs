// ID token verification against the real test authorization server (oidc-provider on 127.0.0.1):
// RS256, ES256 and EdDSA logins whose user comes from the verified ID token; the JWKS fetched as
// a core step and cached for its Cache-Control lifetime (5 minutes to a day); signing-key rotation
// (one refetch on an unknown kid per login or refresh); a tampered token, a token issued to another
// client and one signed with an alg the app did not register refused as id_token_invalid.
// Runs against dist/ (make dist first).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, loadIsolatedCore, OAuthError } from '../../dist/node.mjs';
import { perform } from '../../web/http.mjs';
import { startAuthServer, publicJwks } from '../../scripts/dev-servers/auth-server.mjs';
import { UserAgent, playUser, pkcePair, postForm, randomToken } from '../../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens there: the user agent stops at the redirect
const REDIRECT_URI = `${APP}/callback`;
const atApp = (url) => url.startsWith(`${APP}/`);
const now = () => Math.floor(Date.now() / 1000);
const SCOPE = 'openid profile email';

let core;
before(async () => {
  core = await loadIsolatedCore();
});


const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const jwtHeader = (jwt) => decodePart(jwt.split('.')[0]);
const jwtClaims = (jwt) => decodePart(jwt.split('.')[1]);

// Plays the user from the authorization URL to the redirect back to the app; returns that URL.
async function playLogin(authorizationUrl, login = 'alice') {
  const ua = new UserAgent();
  const first = await ua.navigate(authorizationUrl, { stopAt: atApp });
  const done = await playUser(ua, first, { login, stopAt: atApp });
  assert.ok(done.location, `the server did not redirect back: ${done.url} ${done.text.slice(0, 200)}`);
  return done.location;
}

// A fetch for createClient that records every URL it carries, keeps the ID tokens of the token
// responses it passes on, and lets a test rewrite the token endpoint's answer (`onToken`).
function recordingFetch(as, { onToken } = {}) {
  const log = { urls: [], idTokens: [] };
  log.count = (path) => log.urls.filter((u) => u === `${as.issuer}${path}`).length;
  log.fetch = async (url, init) => {
    log.urls.push(String(url));
    const res = await fetch(url, init);
    if (String(url) !== `${as.issuer}/token` || res.status !== 200) return res;
    let body = await res.json();
    if (body.id_token) log.idTokens.push(body.id_token);
    if (onToken) body = await onToken(body);
    return Response.json(body, { status: res.status, headers: { 'Cache-Control': 'no-store' } });
  };
  return log;
}

const newClient = (as, log) => createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: SCOPE,
  storage: new MemoryStorage(), core, fetch: log.fetch,
});

// A full redirect login through createClient: resolves to handleRedirectCallback's result.
async function clientLogin(client, login = 'alice', { beforeCallback } = {}) {
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  if (beforeCallback) await beforeCallback(new URL(authorizationUrl));
  return client.handleRedirectCallback(await playLogin(authorizationUrl, login));
}

for (const [alg, kty, crv] of [['RS256', 'RSA'], ['ES256', 'EC', 'P-256'], ['EdDSA', 'OKP', 'Ed25519']]) {
  describe(`${alg} ID tokens`, () => {
    let as;
    before(async () => { as = await startAuthServer({ appOrigin: APP, idTokenAlg: alg }); });
    after(() => as?.close());

    test(`a login with an ${alg} ID token: the user comes from the verified token, the JWKS is fetched once`, async () => {
      const log = recordingFetch(as);
      const client = await newClient(as, log);
      assert.equal(log.count('/jwks'), 0, 'no JWKS before there is an ID token to verify');

      const result = await clientLogin(client, 'alice');
      assert.equal(result.authenticated, true);
      assert.deepEqual(
        { sub: result.user.sub, name: result.user.name, email: result.user.email, iss: result.user.iss, aud: result.user.aud },
        { sub: 'alice', name: 'Demo User', email: 'alice@example.test', iss: as.issuer, aud: 'spa' },
      );
      assert.deepEqual(await client.getUser(), result.user);

      // The token the server really sent: signed with alg by a key the JWKS publishes.
      assert.equal(log.idTokens.length, 1);
      const header = jwtHeader(log.idTokens[0]);
      assert.equal(header.alg, alg);
      const key = publicJwks(as.jwks).keys.find((k) => k.kid === header.kid);
      assert.ok(key, 'the token names a published kid');
      assert.equal(key.kty, kty);
      if (crv) assert.equal(key.crv, crv);
      assert.equal(result.user.sub, jwtClaims(log.idTokens[0]).sub);

      // Discovery, the token request, then the JWKS (a core step after the token response).
      assert.equal(log.count('/jwks'), 1);
      assert.deepEqual(log.urls.map((u) => new URL(u).pathname), ['/.well-known/openid-configuration', '/token', '/jwks']);

      // A second login by the same client verifies with the cached keys.
      const again = await clientLogin(client, 'bob');
      assert.equal(again.user.sub, 'bob');
      assert.equal(log.count('/jwks'), 1, 'the JWKS is cached');
      assert.equal(log.count('/token'), 2);
      await client.logout();
    });
  });
}

describe('tampered and misdirected ID tokens', () => {
  let as;
  before(async () => { as = await startAuthServer({ appOrigin: APP, idTokenAlg: 'ES256' }); });
  after(() => as?.close());

  // Logs in with the token response rewritten by onToken; the login must fail as id_token_invalid
  // after the token and JWKS requests, leaving no session. Returns the refusal.
  async function refusedLogin(onToken, options) {
    const log = recordingFetch(as, { onToken });
    const client = await newClient(as, log);
    const errors = [];
    client.on('error', (e) => errors.push(e.code));
    let refusal;
    await assert.rejects(clientLogin(client, 'alice', options), (e) => {
      refusal = e;
      return e instanceof OAuthError && e.code === 'id_token_invalid' && e.blame === 'remote';
    });
    assert.equal(log.count('/token'), 1);
    assert.equal(log.count('/jwks'), 1, 'the signature was checked against the fetched JWKS');
    assert.equal(await client.isAuthenticated(), false, 'no session');
    assert.equal(await client.getUser(), null);
    await assert.rejects(client.getAccessToken(), (e) => e.code === 'login_required');
    assert.deepEqual(errors, ['id_token_invalid']);
    return refusal;
  }

  test('one character of the payload flipped: id_token_invalid, no session', async () => {
    await refusedLogin((body) => {
      const [h, p, s] = body.id_token.split('.');
      const i = Math.floor(p.length / 2);
      const flipped = p.slice(0, i) + (p[i] === 'A' ? 'B' : 'A') + p.slice(i + 1);
      return { ...body, id_token: [h, flipped, s].join('.') };
    });
  });

  test('a well-formed payload with another sub under the original signature: refused by the signature check', async () => {
    const refusal = await refusedLogin((body) => {
      const [h, p, s] = body.id_token.split('.');
      const claims = { ...decodePart(p), sub: 'mallory' };
      return { ...body, id_token: [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.') };
    });
    assert.match(refusal.description, /signature/);
  });

  test('the signature of another token from the same key: refused', async () => {
    // An earlier genuine token of the same server and key, its signature pasted on this payload.
    const log = recordingFetch(as);
    await clientLogin(await newClient(as, log), 'bob');
    const [, , otherSignature] = log.idTokens[0].split('.');
    const refusal = await refusedLogin((body) => {
      const [h, p] = body.id_token.split('.');
      return { ...body, id_token: [h, p, otherSignature].join('.') };
    });
    assert.match(refusal.description, /signature/);
  });

  test('an ID token issued to another client (aud web), same nonce, iss and key: id_token_invalid', async () => {
    // The `web` client logs alice in with the spa transaction's nonce; its genuine token response
    // (ID token and the access token its at_hash covers) replaces the spa's: only aud differs.
    let webTokens;
    const refusal = await refusedLogin(() => webTokens, {
      async beforeCallback(spaRequest) {
        const nonce = spaRequest.searchParams.get('nonce');
        const pkce = pkcePair();
        const redirectUri = `${APP}/server/callback`;
        const auth = new URL(`${as.issuer}/auth`);
        auth.search = new URLSearchParams({
          client_id: 'web', response_type: 'code', redirect_uri: redirectUri, scope: SCOPE,
          state: randomToken(), nonce, code_challenge: pkce.challenge, code_challenge_method: 'S256',
        });
        const code = new URL(await playLogin(auth.href, 'alice')).searchParams.get('code');
        assert.ok(code);
        const res = await postForm(`${as.issuer}/token`, {
          grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier,
        }, { basic: ['web', 'web-secret'] });
        assert.equal(res.status, 200, res.text);
        webTokens = res.json;
        const claims = jwtClaims(webTokens.id_token);
        assert.equal(claims.aud, 'web');
        assert.equal(claims.nonce, nonce);
        assert.equal(claims.iss, as.issuer);
      },
    });
    assert.match(refusal.description, /another client \(aud\)/);
  });
});

// ---- key rotation, through the raw core API so that the test sets `now` ----

// A spa client of the raw core with discovery done.
async function rawClient(as) {
  const { handle: id, request } = core.clientCreate(JSON.stringify({ issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI })).value;
  assert.ok(core.clientSetMetadata(id, await perform(request)).ok);
  return id;
}

// Carries the core's requests from `step` until it is done or refuses, every call at time `t`.
// `serveJwks` may answer the JWKS request instead of the server. Returns { step, jwksFetches, idToken }.
async function converse(id, step, t, { serveJwks } = {}) {
  let jwksFetches = 0;
  let idToken;
  while (step.ok && step.value.kind === 'perform') {
    const { request } = step.value;
    let response;
    if (new URL(request.url).pathname === '/jwks') {
      jwksFetches++;
      response = serveJwks ? serveJwks(request) : await perform(request);
    } else {
      response = await perform(request);
      if (request.url.endsWith('/token') && response.status === 200) idToken = JSON.parse(response.body).id_token;
    }
    step = core.clientResume(id, response, t);
  }
  return { step, jwksFetches, idToken };
}

// A login of the raw core with every core call at time `t` (seconds).
async function rawLogin(id, t, login = 'alice', options = {}) {
  const { url, transaction } = core.clientAuthorize(id, JSON.stringify({ scope: SCOPE }), t).value;
  const callback = await playLogin(url, login);
  return converse(id, core.clientCallback(id, callback, transaction, t), t, options);
}

const kidsOf = (jwks, prefix) => jwks.keys.filter((k) => k.kid.startsWith(prefix)).map((k) => k.kid);

describe('signing key rotation', () => {
  let as;
  before(async () => { as = await startAuthServer({ appOrigin: APP, idTokenAlg: 'ES256' }); });
  after(() => as?.close());

  test('after a rotation the next login refetches the JWKS exactly once and succeeds, however soon after the last fetch', async () => {
    const id = await rawClient(as);
    const t0 = now();

    const first = await rawLogin(id, t0, 'alice');
    assert.equal(first.step.ok, true, JSON.stringify(first.step.error));
    assert.equal(first.step.value.result.user.sub, 'alice');
    assert.equal(first.jwksFetches, 1);
    const oldKid = jwtHeader(first.idToken).kid;
    assert.deepEqual(kidsOf(as.jwks, 'ec-'), [oldKid]);

    const cached = await rawLogin(id, t0 + 1, 'alice');
    assert.equal(cached.step.ok, true);
    assert.equal(cached.jwksFetches, 0, 'same key: the cached JWKS serves');

    const rotated = as.rotateKeys();
    const [newKid] = kidsOf(rotated, 'ec-');
    assert.notEqual(newKid, oldKid);

    // 2 s after the JWKS was fetched: one refetch for the unknown kid, and the new key verifies
    // the token (the limit is one fetch per exchange, not a cooldown).
    const later = await rawLogin(id, t0 + 2, 'bob');
    assert.equal(jwtHeader(later.idToken).kid, newKid, 'the server signs with the new key');
    assert.equal(later.step.ok, true, JSON.stringify(later.step.error));
    assert.equal(later.jwksFetches, 1, 'exactly one JWKS refetch');
    assert.equal(later.step.value.result.user.sub, 'bob');
    assert.equal(core.clientUser(id).value.sub, 'bob');

    const next = await rawLogin(id, t0 + 3, 'carol');
    assert.equal(next.step.ok, true);
    assert.equal(next.jwksFetches, 0, 'the refetched JWKS is cached');
    core.clientDestroy(id);
  });

  test('a refetched JWKS that still lacks the kid: refused after one request, never a loop', async () => {
    const id = await rawClient(as);
    const t0 = now();
    assert.equal((await rawLogin(id, t0)).jwksFetches, 1);
    const stale = await perform({ method: 'GET', url: `${as.issuer}/jwks`, headers: [], body: '' });
    as.rotateKeys({ keepPrevious: false });

    // A stale copy (a cache in front of the jwks_uri) answers the one refetch.
    const refused = await rawLogin(id, t0 + 1, 'alice', { serveJwks: () => stale });
    assert.equal(refused.jwksFetches, 1);
    assert.equal(refused.step.ok, false);
    assert.equal(refused.step.error.code, 'id_token_invalid');
    assert.equal(refused.step.error.blame, 'remote');

    // The next login asks once more (its own one fetch), gets the real JWKS and holds.
    const healed = await rawLogin(id, t0 + 2, 'alice');
    assert.equal(healed.jwksFetches, 1);
    assert.equal(healed.step.ok, true, JSON.stringify(healed.step.error));
    core.clientDestroy(id);
  });

  test('a refresh whose ID token is signed by a rotated key: one JWKS refetch, same user (OIDC Core 12.2)', async () => {
    const id = await rawClient(as);
    const t0 = now();
    const login = await rawLogin(id, t0, 'dave');
    assert.equal(login.step.ok, true);
    assert.equal(core.clientTokenState(id, t0).value.hasRefreshToken, true);
    const rotated = as.rotateKeys();

    const refresh = core.clientRefresh(id, t0 + 5);
    assert.equal(refresh.ok, true, JSON.stringify(refresh.error));
    const response = await perform(refresh.value.request);
    assert.equal(response.status, 200, response.body);
    const refreshedIdToken = JSON.parse(response.body).id_token;
    assert.ok(refreshedIdToken, 'the server sends an ID token on refresh');
    assert.equal(jwtHeader(refreshedIdToken).kid, kidsOf(rotated, 'ec-')[0]);

    // 5 s after the login's JWKS fetch: refetched all the same, and the session goes on.
    const refreshed = await converse(id, core.clientResume(id, response, t0 + 5), t0 + 5);
    assert.equal(refreshed.jwksFetches, 1);
    assert.equal(refreshed.step.ok, true, JSON.stringify(refreshed.step.error));
    assert.equal(refreshed.step.value.result.user.sub, 'dave');
    assert.equal(core.clientIsAuthenticated(id, t0 + 5).value, true);
    core.clientDestroy(id);
  });

  test('the JWKS is trusted at least 5 minutes and at most a day, whatever the server says', async () => {
    const id = await rawClient(as);
    const t0 = now();
    assert.equal((await rawLogin(id, t0)).jwksFetches, 1);
    assert.equal((await rawLogin(id, t0 + 299)).jwksFetches, 0, 'within the lower bound: the held JWKS');
    // A day on (the core's clock only: the server's tokens then look an hour expired, and are
    // refused for that), the JWKS is fetched again before the ID token is judged.
    const dayLater = await rawLogin(id, t0 + 24 * 3600);
    assert.equal(dayLater.jwksFetches, 1, 'past the upper bound: fetched again before the ID token is believed');
    core.clientDestroy(id);
  });
});

describe('the ID token alg the app registered (idTokenSigningAlg, RFC 8725 §3.1)', () => {
  let as;
  before(async () => { as = await startAuthServer({ appOrigin: APP, idTokenAlg: 'ES256' }); });
  after(() => as?.close());

  const registered = (alg) => createClient({
    issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: SCOPE,
    storage: new MemoryStorage(), core, idTokenSigningAlg: alg,
  });

  test('the alg the server signs with is accepted; another registered alg refuses its ID tokens', async () => {
    const listed = (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()).id_token_signing_alg_values_supported;
    assert.ok(listed.includes('ES256') && listed.includes('RS256'), `the server lists ES256 and RS256: ${listed}`);
    const ok = await clientLogin(await registered('ES256'));
    assert.equal(ok.user.sub, 'alice');
    await assert.rejects(clientLogin(await registered('RS256')), (e) => e instanceof OAuthError
      && e.code === 'id_token_invalid' && /not one the client allows/.test(e.description));
    await assert.rejects(registered('HS256'), (e) => e.code === 'invalid_argument' && /idTokenSigningAlg/.test(e.description));
  });
});
