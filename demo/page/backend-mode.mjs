// The backend mode's panel in the "Authorization Code (server-side web app)" card: the page's side
// of createBackend (demo/bff.mjs), through oauth-wasm/backend. It shows what the browser has: a
// session cookie it cannot read (HttpOnly: not in document.cookie), the API's answer through the
// proxy, and no token in web storage, cookies or the URL.
import { createClient } from '/dist/backend-client.mjs';

const $ = (id) => document.getElementById(id);
const COOKIE = 'oauth-wasm-session'; // on https the name carries the __Host- prefix
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\./;

async function main() {
  if (!$('bff-pane')) return;
  const client = createClient({ backend: '/bff' });
  const { apiUrl } = await (await fetch('/demo/config.json')).json();

  // What a script in this page can find: nothing token-like anywhere it could look.
  function tokensInPage() {
    const places = { localStorage: JSON.stringify({ ...localStorage }), sessionStorage: JSON.stringify({ ...sessionStorage }),
      'document.cookie': document.cookie, URL: location.href };
    const found = Object.entries(places).filter(([, v]) => JWT.test(v)).map(([k]) => k);
    return found.length ? `found in ${found.join(', ')}` : 'none (web storage, document.cookie and the URL checked)';
  }

  async function show() {
    const user = await client.getUser().catch(() => null);
    $('bff-status').textContent = user ? `signed in as ${user.sub} (${user.name ?? 'no name'}), verified by the backend` : 'signed out';
    $('bff-cookie').textContent = user
      ? `${COOKIE}: HttpOnly (${document.cookie.includes(COOKIE) ? 'visible to script: wrong' : 'not in document.cookie'}), SameSite=Strict, Path=/; Secure with the __Host- prefix on https (this demo runs on loopback http)`
      : 'none';
    $('bff-tokens').textContent = tokensInPage();
    $('bff-call').disabled = !user;
    $('bff-logout').disabled = !user;
    $('bff-login').disabled = Boolean(user);
  }

  $('bff-login').addEventListener('click', () => client.loginWithRedirect({ returnTo: '/#confidential' }));
  $('bff-call').addEventListener('click', async () => {
    try {
      const res = await client.fetch(`${apiUrl}/me`);
      const body = await res.json().catch(() => ({}));
      $('bff-api').textContent = `GET ${apiUrl}/me via /bff/proxy → ${res.status}, sub=${body.sub ?? '?'}; the token and its DPoP proof were added on the server`;
    } catch (e) {
      $('bff-api').textContent = `refused: ${e.code ?? e.message}`;
    }
    $('bff-tokens').textContent = tokensInPage();
  });
  $('bff-logout').addEventListener('click', async () => {
    await client.logout().catch(() => {});
    $('bff-api').textContent = '';
    await show();
  });
  await show();
}

main().catch((e) => {
  const status = $('bff-status');
  if (status) status.textContent = `the backend mode is not available: ${e.message}`;
});
