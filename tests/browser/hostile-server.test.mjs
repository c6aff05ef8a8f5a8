// A representative subset of the hostile-server lies (tests/support/hostile-server.mjs) in
// Chromium: the test SPA (scripts/dev-servers/app/, strict CSP, the session in a SharedWorker) logs in by
// redirect against the lying server. Each lie must show its typed error in the page, leave the
// user anonymous with nothing of the server's in storage, cookies or URLs, and the same tab must
// then log in once the server tells the truth. The Node suite (tests/node/hostile-server.test.mjs)
// covers every lie; this one proves the browser paths (opaque redirects, CORS, the worker).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startHostileServer, LIES } from '../support/hostile-server.mjs';
import { openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';

let app;
let as;

before(async () => {
  app = await startAppServer(); // first: its origin is where the hostile server redirects to
  as = await startHostileServer({ appOrigin: app.url });
  app.configure({ issuer: as.issuer, apiUrl: as.issuer });
});
after(async () => {
  await as?.close();
  await app?.close();
});
afterEach(() => { as.lie = null; });

// A fresh browser on the app's page; script errors and CSP violations fail the test.
const withPage = (fn) => withBrowser(async (context) => fn(await openReady(context, `${app.url}/`), context));

// Clicks login and waits until the page is back from the server with an outcome.
async function loginOutcome(page) {
  await page.evaluate(() => { document.getElementById('error-code').textContent = ''; });
  await Promise.all([page.waitForURL(`${app.url}/callback**`), page.click('#login-redirect')]);
  await page.waitForFunction(() => {
    const status = document.getElementById('status').textContent;
    return document.body.dataset.ready && (status === 'authenticated' || document.getElementById('error-code').textContent);
  });
  return {
    status: await page.locator('#status').textContent(),
    code: await page.locator('#error-code').textContent(),
    message: await page.locator('#error-code').getAttribute('title'),
  };
}

// Nothing the server issued is in the page's storage, cookies, address bar or error message.
async function assertNothingKept(page, context, outcome) {
  const places = await page.evaluate(() => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join('\n');
    return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie, url: location.href };
  });
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  for (const secret of as.secrets) {
    for (const [where, value] of Object.entries({ ...places, cookies, message: outcome.message ?? '' })) {
      assert.ok(!value.includes(secret), `a code or token of the server is in ${where}`);
    }
  }
  assert.ok(!new URL(places.url).searchParams.has('code'), 'the code left the address bar');
}

const subset = {
  'mix-up-iss': 'iss_mismatch',
  'alg-none': 'id_token_invalid',
  'wrong-nonce': 'id_token_invalid',
  'duplicate-members': 'invalid_response',
  'huge-response': 'response_too_large',
  'redirect-token': 'unexpected_redirect',
  'token-type-dpop': 'unsupported_token_type',
};

for (const [lie, code] of Object.entries(subset)) {
  test(`in Chromium, ${LIES[lie]}: ${code} in the page, nothing kept, then a good login in the same tab`, () => withPage(async (page, context) => {
    as.lie = lie;
    const refused = await loginOutcome(page);
    assert.equal(refused.code, code, `${refused.code}: ${refused.message}`);
    assert.equal(refused.status, 'anonymous');
    await assertNothingKept(page, context, refused);
    assert.equal(await page.evaluate(() => window.app.redirectClient.isAuthenticated()), false);

    as.lie = null;
    const good = await loginOutcome(page);
    assert.equal(good.status, 'authenticated', `then a good login: ${good.code} ${good.message}`);
    assert.equal(JSON.parse(await page.locator('#user').textContent()).sub, 'alice');
  }));
}
