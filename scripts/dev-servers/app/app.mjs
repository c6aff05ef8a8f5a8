// The test SPA: one client per redirect URI (/callback for the full-page redirect, /popup-callback
// for the popup), the config from /config.json, results shown in #status #user #api-result
// #error-code. `window.app` is there for the browser tests to look inside.
// config.client: more createClient options (isolation, autoRefresh, refreshMargin, ...);
// config.restore: call restore(config.restoreOptions) on load, silently (a hidden frame to
// /silent-callback) with config.silent; a post-logout return (/?state=...) is checked.
import { createClient } from '/dist/index.mjs';

const $ = (id) => document.getElementById(id);
const config = await (await fetch('/config.json')).json();


const base = {
  issuer: config.issuer,
  clientId: 'spa',
  scope: 'openid profile email',
  apiOrigins: [new URL(config.apiUrl).origin],
  ...config.client,
};

function showError(e) {
  $('error-code').textContent = e?.code ?? 'unexpected';
  $('error-code').title = String(e?.message ?? e);
}

async function render() {
  const authenticated = await app.active.isAuthenticated();
  $('status').textContent = authenticated ? 'authenticated' : 'anonymous';
  $('user').textContent = authenticated ? JSON.stringify(await app.active.getUser()) : '';
}

const app = {
  config,
  redirectClient: await createClient({
    ...base,
    redirectUri: `${location.origin}/callback`,
    ...(config.silent && { silentRedirectUri: `${location.origin}/silent-callback` }),
  }),
  popupClient: await createClient({ ...base, redirectUri: `${location.origin}/popup-callback` }),
  active: null,
  events: [],
};
app.active = app.redirectClient;
for (const client of [app.redirectClient, app.popupClient]) {
  for (const type of ['login', 'logout', 'session_expired', 'error']) client.on(type, (detail) => app.events.push({ type, code: detail?.code }));
}
window.app = app;

$('login-redirect').addEventListener('click', () => {
  $('error-code').textContent = '';
  app.redirectClient.loginWithRedirect().catch(showError);
});

$('login-popup').addEventListener('click', () => {
  $('error-code').textContent = '';
  app.popupClient.loginWithPopup().then(() => {
    app.active = app.popupClient;
    return render();
  }).catch(showError);
});

$('call-api').addEventListener('click', async () => {
  $('api-result').textContent = '';
  $('error-code').textContent = '';
  try {
    const res = await app.active.fetch(`${config.apiUrl}/me`);
    $('api-result').textContent = JSON.stringify({ status: res.status, body: await res.json() });
  } catch (e) {
    showError(e);
  }
});

$('logout').addEventListener('click', async () => {
  await app.active.logout();
  await render();
});

try {
  if (location.pathname === '/callback') await app.redirectClient.handleRedirectCallback();
  else if (new URLSearchParams(location.search).has('state')) app.loggedOut = await app.redirectClient.handleLogoutCallback();
  else if (config.restore) app.restored = await app.redirectClient.restore(config.restoreOptions);
} catch (e) {
  showError(e);
}
await render();
document.body.dataset.ready = 'true';
