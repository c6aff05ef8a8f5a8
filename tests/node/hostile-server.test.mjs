// The built wasm module against a lying authorization server (tests/support/hostile-server.mjs):
// one test per lie. Each lie must end in a typed OAuthError with the expected code, leave no token
// in the client, put none of the server's codes or tokens in any message or console line, and
// leave the module usable: the same client then logs in against the honest server.
// Runs against dist/ (make dist first).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, loadCore, OAuthError } from '../../dist/node.mjs';
import { startHostileServer, LIES } from '../support/hostile-server.mjs';
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';

const APP = 'http://127.0.0.1:5173'; // nothing listens: the test follows the redirect by hand
const REDIRECT_URI = `${APP}/callback`;

let as;
let core;
const consoleLines = [];
const originalConsole = {};
before(async () => {
  as = await startHostileServer({ appOrigin: APP });
  core = await loadCore(); // one module for every test: it must survive each lie
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    originalConsole[level] = console[level];
    console[level] = (...args) => consoleLines.push(args.map(String).join(' '));
  }
});
after(async () => {
  Object.assign(console, originalConsole);
  await as?.close();
});
afterEach(() => { as.lie = null; });

const newClient = (options = {}) => createClient({
  issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid profile',
  storage: new MemoryStorage(), core, retries: 0, autoRefresh: false, ...options,
});
// A drip that never ends is bounded by the request timeout; 3 s instead of the default 30 proves
// the same bound without the wait.
const optionsFor = { 'slow-drip': { requestTimeout: 3000 } };

// A redirect login: the hostile server approves at once and redirects to the callback.
async function login(client) {
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(res.status, 302, 'the authorization endpoint redirects back');
  return client.handleRedirectCallback(res.headers.get('location'));
}

// The error is typed, says why, and neither it nor anything logged holds a code or token the server issued.
function assertTypedAndClean(error, code, why) {
  assert.ok(error instanceof OAuthError, `an OAuthError, got ${error?.stack ?? error}`);
  assert.equal(error.code, code, `code ${code}, got ${error.code}: ${error.description}`);
  assert.match(error.description, why, 'refused for the reason the lie provokes');
  const texts = [error.message, error.description, error.uri, error.stack ?? '', String(error.cause ?? ''), ...consoleLines];
  for (const secret of as.secrets) {
    for (const text of texts) assert.ok(!text.includes(secret), 'no code or token of the server in a message');
  }
  return true;
}

async function assertNoTokens(client) {
  assert.equal(await client.isAuthenticated(), false, 'not authenticated');
  await assert.rejects(client.getAccessToken(), (e) => e instanceof OAuthError && e.code === 'login_required');
}

// After the lie: the server tells the truth again, and the same client (same module) logs in.
async function assertUsableAfter(client) {
  as.lie = null;
  const result = await login(client ?? (await newClient()));
  assert.equal(result.authenticated, true);
  assert.equal(result.user.sub, 'alice');
  assert.equal(result.user.iss, as.issuer);
}

// Lies in the login: the client refuses with [code, description] and holds no token.
const loginLies = {
  'mix-up-iss': ['iss_mismatch', /iss differs from the issuer/],
  'iss-missing': ['iss_missing', /advertises iss but the callback has none/],
  'state-injection': ['state_mismatch', /callback state does not match the transaction/],
  'code-injection': ['invalid_grant', /grant request is invalid/],
  'alg-none': ['id_token_invalid', /alg none is refused/],
  'hs256-rsa-key': ['id_token_invalid', /HMAC algs are refused/],
  'kid-wrong-type': ['id_token_invalid', /does not fit the key/],
  expired: ['id_token_invalid', /has expired/],
  'not-yet-valid': ['id_token_invalid', /in the future/],
  'wrong-audience': ['id_token_invalid', /another client \(aud\)/],
  'wrong-nonce': ['id_token_invalid', /nonce claim does not match/],
  'duplicate-members': ['invalid_response', /repeats a member name/],
  'huge-response': ['response_too_large', /exceeds 1048576 bytes/],
  'redirect-token': ['unexpected_redirect', /answered with a redirect/],
  'token-type-dpop': ['unsupported_token_type', /DPoP is not in use/],
  'id-token-other-issuer': ['id_token_invalid', /another issuer/],
  'id-token-duplicate-claims': ['id_token_invalid', /payload repeats a member name/],
  'huge-jwks': ['response_too_large', /exceeds 1048576 bytes/],
  'slow-drip': ['network_error', /failed/],
};

for (const [lie, [code, why]] of Object.entries(loginLies)) {
  test(`${LIES[lie]}: the login fails with ${code}, no token is kept, the module stays usable`, { timeout: 90000 }, async () => {
    const client = await newClient(optionsFor[lie]);
    as.lie = lie;
    const issuedBefore = as.secrets.length;
    await assert.rejects(login(client), (e) => assertTypedAndClean(e, code, why));
    assert.ok(as.secrets.length > issuedBefore || lie === 'redirect-token', 'the server did issue something to refuse');
    await assertNoTokens(client);
    await assertUsableAfter(client);
  });
}

test(`${LIES['metadata-issuer']}: the client is refused with issuer_mismatch, the module stays usable`, async () => {
  as.lie = 'metadata-issuer';
  await assert.rejects(newClient(), (e) => assertTypedAndClean(e, 'issuer_mismatch', /names issuer/));
  await assertUsableAfter();
});

test(`${LIES['pkce-downgrade']}: no authorization request is made (pkce_not_supported), the module stays usable`, async () => {
  as.lie = 'pkce-downgrade';
  const before = as.requests.filter((r) => r.path === '/authorize').length;
  const attempt = newClient().then(login);
  await assert.rejects(attempt, (e) => assertTypedAndClean(e, 'pkce_not_supported', /lacks S256/));
  assert.equal(as.requests.filter((r) => r.path === '/authorize').length, before, 'the browser was not sent to the server');
  await assertUsableAfter();
});

test(`${LIES['refresh-changes-sub']}: the refresh is refused and the session ends (session_expired), nothing of it kept`, async () => {
  const client = await newClient();
  await login(client);
  const expired = [];
  client.on('session_expired', (e) => expired.push(e.code));
  as.lie = 'refresh-changes-sub';
  const issuedBefore = as.secrets.length;
  await assert.rejects(client.refresh(), (e) => assertTypedAndClean(e, 'session_expired', /refreshed ID token.*changed sub/));
  const lying = as.secrets.slice(issuedBefore);
  assert.ok(lying.length >= 3, 'the lying response carried tokens');
  // OIDC Core §12.2: a server that swaps the user mid-session is not trusted with the session:
  // the core wiped every token (the lying ones and the earlier ones) and the user.
  assert.deepEqual(expired, ['session_expired']);
  assert.equal(await client.getUser(), null);
  await assertNoTokens(client);
  await assertUsableAfter(client);
});

test(`${LIES['refresh-refused-empty']}: the session ends (session_expired, status 400), no token kept`, async () => {
  const client = await newClient();
  await login(client);
  const expired = [];
  client.on('session_expired', (e) => expired.push([e.code, e.status]));
  as.lie = 'refresh-refused-empty';
  await assert.rejects(client.refresh(), (e) => assertTypedAndClean(e, 'session_expired', /refused \(HTTP 400/) && e.status === 400);
  // No JSON error to read, but refused all the same: not a session that looks alive until its
  // access token expires.
  assert.deepEqual(expired, [['session_expired', 400]]);
  assert.equal(await client.getUser(), null);
  await assertNoTokens(client);
  await assertUsableAfter(client);
});

// Lies in a refresh: the refresh fails with [code, description], and nothing of its response is kept.
const refreshLies = {
  'refresh-token-type-dpop': ['unsupported_token_type', /changed the token type/],
};

for (const [lie, [code, why]] of Object.entries(refreshLies)) {
  test(`${LIES[lie]}: the refresh fails with ${code} and its tokens are not kept`, async () => {
    const client = await newClient();
    await login(client);
    const before = await client.getAccessToken();
    as.lie = lie;
    const issuedBefore = as.secrets.length;
    await assert.rejects(client.refresh(), (e) => assertTypedAndClean(e, code, why));
    const lying = as.secrets.slice(issuedBefore);
    assert.ok(lying.length >= 3, 'the lying response carried tokens');
    // Nothing of the refused response reached the session: the user is still alice and any token
    // handed out is not one from the lying response.
    assert.equal((await client.getUser()).sub, 'alice');
    const after = await client.getAccessToken().catch((e) => e);
    if (!(after instanceof OAuthError)) {
      assert.equal(after.token, before.token);
      assert.ok(!lying.includes(after.token));
    }
    await assertUsableAfter(client);
  });
}

// Issue 22 item 6: the refresh token was sent and the server began to answer; a second send of the
// same token would be a reuse, which a rotating server answers by revoking the whole grant.
test(`${LIES['stall-after-headers']}: the refresh is not sent again, the session is kept`, async () => {
  const client = await createClient({
    issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid profile',
    storage: new MemoryStorage(), core, retries: 2, autoRefresh: false, requestTimeout: 2000,
  });
  await login(client);
  const before = await client.getAccessToken();
  const expired = [];
  client.on('session_expired', (e) => expired.push(e));
  const refreshes = () => as.requests.filter((r) => r.grant === 'refresh_token').length;
  const sent = refreshes();
  as.lie = 'stall-after-headers';
  await assert.rejects(client.refresh(), (e) => assertTypedAndClean(e, 'network_error', /answered HTTP 200, then failed/)
    && e.status === 200 && e.reason === 'timeout' && e.url === `${as.issuer}/token`);
  as.lie = null;
  assert.equal(refreshes() - sent, 1, 'the refresh token was sent once');
  assert.equal(as.reused, 0, 'the server saw no reuse: the grant stands');
  assert.deepEqual(expired, []);
  assert.equal(await client.isAuthenticated(), true);
  assert.equal((await client.getAccessToken()).token, before.token, 'the access token still serves');
});

test('a refresh that got no answer at all (the connection refused) is sent again, up to `retries` times', async () => {
  const attempts = [];
  // The token endpoint's connection refused the first time: nothing reached the server.
  const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const flaky = await createClient({
    issuer: as.issuer, clientId: 'spa', redirectUri: REDIRECT_URI, scope: 'openid profile', isolation: 'none',
    storage: new MemoryStorage(), core, retries: 1, autoRefresh: false,
    fetch: async (url, init) => {
      if (String(url).endsWith('/token') && new URLSearchParams(init.body).get('grant_type') === 'refresh_token') {
        attempts.push(Date.now());
        if (attempts.length === 1) throw refused;
      }
      return fetch(url, init);
    },
  });
  await login(flaky);
  const result = await flaky.refresh();
  assert.equal(result.authenticated, true);
  assert.equal(attempts.length, 2, 'sent again after the refused connection');
  assert.equal(as.reused, 0);
});

// Not a lie: RFC 7519 NumericDates may have fractions, and a claim may be any JSON number.
test('numbers in the ID token reach the user as the server wrote them: fractions, exponents, 64-bit integers', async () => {
  const now = Math.floor(Date.now() / 1000);
  as.numberClaims = {
    exp: `${now + 600}.75`, iat: `${now}e0`, score: '0.1', tiny: '1e-7', huge: '1.5e300',
    wide: '18446744073709551615', negative: '-2.5E+2', underflow: '1e-400',
  };
  try {
    const result = await login(await newClient());
    assert.equal(result.authenticated, true);
    const { user } = result;
    assert.equal(user.exp, now + 600.75);
    assert.equal(user.iat, now);
    assert.equal(user.score, 0.1);
    assert.equal(user.tiny, 1e-7);
    assert.equal(user.huge, 1.5e300);
    assert.equal(user.wide, 18446744073709551615);
    assert.equal(user.negative, -250);
    assert.equal(user.underflow, 0);
  } finally {
    as.numberClaims = null;
  }
});

test('an ID token with a number no double can hold is refused (id_token_invalid), the module stays usable', async () => {
  as.numberClaims = { score: '1e400' };
  try {
    await assert.rejects(login(await newClient()), (e) => assertTypedAndClean(e, 'id_token_invalid', /not valid JSON/));
  } finally {
    as.numberClaims = null;
  }
  await assertUsableAfter();
});

test('every lie of the hostile server has a test here', () => {
  const tested = [...Object.keys(loginLies), ...Object.keys(refreshLies), 'metadata-issuer', 'pkce-downgrade', 'refresh-changes-sub',
    'stall-after-headers', 'refresh-refused-empty'];
  assert.deepEqual(tested.sort(), Object.keys(LIES).sort());
});
