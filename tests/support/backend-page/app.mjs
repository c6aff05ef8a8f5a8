// The test page of the backend mode (tests/browser/backend.test.mjs): oauth-wasm/backend only,
// no wasm, no worker; the API through the backend's proxy. Nothing is kept in globals.
import { createClient } from '/dist/backend-client.mjs';

const $ = (id) => document.getElementById(id);
const client = createClient({ backend: '/auth' });
const { apiUrl, apiPath = '/me' } = await (await fetch('/config.json')).json();

async function show() {
  const authenticated = await client.isAuthenticated();
  $('status').textContent = authenticated ? 'authenticated' : 'anonymous';
  $('user').textContent = authenticated ? JSON.stringify(await client.getUser()) : '';
}
const run = (fn) => async () => {
  $('error-code').textContent = '';
  try {
    await fn();
  } catch (e) {
    $('error-code').textContent = e.code ?? 'unknown';
  }
  document.body.dataset.done = String(Number(document.body.dataset.done ?? 0) + 1);
};

$('login').addEventListener('click', run(() => client.loginWithRedirect()));
$('call').addEventListener('click', run(async () => {
  const res = await client.fetch(`${apiUrl}${apiPath}`);
  $('api').textContent = `${res.status} ${await res.text()}`;
}));
$('logout').addEventListener('click', run(async () => {
  await client.logout();
  await show();
}));
$('logout-everywhere').addEventListener('click', run(() => client.logout({ endSession: true })));

await show();
document.body.dataset.ready = '1';
