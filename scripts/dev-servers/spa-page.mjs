// What the Chromium tests of the test SPA (scripts/dev-servers/app/) do on its pages and the
// authorization server's: a fresh browser that fails the test on a script error or a CSP
// violation, the app page, the server's login and consent, the outcome, the API button.
import assert from 'node:assert/strict';
import { openReady } from './chromium.mjs';

export { withBrowser } from './chromium.mjs';

export const openApp = openReady;

export const text = (page, selector) => page.locator(selector).textContent();

// On the authorization server's pages (at `issuer`): sign in, then answer consent if asked.
// `arrived` settles when the flow is back at the app (the SPA is ready, or the popup closed).
export async function signIn(page, { issuer, login, decision = 'approve', arrived }) {
  await page.waitForSelector('#login-form');
  assert.ok(page.url().startsWith(`${issuer}/`), `at the server's login page, not ${page.url()}`);
  await page.fill('#login', login);
  await page.fill('#password', 'any password');
  await page.click('#submit');
  const consent = await Promise.race([
    page.waitForSelector('#consent-form', { timeout: 15000 }).then(() => true),
    arrived.then(() => false),
  ]);
  if (decision === 'deny') assert.ok(consent, 'consent was asked (a fresh profile has no grant)');
  if (consent) await page.click(decision === 'deny' ? '#deny' : '#approve');
  await arrived;
}

// A redirect login from the app page at `appUrl`: the button, the server's pages, back at the
// app's callback page, until the SPA shows the outcome.
export async function loginByRedirect(page, { appUrl, ...signInOptions }) {
  await page.click('#login-redirect');
  const arrived = page.waitForURL(`${appUrl}/callback**`).then(() => page.waitForSelector('body[data-ready]'));
  await signIn(page, { ...signInOptions, arrived });
  await waitForOutcome(page);
}

// The SPA shows a session of `sub` and no error.
export async function assertSignedIn(page, sub) {
  assert.equal(await text(page, '#error-code'), '');
  assert.equal(await text(page, '#status'), 'authenticated');
  assert.equal(JSON.parse(await text(page, '#user')).sub, sub);
}

// Until the SPA shows a session or an error.
export async function waitForOutcome(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('status').textContent;
    return document.body.dataset.ready && (status === 'authenticated' || document.getElementById('error-code').textContent);
  });
}

// Clicks "Call the API": { status, body } or { error: code }.
export async function callApi(page) {
  await page.evaluate(() => { document.getElementById('api-result').textContent = ''; });
  await page.click('#call-api');
  await page.waitForFunction(() => document.getElementById('api-result').textContent || document.getElementById('error-code').textContent);
  const result = await text(page, '#api-result');
  return result ? JSON.parse(result) : { error: await text(page, '#error-code') };
}

// Everything page script can persist or reveal, read inside the page: both storages (key=value
// lines), document.cookie, IndexedDB database names, Cache Storage keys, the address and the
// URLs of every resource the page loaded.
export const persistedState = (page) => page.evaluate(async () => {
  const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join('\n');
  return {
    local: dump(localStorage),
    session: dump(sessionStorage),
    cookie: document.cookie,
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: self.caches ? await caches.keys() : [],
    url: location.href,
    resources: performance.getEntriesByType('resource').map((e) => e.name).join('\n'),
    transactionKeys: Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm')),
  };
});
