// restore() after a reload, in Chromium against the real authorization server, on the strict-CSP
// test app (scripts/dev-servers/app). Silent restore: a hidden frame to the authorization endpoint with
// prompt=none whose answer goes to the session worker; the tab makes no navigation besides its own
// load and gains no history entry. Its fall-backs: a frame the app's CSP blocks, a server that
// refuses framing, a frame that never answers, and login_required, each either to the top-level
// prompt=none trip (which replaces the history entry) or to "signed out". Bad answers in the frame
// (a wrong state, another iss, an error) are typed errors with no session and no second try; two
// tabs reloading at once make one restore.
//
// The browser is a parameter: `launch` (default Chromium through playwright-core, chromium.mjs)
// resolves to { context, close() } with a Playwright-like context.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { newContext } from '../../scripts/dev-servers/chromium.mjs';
import { callApi, loginByRedirect, text } from '../../scripts/dev-servers/spa-page.mjs';

const launch = newContext;
const PROBLEMS = /Content Security Policy|Uncaught|Refused to|oauth-wasm/i;

let app;
let as;
let api;
let framed = null; // (ctx) => answer of the authorization endpoint to a framed request; null: the server's own

before(async () => {
  app = await startAppServer();
  as = await startAuthServer({ appOrigin: app.url });
  api = await startTestApi({ issuer: as.issuer });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
  as.use(async (ctx, next) => {
    if (framed && ctx.path === '/auth' && ctx.get('sec-fetch-dest') === 'iframe') return framed(ctx);
    return next();
  });
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

beforeEach(() => {
  framed = null;
  app.configure({ silent: true, restore: true, restoreOptions: { fallback: 'none' }, frameSrc: undefined, client: { autoRefresh: false } });
});

// A fresh browser; fails the test on a script error or a console problem other than `expected`.
async function inBrowser(fn, { expected = null } = {}) {
  const browser = await launch();
  const problems = [];
  const seen = [];
  browser.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  browser.context.on('console', (m) => {
    if (expected?.test(m.text())) seen.push(m.text());
    else if (PROBLEMS.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  try {
    await fn(browser.context, seen);
    assert.deepEqual(problems, [], 'no script errors, CSP violations or other problems in the console');
  } finally {
    await browser.close();
  }
}

// A new tab, watched from its first navigation: the main frame's navigations (URLs) and the
// authorization requests ({ frame: 'top' | 'frame', prompt, redirectUri }).
async function openTab(context, path = '/') {
  const page = await context.newPage();
  const seen = { navigations: [], auth: [] };
  page.on('framenavigated', (frame) => frame === page.mainFrame() && seen.navigations.push(frame.url()));
  page.on('request', (r) => {
    if (!r.url().startsWith(`${as.issuer}/auth?`)) return;
    const q = new URL(r.url()).searchParams;
    seen.auth.push({ frame: r.frame() === page.mainFrame() ? 'top' : 'frame', prompt: q.get('prompt'), redirectUri: q.get('redirect_uri') });
  });
  await page.goto(app.url + path);
  await page.waitForSelector('body[data-ready]');
  return { page, seen };
}

const status = (page) => text(page, '#status');
const historyLength = (page) => page.evaluate(() => history.length);
const frames = (page) => page.evaluate(() => document.querySelectorAll('iframe').length);
const silentAuth = () => ({ frame: 'frame', prompt: 'none', redirectUri: `${app.url}/silent-callback` });

// Signs `login` in by a redirect in a first tab, then closes it: the only tab gone, the
// SharedWorker and its session go with it, the server's session stays.
async function signInAndLeave(context, login) {
  const { page } = await openTab(context);
  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login });
  assert.equal(await status(page), 'authenticated');
  await page.close();
}

test('silent restore: a new tab and a reload are signed in with no top-level navigation but their own and no history entry', () => inBrowser(async (context) => {
  // A fresh profile: the frame answers login_required; with fallback 'none' the page stays, signed out.
  const fresh = await openTab(context);
  assert.equal(await status(fresh.page), 'anonymous');
  assert.equal(await text(fresh.page, '#error-code'), '');
  assert.equal(await fresh.page.evaluate(() => app.restored), false);
  assert.deepEqual(fresh.seen.auth, [silentAuth()], 'one framed prompt=none request to the silent redirect URI');
  assert.deepEqual(fresh.seen.navigations, [`${app.url}/`], 'no navigation but its own load');
  await fresh.page.close();

  await signInAndLeave(context, 'dana');
  const codes = as.counts.authorization_code;
  const { page, seen } = await openTab(context, '/?from=tab');
  assert.equal(await status(page), 'authenticated');
  assert.equal(JSON.parse(await text(page, '#user')).sub, 'dana');
  assert.equal(await page.evaluate(() => app.restored), true);
  assert.deepEqual(seen.auth, [silentAuth()]);
  assert.deepEqual(seen.navigations, [`${app.url}/?from=tab`], 'zero extra top-level navigations');
  assert.equal(as.counts.authorization_code, codes + 1, 'one code redeemed');
  assert.equal(await frames(page), 0, 'the frame is gone');
  assert.ok(app.requests.some((u) => u.startsWith('/silent-callback?code=')), 'the server answered at the silent callback page');
  assert.deepEqual(await page.evaluate(() => app.events.map((e) => e.type)), ['login']);
  assert.equal((await callApi(page)).status, 200);

  const entries = await historyLength(page);
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await status(page), 'authenticated');
  assert.equal(seen.navigations.length, 2, 'the reload and nothing else');
  assert.ok(seen.navigations.every((u) => !/[?&](code|state)=/.test(u)), 'no code or state in the address bar');
  assert.equal(await historyLength(page), entries, 'no history entry added');
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm')).length), 0,
    'no transaction or restore marker in storage');
}));

test('the app\'s CSP blocks the frame: restore falls back to the top-level trip, which replaces the history entry', () => inBrowser(async (context) => {
  app.configure({ frameSrc: "'none'", restoreOptions: { silentTimeout: 3000 } });
  await signInAndLeave(context, 'erin'); // its first load fell back too: login_required, then the login

  // What a plain load leaves in history, to compare with.
  app.configure({ restore: false });
  const plain = await openTab(context, '/?from=plain');
  const baseline = await historyLength(plain.page);
  await plain.page.close();

  app.configure({ restore: true });
  const { page, seen } = await openTab(context, '/?from=blocked');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
  assert.equal(JSON.parse(await text(page, '#user')).sub, 'erin');
  assert.deepEqual(seen.auth, [{ frame: 'top', prompt: 'none', redirectUri: `${app.url}/callback` }], 'the frame made no request; the top-level trip did');
  assert.equal(page.url(), `${app.url}/?from=blocked`, 'back on the page');
  assert.equal(await historyLength(page), baseline, 'location.replace: no history entry added');
}, { expected: /frame-src/ })); // Chromium's own report, and the test app's securitypolicyviolation line

test('the server refuses framing: silent_frame_failed at once, and with fallback none the page stays signed out', () => inBrowser(async (context, seenProblems) => {
  await signInAndLeave(context, 'fred');
  framed = (ctx) => {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
    ctx.body = '<!doctype html><p>not in a frame</p>';
  };
  // A timeout far longer than the test: the frame's load event, not the timer, ends the attempt.
  app.configure({ restoreOptions: { fallback: 'none', silentTimeout: 60000 } });
  const { page, seen } = await openTab(context);
  assert.equal(await status(page), 'anonymous');
  assert.equal(await page.evaluate(() => app.restored), false);
  assert.deepEqual(seen.auth, [silentAuth()]);
  assert.deepEqual(seen.navigations, [`${app.url}/`]);
  assert.equal(await frames(page), 0);
  assert.ok(seenProblems.length > 0, 'the browser refused to frame the server');
}, { expected: /Refused to display .* in a frame|frame-ancestors/ }));

test('a frame that never answers ends after silentTimeout; one attempt, signed out, no loop', () => inBrowser(async (context) => {
  await signInAndLeave(context, 'gus');
  let held = 0;
  framed = () => {
    held++;
    return new Promise(() => {}); // the server never answers the framed request
  };
  app.configure({ restoreOptions: { fallback: 'none', silentTimeout: 300 } });
  const { page, seen } = await openTab(context);
  assert.equal(await status(page), 'anonymous');
  assert.equal(await page.evaluate(() => app.restored), false);
  assert.equal(held, 1);
  assert.deepEqual(seen.auth, [silentAuth()]);
  assert.deepEqual(seen.navigations, [`${app.url}/`]);
  assert.equal(await frames(page), 0, 'the frame is removed');

  // The same with the default fallback: one top-level trip, which restores the session.
  app.configure({ restoreOptions: { silentTimeout: 300 } });
  const next = await openTab(context, '/?again');
  await next.page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
  assert.deepEqual(next.seen.auth.map((a) => a.frame), ['frame', 'top']);
}));

test('bad answers in the frame: a wrong state, another iss, an error: a typed error, no session, no second try', () => inBrowser(async (context) => {
  await signInAndLeave(context, 'hana');
  const answer = (params) => (ctx) => {
    const url = new URL(ctx.query.redirect_uri);
    for (const [k, v] of Object.entries(params(ctx.query))) url.searchParams.set(k, v);
    ctx.redirect(url.href);
  };
  const cases = [
    ['state_mismatch', answer(() => ({ code: 'forged', state: 'A'.repeat(43), iss: as.issuer }))],
    ['iss_mismatch', answer((q) => ({ code: 'forged', state: q.state, iss: 'http://127.0.0.1:1' }))],
    ['iss_missing', answer((q) => ({ code: 'forged', state: q.state }))],
    ['access_denied', answer((q) => ({ error: 'access_denied', state: q.state, iss: as.issuer }))],
  ];
  const codes = as.counts.authorization_code ?? 0;
  for (const [code, respond] of cases) {
    framed = respond;
    const { page, seen } = await openTab(context, `/?case=${code}`);
    assert.equal(await text(page, '#error-code'), code, code);
    assert.equal(await status(page), 'anonymous', code);
    assert.deepEqual(seen.auth, [silentAuth()], `${code}: one attempt, no fallback`);
    assert.deepEqual(seen.navigations, [`${app.url}/?case=${code}`], code);
    await page.close();
  }
  assert.equal(as.counts.authorization_code ?? 0, codes, 'no code was redeemed');

  // interaction_required is one the top-level trip may still answer: with fallback none, signed out.
  framed = answer((q) => ({ error: 'interaction_required', state: q.state, iss: as.issuer }));
  const { page } = await openTab(context);
  assert.equal(await page.evaluate(() => app.restored), false);
  assert.equal(await text(page, '#error-code'), '');
}));

test('two tabs reloading at once make one restore: one framed request, one code redeemed', () => inBrowser(async (context) => {
  await signInAndLeave(context, 'ivan');
  const codes = as.counts.authorization_code;
  const tabs = await Promise.all([openTab(context, '/?tab=1'), openTab(context, '/?tab=2')]);
  for (const { page } of tabs) assert.equal(await status(page), 'authenticated');
  assert.equal(tabs.flatMap((t) => t.seen.auth).length, 1, 'one framed authorization request');
  assert.equal(as.counts.authorization_code, codes + 1, 'one code redeemed');
  const [a, b] = await Promise.all(tabs.map(({ page }) => page.evaluate(() => app.active.getAccessToken().then((t) => t.token))));
  assert.equal(a, b, 'one session');
}));
