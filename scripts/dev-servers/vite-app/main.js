// A fresh app as a developer writes it after `npm install oauth-wasm`: nothing but the package's
// public API, bundled by Vite with no configuration. The same page is the redirect URI (/callback).
import { createClient, OAuthError } from 'oauth-wasm';

const $ = (id) => document.getElementById(id);

function showError(e) {
  $('error-code').textContent = e instanceof OAuthError ? e.code : `not an OAuthError: ${e}`;
}

async function main() {
  const { issuer, apiUrl } = await (await fetch('/config.json')).json();
  const client = await createClient({
    issuer,
    clientId: 'spa',
    redirectUri: `${location.origin}/callback`,
    scope: 'openid profile',
    apiOrigins: [new URL(apiUrl).origin],
  });

  const render = async () => {
    const user = await client.getUser();
    $('status').textContent = (await client.isAuthenticated()) ? 'authenticated' : 'anonymous';
    $('user').textContent = user ? JSON.stringify(user) : '';
  };

  $('login').onclick = () => client.loginWithRedirect().catch(showError);
  $('logout').onclick = () => client.logout().then(render, showError);
  $('call-api').onclick = async () => {
    try {
      const res = await client.fetch(`${apiUrl}/me`);
      $('api-result').textContent = JSON.stringify({ status: res.status, body: await res.json() });
    } catch (e) {
      showError(e);
    }
  };

  if (location.pathname === '/callback') {
    try {
      await client.handleRedirectCallback();
    } catch (e) {
      showError(e);
    }
  }
  await render();
}

main().catch(showError).finally(() => {
  document.body.dataset.ready = '1';
});
