// The browser scenarios that must hold in every engine, written once against the driver
// abstraction (tests/browser/engines.mjs) and defined per engine by chromium.test.mjs,
// firefox.test.mjs and webkit.test.mjs (so the three can run in parallel):
// redirect and popup login, restore after reload, refresh with single flight across two tabs,
// PAR + DPoP, all in the test SPA under its strict CSP (a violation fails the test), and the Vite
// app built from the packed tarball. Servers: oidc-provider (8, or 9 with OIDC_PROVIDER=9 or the
// `provider` option), the test API, the app, all on free loopback ports.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { signInOnLoginPage, startGlewlwyd, USER_PASSWORD } from '../support/glewlwyd.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { buildViteApp, serveBuild } from '../../scripts/dev-servers/vite-build.mjs';
import { closeEngines, withEngine } from '../browser/engines.mjs';
import { persistedState } from '../../scripts/dev-servers/spa-page.mjs';

// Access token lifetime (s): short, so the refresh scenario waits little, yet long enough that the
// token one tab's refresh brought is still fresh (the client renews at half the lifetime) when the
// other tab's calls start on a loaded machine.
const TTL = 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Where a page is in a login: back at the app (`appPrefix`, ready), or on the server's login or
// consent page; null while loading.
function whereIs(appPrefix) {
  if (location.href.startsWith(appPrefix)) return document.body?.dataset.ready ? 'back' : null;
  if (document.querySelector('#login-form')) return 'login';
  if (document.querySelector('#consent-form')) return 'consent';
  return null;
}

// Plays the user on the server's pages (login, then consent when asked) until the page is back
// at `appPrefix` ('back') or, for a popup, has closed itself ('gone').
async function playUser(page, { appPrefix, login }) {
  for (let step = 0; step < 6; step++) {
    const at = await page.poll(whereIs, appPrefix, { what: 'the login or consent page, or the app', orGone: true });
    if (at === 'back' || at === 'gone') return at;
    if (at === 'login') {
      await page.fill('#login', login);
      await page.fill('#password', 'any password');
    }
    await page.click(at === 'login' ? '#submit' : '#approve');
    await page.poll((form) => !document.querySelector(form), `#${at}-form`, { what: `the ${at} page to go`, orGone: true });
  }
  throw new Error(`${page.engine}: the login did not finish`);
}

const untilOutcome = (page) => page.waitForFunction(() => {
  const status = document.getElementById('status')?.textContent;
  return document.body.dataset.ready && (status === 'authenticated' || document.getElementById('error-code').textContent);
});

async function assertSignedIn(page, sub) {
  await untilOutcome(page);
  assert.equal(await page.text('#error-code'), '', `${page.engine}: no error`);
  assert.equal(await page.text('#status'), 'authenticated');
  assert.equal(JSON.parse(await page.text('#user')).sub, sub);
}

async function callApi(page) {
  await page.evaluate(() => { document.getElementById('api-result').textContent = ''; });
  await page.click('#call-api');
  await page.waitForFunction(() => document.getElementById('api-result').textContent || document.getElementById('error-code').textContent);
  const result = await page.text('#api-result');
  return result ? JSON.parse(result) : { error: await page.text('#error-code') };
}

async function open(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  return page;
}

// Nothing token-like where page script can persist or read it, no transaction left behind.
async function assertNothingStored(page, tokens) {
  const found = await persistedState(page);
  assert.deepEqual(found.databases, [], 'no IndexedDB database');
  assert.deepEqual(found.caches, [], 'no Cache Storage');
  assert.deepEqual(found.transactionKeys.filter((k) => k.startsWith('oauth-wasm.tx.')), [], 'no transaction left');
  for (const where of ['local', 'session', 'cookie', 'url']) {
    for (const token of tokens) assert.ok(!found[where].includes(token), `a token is in ${where}`);
    assert.doesNotMatch(found[where], /eyJ[\w-]+\.eyJ[\w-]+\./, `a JWT is in ${where}`);
  }
}

// Starts calls to client.fetch in the page without waiting; collect() gives their statuses or
// error codes. Two pages' batches thus run at the same time whatever the driver.
const startFetches = (page, url, n) => page.evaluate(({ url, n }) => {
  window.__batch = Promise.all(Array.from({ length: n }, () => app.active.fetch(url).then((r) => r.status, (e) => e.code)));
}, { url, n });
const collect = (page) => page.evaluate(() => window.__batch);

/**
 * Defines the scenarios for `engine` in the calling test file. Options: provider (8 or 9; default
 * OIDC_PROVIDER or 8), glewlwyd (true: also log in against Glewlwyd).
 */
export function defineScenarios(engine, { provider = Number(process.env.OIDC_PROVIDER ?? 8), glewlwyd: withGlewlwyd = true } = {}) {
  let app; // the test SPA
  let as; // oidc-provider with 4 s access tokens
  let api;
  let dpopAs; // oidc-provider requiring PAR and DPoP nonces
  let dpopApi; // an API demanding DPoP nonces of its own
  let vite; // the Vite build of the packed tarball, served
  let built;
  let viteAs;
  let viteApi;
  let glewlwyd; // Glewlwyd 2.7.5, a second authorization server
  const prompts = []; // the prompt parameter of each authorization request `as` received
  const pushes = []; // dpop_jkt of each pushed authorization request `dpopAs` answered

  before(async () => {
    app = await startAppServer();
    built = await buildViteApp();
    vite = await serveBuild(join(built.appDir, 'dist'));
    as = await startAuthServer({ appOrigin: app.url, accessTokenTTL: TTL, provider });
    as.use(async (ctx, next) => {
      if (ctx.method === 'GET' && ctx.path === '/auth') prompts.push(ctx.query.prompt ?? null);
      await next();
    });
    api = await startTestApi({ issuer: as.issuer });
    dpopAs = await startAuthServer({ appOrigin: app.url, requirePar: true, dpopRequireNonce: true, provider });
    dpopAs.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route === 'pushed_authorization_request' && ctx.status === 201) pushes.push(ctx.oidc.params?.dpop_jkt);
    });
    dpopApi = await startTestApi({ issuer: dpopAs.issuer, dpopNonce: true });
    // The Vite app has an origin of its own, so a server (redirect URIs) and API of its own.
    viteAs = await startAuthServer({ appOrigin: vite.url, provider });
    viteApi = await startTestApi({ issuer: viteAs.issuer });
    Object.assign(vite.config, { issuer: viteAs.issuer, apiUrl: viteApi.url });
    if (withGlewlwyd) glewlwyd = await startGlewlwyd({ appOrigin: app.url });
  });

  after(async () => {
    await closeEngines();
    for (const server of [glewlwyd, viteApi, viteAs, dpopApi, dpopAs, api, as, vite, app]) await server?.close();
    built?.close();
  });

  beforeEach(() => {
    app.configure({ issuer: as.issuer, apiUrl: api.url, client: { autoRefresh: false }, restore: false });
  });

  const refreshes = () => as.counts.refresh_token ?? 0;
  const name = (what) => `${engine} (oidc-provider ${provider}): ${what}`;

  test(name('the check can fail: an inline script the CSP refuses fails the session, naming the engine'), async () => {
    await assert.rejects(withEngine(engine, async (browser) => {
      const page = await open(browser, app.url);
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
      });
      await sleep(300);
      assert.equal(await page.evaluate(() => window.inlineRan ?? false), false, 'the CSP blocked the inline script');
    }), (e) => e.message.startsWith(engine) && /Content[- ]Security[- ]Policy|Refused/i.test(e.message));
  });

  test(name('login by redirect under the strict CSP: a clean address bar, the API, nothing stored, logout'), () => withEngine(engine, async (browser) => {
    const page = await open(browser, app.url);
    assert.equal(await page.text('#status'), 'anonymous');
    const tokenRequests = as.counts.authorization_code ?? 0;
    await page.click('#login-redirect');
    assert.equal(await playUser(page, { appPrefix: `${app.url}/callback`, login: 'alice' }), 'back');
    await assertSignedIn(page, 'alice');
    assert.equal(await page.url(), `${app.url}/callback`, 'code, state and iss left the address bar');
    assert.equal(as.counts.authorization_code, tokenRequests + 1, 'one token request');

    const me = await callApi(page);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, 'alice');
    const { token } = await page.evaluate(() => app.active.getAccessToken());
    await assertNothingStored(page, [token]);

    await page.click('#logout');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
    assert.deepEqual(await callApi(page), { error: 'login_required' });
    assert.deepEqual(await page.evaluate(() => app.events.map((e) => e.type)), ['login', 'logout']);
  }));

  test(name('login by popup: the opener gets the callback by postMessage and stays where it was'), () => withEngine(engine, async (browser) => {
    const page = await open(browser, app.url);
    const popup = await page.popupFrom('#login-popup');
    assert.equal(await playUser(popup, { appPrefix: `${app.url}/popup-callback`, login: 'bob' }), 'gone', 'the popup closed itself');
    await assertSignedIn(page, 'bob');
    assert.equal(await page.url(), `${app.url}/`);
    const me = await callApi(page);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, 'bob');
    assert.deepEqual(await page.evaluate(() => app.events.map((e) => e.type)), ['login']);
  }));

  // With the session in a dedicated worker it ends with the document in every engine (a
  // SharedWorker may outlive a same-tab navigation for a moment, and WebKit's does).
  test(name('restore after reload: one prompt=none redirect brings the session back, and no loop without one'), () => withEngine(engine, async (browser) => {
    app.configure({ restore: true, client: { autoRefresh: false, isolation: 'worker' } });
    const from = prompts.length;
    const page = await open(browser, `${app.url}/?from=home`);
    // A fresh profile has no server session: one silent attempt, login_required, logged out.
    await page.waitForFunction(() => document.getElementById('error-code').textContent === 'login_required');
    assert.deepEqual(prompts.slice(from), ['none']);
    assert.equal(await page.url(), `${app.url}/?from=home`, 'back on the page it started from');
    await page.reload();
    await page.waitForSelector('body[data-ready]');
    assert.equal(await page.text('#status'), 'anonymous');
    assert.deepEqual(prompts.slice(from), ['none'], 'tried once in this tab, no loop');

    await page.click('#login-redirect');
    await playUser(page, { appPrefix: `${app.url}/callback`, login: 'dana' });
    await assertSignedIn(page, 'dana');
    // The session lived in the document's worker; a new document restores it from the server session.
    await page.goto(`${app.url}/?from=reload`);
    // Back on that page after the restore's round trip, with the user shown (the first document
    // may render itself anonymous while it leaves for the server).
    await page.waitForFunction(() => location.search === '?from=reload' && document.getElementById('user').textContent);
    assert.deepEqual(prompts.slice(from), ['none', null, 'none'], 'one silent redirect restored it');
    assert.equal(await page.url(), `${app.url}/?from=reload`);
    assert.equal(JSON.parse(await page.text('#user')).sub, 'dana');
    assert.equal((await callApi(page)).status, 200);
  }));

  // Issue 20's silent restore in every engine: the server's session comes back through a hidden
  // frame whose callback page hands its answer to the worker; the page itself never navigates.
  test(name('silent restore after reload: a hidden frame brings the session back, the page never leaves'), () => withEngine(engine, async (browser) => {
    app.configure({ restore: true, silent: true, restoreOptions: { fallback: 'none' }, client: { autoRefresh: false, isolation: 'worker' } });
    const from = prompts.length;
    // A fresh profile has no server session: one framed attempt, login_required, signed out in place.
    const page = await open(browser, `${app.url}/?from=home`);
    assert.equal(await page.evaluate(() => String(app.restored)), 'false');
    assert.equal(await page.text('#status'), 'anonymous');
    assert.equal(await page.text('#error-code'), '', 'no error shown for a signed-out visitor');
    assert.deepEqual(prompts.slice(from), ['none']);
    assert.equal(await page.url(), `${app.url}/?from=home`);

    await page.click('#login-redirect');
    await playUser(page, { appPrefix: `${app.url}/callback`, login: 'erin' });
    await assertSignedIn(page, 'erin');
    const tokenRequests = as.counts.authorization_code;
    // A new document: the session lived in its worker; the frame restores it from the server session.
    await page.goto(`${app.url}/?from=reload`);
    await page.waitForFunction(() => document.getElementById('user').textContent);
    assert.equal(await page.evaluate(() => String(app.restored)), 'true');
    assert.equal(await page.evaluate(() => document.readyState === 'complete' && location.search), '?from=reload',
      'the page stayed where it was: no top-level trip');
    assert.deepEqual(prompts.slice(from), ['none', null, 'none'], 'one framed prompt=none request');
    assert.equal(as.counts.authorization_code, tokenRequests + 1, 'its code redeemed once');
    assert.equal(JSON.parse(await page.text('#user')).sub, 'erin');
    assert.equal((await callApi(page)).status, 200);
  }));

  test(name('two tabs share one session; both refresh at once with one request; logout reaches both'), () => withEngine(engine, async (browser) => {
    const one = await open(browser, app.url);
    await one.click('#login-redirect');
    await playUser(one, { appPrefix: `${app.url}/callback`, login: 'carol' });
    await assertSignedIn(one, 'carol');
    const logins = as.counts.authorization_code;
    const two = await open(browser, app.url);
    assert.equal(await two.text('#status'), 'authenticated', 'the second tab found the session');
    assert.equal(as.counts.authorization_code, logins, 'no second login');

    const { expiresAt } = await one.evaluate(() => app.active.getAccessToken());
    await sleep(Math.max(0, expiresAt * 1000 - Date.now()) + 1100);
    const before = refreshes();
    await startFetches(one, `${api.url}/me`, 5);
    await startFetches(two, `${api.url}/me`, 5);
    assert.deepEqual([...await collect(one), ...await collect(two)], Array(10).fill(200));
    assert.equal(refreshes(), before + 1, 'exactly one refresh request for both tabs');
    assert.equal(api.calls.rejected, 0, 'no expired token was sent');

    await one.click('#logout');
    await two.waitForFunction(() => app.events.some((e) => e.type === 'logout'));
    assert.equal(await two.evaluate(() => app.active.isAuthenticated()), false);
  }));

  test(name('PAR and DPoP: pushed from the worker, DPoP-bound tokens, the API takes the proofs and nonces'), () => withEngine(engine, async (browser) => {
    app.configure({ issuer: dpopAs.issuer, apiUrl: dpopApi.url });
    const page = await open(browser, app.url);
    const pushed = pushes.length;
    const nonceDemands = dpopApi.calls.nonceDemands;
    await page.click('#login-redirect');
    await playUser(page, { appPrefix: `${app.url}/callback`, login: 'erin' });
    await assertSignedIn(page, 'erin');
    assert.equal(pushes.length, pushed + 1, 'one pushed authorization request');
    const me = await callApi(page);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, 'erin');
    assert.ok(dpopApi.calls.nonceDemands > nonceDemands, 'the API demanded its nonce and the client retried with it');
    assert.equal((await page.evaluate(() => app.active.getAccessToken())).tokenType, 'DPoP');
  }));

  // Issue 20's persisted-bound mode in every engine: after a new document, the worker finds the
  // DPoP-bound refresh token in IndexedDB with its non-extractable WebCrypto key and refreshes once,
  // with no authorization request and no navigation; logout empties the store.
  test(name('persist: a new document is signed in by one refresh from IndexedDB, no authorization request; logout empties it'), () => withEngine(engine, async (browser) => {
    app.configure({ issuer: dpopAs.issuer, apiUrl: dpopApi.url, client: { autoRefresh: false, persist: true, isolation: 'worker' } });
    const page = await open(browser, app.url);
    await page.click('#login-redirect');
    await playUser(page, { appPrefix: `${app.url}/callback`, login: 'fay' });
    await assertSignedIn(page, 'fay');
    const pushed = pushes.length;
    const refreshesBefore = dpopAs.counts.refresh_token ?? 0;
    app.configure({ restore: true }); // restore() finds the persisted session: no trip to the server
    await page.goto(`${app.url}/?from=reload`);
    await page.waitForFunction(() => document.getElementById('user').textContent);
    assert.equal(await page.evaluate(() => String(app.restored)), 'true');
    assert.equal(await page.evaluate(() => location.search), '?from=reload', 'the page stayed where it was');
    assert.equal(pushes.length, pushed, 'no authorization request');
    // One refresh from the stored record; this server demands a DPoP nonce the new worker does not
    // know yet, so the refresh is sent once more with it (RFC 9449 §8): two requests, one refresh.
    assert.equal(dpopAs.counts.refresh_token, refreshesBefore + 2, 'one refresh (and its nonce retry) from the stored record');
    assert.equal(JSON.parse(await page.text('#user')).sub, 'fay');
    assert.equal((await callApi(page)).status, 200);
    assert.equal((await page.evaluate(() => app.active.getAccessToken())).tokenType, 'DPoP');
    const stored = () => page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('oauth-wasm', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('sessions');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('sessions').objectStore('sessions').getAll();
        all.onsuccess = () => {
          open.result.close();
          resolve(JSON.stringify(all.result.map((e) => ({ record: Boolean(e.record), extractable: e.privateKey?.extractable }))));
        };
        all.onerror = () => reject(all.error);
      };
    }));
    assert.equal(await stored(), JSON.stringify([{ record: true, extractable: false }]), 'one record beside a non-extractable key');
    await page.click('#logout');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
    assert.equal(await stored(), '[]', 'logout emptied the store');
  }));

  // Glewlwyd's login page is a web app of its own; from it, the user signs in and consents
  // through its API (/api/auth/, as that app does) and goes on to the authorization endpoint
  // with g_continue, as its Continue button does. Run by the files against oidc-provider 8 only
  // (the server's major changes nothing here), so the op9 file does not list it at all.
  if (withGlewlwyd) test(`${engine}: Glewlwyd 2.7.5: code flow with PKCE, PAR and DPoP from the worker, under the strict CSP`, () => withEngine(engine, async (browser) => {
    app.configure({ issuer: glewlwyd.issuer, apiUrl: glewlwyd.base, client: { autoRefresh: false, scope: 'openid api' } });
    const page = await open(browser, app.url);
    await page.click('#login-redirect');
    await page.waitForURL(`${glewlwyd.base}/login.html?`);
    await page.evaluate(signInOnLoginPage, { login: 'alice', password: USER_PASSWORD });
    await page.waitForURL(`${app.url}/callback`);
    await page.waitForSelector('body[data-ready]');
    await untilOutcome(page);
    assert.equal(await page.text('#error-code'), '', `${engine}: no error`);
    assert.equal(await page.text('#status'), 'authenticated');
    assert.match(JSON.parse(await page.text('#user')).sub, /^\w{20,}$/);
    assert.equal(await page.url(), `${app.url}/callback`);
    const { tokenType } = await page.evaluate(() => app.active.getAccessToken());
    assert.equal(tokenType, 'DPoP', 'Glewlwyd advertises DPoP: the token is bound to the worker\'s key');
    await page.click('#logout');
    await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
  }));

  test(name('the Vite app built from the packed tarball logs in by redirect and calls the API'), () => withEngine(engine, async (browser) => {
    const page = await open(browser, vite.url);
    assert.equal(await page.text('#status'), 'anonymous');
    await page.click('#login');
    await playUser(page, { appPrefix: `${vite.url}/callback`, login: 'frank' });
    await assertSignedIn(page, 'frank');
    assert.equal(await page.url(), `${vite.url}/callback`);
    const me = await callApi(page);
    assert.equal(me.status, 200);
    assert.equal(me.body.client_id, 'spa');
    const served = vite.requests.map((u) => new URL(u, vite.url).pathname);
    assert.ok(served.some((p) => /^\/assets\/worker-.*\.js$/.test(p)), 'the worker chunk was loaded');
    assert.ok(served.some((p) => /^\/assets\/.*\.wasm$/.test(p)), 'the wasm asset was loaded');
  }, { alsoProblem: /not an OAuthError/ }));
}
