// The demo's backend-mode panel (demo/bff.mjs, demo/page/backend-mode.mjs) in Chromium: in the
// "Authorization Code (server-side web app)" card, sign in through /bff (PAR and DPoP with nonces
// at the demo's server), see the session and the cookie's flags, call the API through the proxy,
// find no token in the page, log out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo } from '../../demo/server.mjs';
import { openReady, withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { signIn } from '../../scripts/dev-servers/spa-page.mjs';

let demo;
before(async () => { demo = await startDemo({ port: 0, asPort: 0, apiPort: 0 }); });
after(() => demo?.close());

test('the demo shows the backend mode live: session, cookie flags, the proxy call, no token in the page', () => withBrowser(async (context) => {
  const page = await openReady(context, `${demo.url}/`);
  await page.click('.card[data-flow="confidential"]');
  await page.waitForSelector('#bff-pane:visible');
  await page.waitForFunction(() => document.getElementById('bff-status').textContent === 'signed out');
  const back = page.waitForURL((u) => !u.href.startsWith(demo.url))
    .then(() => page.waitForURL((u) => u.href.startsWith(`${demo.url}/`)));
  await page.click('#bff-login');
  await signIn(page, { issuer: demo.issuer, login: 'yara', arrived: back });
  await page.waitForSelector('body[data-ready]');
  await page.click('.card[data-flow="confidential"]');
  await page.waitForFunction(() => document.getElementById('bff-status').textContent.startsWith('signed in as yara'));
  assert.match(await page.textContent('#bff-cookie'), /HttpOnly \(not in document\.cookie\), SameSite=Strict/);
  assert.match(await page.textContent('#bff-tokens'), /^none/);
  await page.click('#bff-call');
  await page.waitForFunction(() => document.getElementById('bff-api').textContent !== '');
  assert.match(await page.textContent('#bff-api'), /→ 200, sub=yara/);
  const cookie = (await context.cookies(demo.url)).find((c) => c.name === 'oauth-wasm-session');
  assert.equal(cookie?.httpOnly, true);
  assert.equal(cookie?.sameSite, 'Strict');
  await page.click('#bff-logout');
  await page.waitForFunction(() => document.getElementById('bff-status').textContent === 'signed out');
  assert.equal((await context.cookies(demo.url)).some((c) => c.name === 'oauth-wasm-session'), false);
}));
