// Which wasm the session's worker runs is the worker's own choice (docs/AUDIT.md, REVIEW 22.1). A
// same-origin page that reaches the SharedWorker first, while no app tab is open, tries to make it
// run an altered core (one error text's marker changed, so the two can be told apart) in every way a page
// has: the worker protocol's `open` with wasm bytes or a URL (the same settings as the app, or
// others), and createClient with wasmBytes or wasmUrl. The app, opened next with and without
// `integrity`, must run the genuine core, whose text it shows for a forged post-logout return.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { loadIsolatedCore } from '../../dist/index.mjs';
import { withBrowser } from '../../scripts/dev-servers/chromium.mjs';
import { key } from '../../scripts/error-texts.mjs';
import { writeTexts } from '../../web/error-texts-write.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../dist/manifest.json', import.meta.url), 'utf8'));
const genuine = readFileSync(new URL(`../../dist/${manifest.wasm.file}`, import.meta.url));
const GENUINE_TEXT = 'the post-logout redirect does not carry our state';
const ALTERED_TEXT = 'a signature did not verify'; // another text of the table (a code's meaning)
const ALTERED_URL = '/altered/oauth-wasm-core.wasm';
// The browser's wasm holds its texts as markers (src/core/error_text.hpp), all of one length.
const marker = (text) => Buffer.from(`\x01${key(Buffer.from(text))}`, 'latin1');

// The genuine bytes with one error description's marker changed to another text's (so the module
// stays valid, and the page writes out the other text).
function alter(bytes) {
  const at = bytes.indexOf(marker(GENUINE_TEXT));
  assert.ok(at > 0 && bytes.indexOf(marker(GENUINE_TEXT), at + 1) === -1, 'the marker is in the wasm once');
  const copy = Buffer.from(bytes);
  marker(ALTERED_TEXT).copy(copy, at);
  return copy;
}
const altered = alter(genuine);

let app;
let as;

before(async () => {
  app = await startAppServer();
  as = await startAuthServer({ appOrigin: app.url });
  app.configure({ issuer: as.issuer });
  app.serveBytes(ALTERED_URL, altered, 'application/wasm');
});

after(async () => {
  await as?.close();
  await app?.close();
});

// What a core says to a forged post-logout return (a state nobody sent).
const forgedLogoutText = (core) => writeTexts(core.clientCheckEndSessionCallback('https://app.example/?state=forged', 'ours').error.description);

test('the altered wasm is a working core that tells itself apart by one error text', async () => {
  assert.equal(await forgedLogoutText(await loadIsolatedCore({ wasmBytes: genuine })), GENUINE_TEXT);
  assert.equal(await forgedLogoutText(await loadIsolatedCore({ wasmBytes: altered })), ALTERED_TEXT);
});

// The attacker's page, then the app's: two documents of the same origin that run no app code
// (a 404 page), driven with page.evaluate. The attacker's page stays open and keeps its workers.
const ATTACKS = {
  // The worker protocol itself, as pages spoke it before: open(settings, { wasmBytes | wasmUrl }),
  // to the default worker and to the one an app with `integrity` uses.
  'open with wasm bytes and the app\'s settings': { raw: { bytes: true, sameSettings: true } },
  'open with wasm bytes and other settings': { raw: { bytes: true, sameSettings: false } },
  'open with a wasm URL and the app\'s settings': { raw: { bytes: false, sameSettings: true } },
  // The package's own API.
  'createClient with wasmBytes': { api: 'wasmBytes' },
  'createClient with wasmUrl': { api: 'wasmUrl' },
};

async function attack(page, { raw, api }) {
  return page.evaluate(async ({ raw, api, issuer, integrity, url }) => {
    const settings = { issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, scope: 'openid' };
    const bytes = await (await fetch(url)).arrayBuffer();
    if (api) {
      const { createClient } = await import('/dist/index.mjs');
      const load = api === 'wasmBytes' ? { wasmBytes: bytes } : { wasmUrl: url };
      return createClient({ ...settings, ...load }).then(() => 'opened', (e) => e.code);
    }
    const names = ['oauth-wasm', `oauth-wasm ${JSON.stringify({ integrity })}`];
    const open = (name) => new Promise((resolve) => {
      const worker = new SharedWorker('/dist/worker.mjs', { type: 'module', name });
      (window.kept ??= []).push(worker); // alive while this page is
      worker.addEventListener('error', () => resolve('worker error'));
      worker.port.onmessage = ({ data }) => resolve(data.error?.code ?? 'opened');
      const load = raw.bytes ? { wasmBytes: bytes } : { wasmUrl: new URL(url, location.href).href };
      worker.port.postMessage({ id: 1, method: 'open', args: [raw.sameSettings ? settings : { issuer: 'http://127.0.0.1:9' }, load] });
    });
    return Promise.all(names.map(open));
  }, { raw, api, issuer: as.issuer, integrity: manifest.wasm.integrity, url: ALTERED_URL });
}

// The app: a client (with or without integrity) and the core's text for a forged logout return.
const appSees = (page, integrity) => page.evaluate(async ({ issuer, integrity }) => {
  const { createClient } = await import('/dist/index.mjs');
  const client = await createClient({
    issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, scope: 'openid', ...(integrity && { integrity }),
  });
  return client.handleLogoutCallback(`${location.origin}/?state=forged`).then(() => 'accepted', (e) => `${e.code}: ${e.description}`);
}, { issuer: as.issuer, integrity });

test('a page that reaches the worker first cannot make the app run its wasm, with or without integrity', async (t) => {
  for (const [name, how] of Object.entries(ATTACKS)) {
    await t.test(name, () => withBrowser(async (context) => {
      const attacker = await context.newPage();
      await attacker.goto(`${app.url}/attacker`);
      const outcome = await attack(attacker, how);
      const page = await context.newPage();
      await page.goto(`${app.url}/app`);
      assert.equal(await appSees(page, null), `state_mismatch: ${GENUINE_TEXT}`, `without integrity (the attack gave ${outcome})`);
      assert.equal(await appSees(page, manifest.wasm.integrity), `state_mismatch: ${GENUINE_TEXT}`, `with integrity (the attack gave ${outcome})`);
      if (how.api === 'wasmBytes') assert.equal(outcome, 'invalid_argument', 'a page cannot hand a worker bytes');
      if (how.api === 'wasmUrl') assert.equal(outcome, 'wasm_integrity_mismatch', 'a worker of its own, which refuses the bytes');
    }));
  }
});

test('the worker refuses a wasm that does not match the hash built into it, and names the hash', () => withBrowser(async (context) => {
  const page = await context.newPage();
  await page.goto(`${app.url}/app`);
  const refused = await page.evaluate(async ({ issuer, url }) => {
    const { createClient } = await import('/dist/index.mjs');
    return createClient({ issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, wasmUrl: url })
      .then(() => 'opened', (e) => `${e.code}: ${e.description}`);
  }, { issuer: as.issuer, url: ALTERED_URL });
  assert.equal(refused, `wasm_integrity_mismatch: the wasm core does not match the expected hash ${manifest.wasm.integrity}`);
}));
