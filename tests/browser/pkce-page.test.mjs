// The wasm core in Chromium: the demo's PKCE page generates a pair whose challenge WebCrypto agrees with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/dev-servers/static-server.mjs';
import { launchBrowser } from '../../scripts/dev-servers/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app, browser;
before(async () => {
  app = await startStaticServer({ mounts: { '/dist/': root + 'dist/', '/': root + 'demo/page/' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('the page shows a PKCE pair made in wasm, and WebCrypto computes the same challenge', async () => {
  const page = await browser.context.newPage();
  await page.goto(app.url + '/');
  await page.waitForFunction(() => document.getElementById('challenge').textContent.length === 43);
  const { verifier, challenge, expected } = await page.evaluate(async () => {
    const verifier = document.getElementById('verifier').textContent;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const expected = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return { verifier, challenge: document.getElementById('challenge').textContent, expected };
  });
  assert.match(verifier, /^[A-Za-z0-9_-]{64}$/);
  assert.equal(challenge, expected);
  await page.click('#again');
  await page.waitForFunction((old) => document.getElementById('verifier').textContent !== old, verifier);
  await page.close();
});
