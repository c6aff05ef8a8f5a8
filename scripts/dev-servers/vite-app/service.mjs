// The same installed package from a Node program: a service token by client credentials
// (RFC 6749 §4.4), then the API with it. Prints one JSON line; the secret comes from the
// environment and never appears in the output.
import { createClient, OAuthError } from 'oauth-wasm/node';

const { ISSUER, API_URL, OAUTH_CLIENT_SECRET } = process.env;
try {
  const client = await createClient({
    issuer: ISSUER, clientId: 'service', clientSecret: OAUTH_CLIENT_SECRET, apiOrigins: [API_URL],
  });
  const login = await client.loginWithClientCredentials({ scope: 'api:read' });
  const res = await client.fetch(`${API_URL}/me`);
  console.log(JSON.stringify({ login, api: { status: res.status, body: await res.json() } }));
} catch (e) {
  console.log(JSON.stringify({ error: e instanceof OAuthError ? e.code : String(e) }));
  process.exitCode = 1;
}
