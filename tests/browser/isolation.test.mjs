// Where the session lives in a browser, and what a page can take from it (REVIEW 22.2, 22.9):
// nothing silently moves the session into the page (the app's fetch or core, wasm bytes, a
// browser without workers need isolation: 'none' said outright), and with exposeAccessToken: false
// the session holder (the worker) refuses the access token to every page, client.fetch still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAppServer } from '../../scripts/dev-servers/app-server.mjs';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { callApi, loginByRedirect, openApp, withBrowser } from '../../scripts/dev-servers/spa-page.mjs';

let app;
let as;
let api;

before(async () => {
  app = await startAppServer();
  as = await startAuthServer({ appOrigin: app.url });
  api = await startTestApi({ issuer: as.issuer });
  app.configure({ issuer: as.issuer, apiUrl: api.url });
});

after(async () => {
  await api?.close();
  await as?.close();
  await app?.close();
});

// createClient in a same-origin page that runs no app code, with `options` and, when `noWorkers`,
// with Worker and SharedWorker gone; resolves to 'in the page', 'in a worker' or the error code.
const where = (page, options, { noWorkers = false } = {}) => page.evaluate(async ({ issuer, options, noWorkers }) => {
  const { createClient } = await import('/dist/index.mjs');
  const started = [];
  for (const name of ['Worker', 'SharedWorker']) {
    const Original = window[name];
    window[name] = noWorkers || !Original ? undefined : class extends Original {
      constructor(...args) {
        super(...args);
        started.push(name);
      }
    };
  }
  const fetches = [];
  const extra = {
    fetch: options.fetch && ((...args) => { fetches.push(args[0]); return fetch(...args); }),
    core: options.core && (await import('/dist/index.mjs').then((m) => m.loadCore())),
    wasmBytes: options.wasmBytes && (await (await fetch('/dist/oauth-wasm-core.wasm')).arrayBuffer()),
  };
  const chosen = Object.fromEntries(Object.keys(options).map((k) => [k, extra[k] ?? options[k]]));
  try {
    await createClient({ issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, ...chosen });
    return started.length ? `in a ${started.join(', ')}` : 'in the page';
  } catch (e) {
    return e.code ?? String(e);
  }
}, { issuer: as.issuer, options, noWorkers });

test('in a browser, the app\'s fetch or core, wasm bytes or a browser without workers are refused without isolation: \'none\'', () => withBrowser(async (context) => {
  const page = await context.newPage();
  await page.goto(`${app.url}/blank`);
  assert.equal(await where(page, {}), 'in a SharedWorker', 'the default');
  for (const options of [{ fetch: true }, { core: true }, { wasmBytes: true }, { fetch: true, isolation: 'worker' }]) {
    assert.equal(await where(page, options), 'invalid_argument', JSON.stringify(options));
    assert.equal(await where(page, { ...options, isolation: 'none' }), 'in the page', `${JSON.stringify(options)}, isolation: 'none'`);
  }
  assert.equal(await where(page, { isolation: 'iframe' }), 'invalid_argument');
  assert.equal(await where(page, {}, { noWorkers: true }), 'invalid_argument', 'no Worker: refused, not moved into the page');
  assert.equal(await where(page, { isolation: 'none' }, { noWorkers: true }), 'in the page');
  const description = await page.evaluate(async (issuer) => {
    const { createClient } = await import('/dist/index.mjs');
    return createClient({ issuer, clientId: 'spa', redirectUri: `${location.origin}/callback`, fetch }).catch((e) => e.description);
  }, as.issuer);
  assert.match(description, /fetch would keep the session in the page: pass isolation: 'none'/);
}));

test('exposeAccessToken: false: the worker refuses the token to the app and to any page that joins the session; client.fetch works', () => withBrowser(async (context) => {
  app.configure({ client: { autoRefresh: false, exposeAccessToken: false } });
  try {
    const page = await openApp(context, app.url);
    await loginByRedirect(page, { appUrl: app.url, issuer: as.issuer, login: 'jo' });
    assert.equal(await page.evaluate(() => app.active.getAccessToken().then(() => 'token', (e) => `${e.code}: ${e.description}`)),
      'invalid_argument: getAccessToken() is off for this client (exposeAccessToken: false): use client.fetch');
    const me = await callApi(page);
    assert.equal(me.status, 200);
    assert.equal(me.body.sub, 'jo');

    // Another page of the origin speaks to the worker directly, with the app's settings: it joins
    // the session (isAuthenticated) but the worker hands it no token either.
    const other = await context.newPage();
    await other.goto(`${app.url}/blank`);
    const answers = await other.evaluate(async ({ issuer, apiUrl, client }) => {
      const settings = {
        issuer, clientId: 'spa', scope: 'openid profile email', apiOrigins: [new URL(apiUrl).origin], ...client,
        redirectUri: `${location.origin}/callback`,
      };
      const worker = new SharedWorker('/dist/worker.mjs', { type: 'module', name: 'oauth-wasm' });
      const waiting = new Map();
      worker.port.onmessage = ({ data }) => waiting.get(data.id)?.(data.error ? data.error.code : data.result);
      let id = 0;
      const call = (method, ...args) => new Promise((resolve) => {
        waiting.set(++id, resolve);
        worker.port.postMessage({ id, method, args });
      });
      await call('open', settings);
      return [await call('isAuthenticated'), await call('accessToken')];
    }, { issuer: as.issuer, apiUrl: api.url, client: { autoRefresh: false, exposeAccessToken: false } });
    assert.deepEqual(answers, [true, 'invalid_argument']);
  } finally {
    app.configure({ client: undefined });
  }
}));
