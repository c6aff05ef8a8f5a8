// createClient({ persist: true }) in Chromium against the real authorization server with DPoP
// nonces required: the session worker keeps a non-extractable WebCrypto key and the core's
// session record in IndexedDB; a reload signs the user back in with one refresh and no extra
// top-level navigation; two tabs reloading at once make one refresh; the record copied into a
// fresh browser profile or into Node is refused (no valid proof); logout empties IndexedDB.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { dpopProof, postForm } from '../../scripts/dev-servers/http-client.mjs';
import { newContext, openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { loginByRedirect, text } from '../../scripts/dev-servers/spa-page.mjs';

let app;
let as;
let api;
const refreshes = []; // { ok, error } per refresh_token grant the server judged (nonce demands aside)

before(async () => {
  app = await startAppServer();
  as = await startAuthServer({ appOrigin: app.url, dpopRequireNonce: true });
  api = await startTestApi({ issuer: as.issuer });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
  as.provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes.push({ ok: true });
  });
  as.provider.on('grant.error', (ctx, err) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token' && err.error !== 'use_dpop_nonce') refreshes.push({ ok: false, error: err.error });
  });
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

beforeEach(() => {
  app.configure({ client: { persist: true, autoRefresh: false }, restore: true });
});

const signedIn = (page) => page.waitForFunction(() => document.getElementById('status').textContent === 'authenticated');
const succeeded = () => refreshes.filter((r) => r.ok).length;

// Logs in by redirect, then leaves the callback page for the app's home page (the only tab
// navigates: a new SharedWorker restores the session from IndexedDB).
async function logIn(context, login) {
  const page = await openReady(context, app.url);
  await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login });
  await signedIn(page);
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready]');
  await signedIn(page);
  return page;
}

// The origin's IndexedDB entries as page script sees them (what an XSS could read).
const storedEntries = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('oauth-wasm', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('sessions');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const all = db.transaction('sessions').objectStore('sessions').getAll();
    all.onsuccess = () => {
      db.close();
      resolve(all.result.map((e) => ({ record: e.record, jwk: e.jwk, key: e.privateKey && { type: e.privateKey.type, extractable: e.privateKey.extractable } })));
    };
    all.onerror = () => reject(all.error);
  };
}));

test('a reload signs the user back in with one refresh and no extra top-level navigation; IndexedDB holds no access or ID token', () => withBrowser(async (context) => {
  let page = await logIn(context, 'alice');
  const { token } = await page.evaluate(() => app.active.getAccessToken());
  const [entry, ...others] = await storedEntries(page);
  assert.equal(others.length, 0);
  assert.deepEqual(entry.key, { type: 'private', extractable: false });
  assert.equal(JSON.parse(entry.record).sub, 'alice');
  assert.ok(!entry.record.includes(token) && !entry.record.includes('eyJ'), 'no access or ID token in the record');

  // The only tab reloads: the SharedWorker ends with it, and the new one restores from IndexedDB.
  const before = succeeded();
  const navigations = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await text(page, '#status'), 'authenticated');
  assert.equal(JSON.parse(await text(page, '#user')).sub, 'alice', 'the claims of the refreshed, verified ID token');
  assert.deepEqual(navigations, [`${app.url}/`], 'the reload itself, and no navigation to the server');
  assert.equal(await page.evaluate(() => app.restored), true, 'restore() found the session without navigating');
  assert.equal(succeeded(), before + 1, 'one refresh');
  await page.click('#call-api');
  await page.waitForFunction(() => document.getElementById('api-result').textContent);
  assert.equal(JSON.parse(await text(page, '#api-result')).status, 200);

  // A second reload after closing the tab: the same.
  await page.close();
  page = await openReady(context, app.url);
  assert.equal(await text(page, '#status'), 'authenticated');
}));

test('two tabs reloading at once make one refresh, not two', () => withBrowser(async (context) => {
  const first = await logIn(context, 'bob');
  const second = await openReady(context, app.url);
  assert.equal(await text(second, '#status'), 'authenticated', 'the SharedWorker serves both tabs');
  const before = refreshes.length;
  await Promise.all([first.reload(), second.reload()]);
  await Promise.all([first, second].map((p) => p.waitForSelector('body[data-ready]')));
  for (const page of [first, second]) assert.equal(await text(page, '#status'), 'authenticated');
  const made = refreshes.slice(before);
  assert.ok(made.length <= 1 && made.every((r) => r.ok), `at most one refresh, none refused: ${JSON.stringify(made)}`);
}));

test('with a dedicated worker per tab, two tabs reloading at once take turns under navigator.locks: no refresh token is sent twice', () => withBrowser(async (context) => {
  app.configure({ client: { persist: true, autoRefresh: false, isolation: 'worker' } });
  const first = await logIn(context, 'erin');
  const second = await openReady(context, app.url);
  await signedIn(second); // its own worker restored from IndexedDB
  const before = refreshes.length;
  await Promise.all([first.reload(), second.reload()]);
  await Promise.all([first, second].map((p) => p.waitForSelector('body[data-ready]')));
  for (const page of [first, second]) assert.equal(await text(page, '#status'), 'authenticated');
  const made = refreshes.slice(before);
  assert.equal(made.length, 2, 'each worker needs its own access token');
  assert.ok(made.every((r) => r.ok), `none refused as a reuse: ${JSON.stringify(made)}`);
}));

test('the record copied into a fresh browser profile or into Node is refused: no valid proof', () => withBrowser(async (context) => {
  app.configure({ restore: false }); // the fresh profile would otherwise try prompt=none
  const page = await logIn(context, 'carol');
  const [{ record }] = await storedEntries(page);
  const { refresh_token: refreshToken } = JSON.parse(record);
  const name = JSON.stringify([as.issuer, 'spa', `${app.url}/callback`]);

  // A fresh profile: the copied record beside that profile's own non-extractable key, first as
  // is (the core refuses it: dpop_key_mismatch), then with dpop_jkt forged to that key (the core
  // takes it, the server refuses the proof).
  const thief = await newContext();
  try {
    const plant = await thief.context.newPage();
    for (const forge of [false, true]) {
      await plant.goto(`${app.url}/config.json`);
      await plant.evaluate(async ({ name, record, forge }) => {
        const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
        const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
        const jwk = JSON.stringify({ kty, crv, x, y });
        const jkt = async () => {
          const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y })));
          return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        };
        const planted = forge ? JSON.stringify({ ...JSON.parse(record), dpop_jkt: await jkt() }) : record;
        await new Promise((resolve, reject) => {
          const open = indexedDB.open('oauth-wasm', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('sessions');
          open.onsuccess = () => {
            const tx = open.result.transaction('sessions', 'readwrite');
            tx.objectStore('sessions').put({ privateKey, jwk, record: planted }, name);
            tx.oncomplete = () => { open.result.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
          };
        });
      }, { name, record, forge });
      const before = refreshes.length;
      const copy = await openReady(thief.context, app.url);
      assert.equal(await text(copy, '#status'), 'anonymous', forge ? 'forged thumbprint' : 'copied as is');
      const made = refreshes.slice(before);
      if (forge) assert.ok(made.length >= 1 && made.every((r) => !r.ok), `the server refused: ${JSON.stringify(made)}`);
      else assert.deepEqual(made, [], 'the core refused it before any request');
      assert.deepEqual(await storedEntries(copy), [], 'and deleted it');
      await copy.close();
    }
  } finally {
    await thief.close();
  }

  // Node: the refresh token with a proof of another key, and with none.
  const tokenUrl = `${as.issuer}/token`;
  const form = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' };
  const noProof = await postForm(tokenUrl, form);
  assert.equal(noProof.status, 400);
  let withProof = await postForm(tokenUrl, form, { headers: { DPoP: dpopProof({ method: 'POST', url: tokenUrl }) } });
  const nonce = withProof.headers?.get?.('dpop-nonce');
  if (withProof.json?.error === 'use_dpop_nonce' && nonce) {
    withProof = await postForm(tokenUrl, form, { headers: { DPoP: dpopProof({ method: 'POST', url: tokenUrl, nonce }) } });
  }
  assert.equal(withProof.status, 400);
  assert.notEqual(withProof.json.error, 'use_dpop_nonce');
}));

test('logout empties IndexedDB', () => withBrowser(async (context) => {
  const page = await logIn(context, 'dana');
  assert.equal((await storedEntries(page)).length, 1);
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'anonymous');
  assert.deepEqual(await storedEntries(page), []);
  app.configure({ restore: false }); // the server's session still lives: restore() would use it
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await text(page, '#status'), 'anonymous');
}));
