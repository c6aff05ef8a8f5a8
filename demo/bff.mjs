// The backend-for-frontend mode live in the demo (issue 26): createBackend from the Node entry,
// mounted at /bff on the demo's own origin. The page's "Authorization Code (server-side web app)"
// card drives it with oauth-wasm/backend (demo/page/backend-mode.mjs): login through the server,
// "who am I", the API through the proxy, logout. The server offers PAR and DPoP with nonces, and
// the backend uses both; `web-post` sends its secret in the body (client_secret_post).
export const BFF_PATH = '/bff';

export function bffClientOverrides(appOrigin) {
  return { 'web-post': { redirect_uris: [`${appOrigin}/server/callback`, `${appOrigin}${BFF_PATH}/callback`] } };
}

export function mountBackend({ node, issuer, apiUrl, appOrigin }) {
  if (typeof node?.createBackend !== 'function') return null;
  return node.createBackend({
    issuer, clientId: 'web-post', clientSecret: 'web-post-secret', tokenEndpointAuthMethod: 'client_secret_post',
    origin: appOrigin, path: BFF_PATH, apiOrigins: [apiUrl], scope: 'openid profile',
  });
}
