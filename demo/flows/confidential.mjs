// Authorization Code for a confidential client (RFC 6749 §4.1 with a client secret, plus PKCE as
// OAuth 2.1 requires) on the demo server, through the wasm core in Node. The browser only carries
// the redirects: /server/login sends it to the auth server, /server/callback brings the code back
// here, the code is redeemed server to server with the secret, the tokens stay in this process and
// the browser gets an httpOnly session cookie.
//
// createClient({ issuer, clientId, clientSecret, redirectUri, apiOrigins, storage, fetch }) from
// web/node.mjs, with the same loginWithRedirect / handleRedirectCallback / fetch as in the browser:
// PKCE still, and the core adds the secret (client_secret_basic) to the code exchange. The session
// cookie (httpOnly, SameSite=Lax) is demo/server.mjs's startSession.
import { MemoryStorage } from '../../scripts/dev-servers/memory-storage.mjs';
import { probeClient } from './plug.mjs';

export const flow = 'confidential';
export const actor = 'Your server';

// The core's client for this flow (the plug-in point). Tests may hand createRunner another.
export function coreClient(env, fetch, storage = new MemoryStorage()) {
  if (typeof env.node?.createClient !== 'function') throw new Error('web/node.mjs has no createClient');
  return env.node.createClient({
    issuer: env.issuer,
    clientId: 'web',
    clientSecret: 'web-secret',
    redirectUri: `${env.appOrigin}/server/callback`,
    apiOrigins: [new URL(env.apiUrl).origin],
    scope: 'openid profile',
    dpop: false, // the demo's server offers DPoP and PAR; this flow shows the classic requests
    par: false,
    storage,
    fetch,
  });
}

async function runWith(makeClient, ctx) {
  const fetch = ctx.observe({
    onRequest({ label, form }) {
      if (label.includes('authorization_code')) {
        ctx.step(4, 'done'); // the core accepted the callback's state and iss, or it would not ask
        ctx.step(5, 'active', form?.has('client_secret') ? 'secret in the body' : 'secret in the Authorization header');
      }
      if (label === 'API call') ctx.step(7, 'active');
    },
    onJson({ label, status }) {
      if (label.includes('authorization_code')) ctx.step(5, status === 200 ? 'done' : 'failed');
    },
  });
  const client = await makeClient(ctx, fetch);
  ctx.step(1, 'active', 'waiting for the browser at /server/login');
  await client.loginWithRedirect({ openUrl: (url) => ctx.redirectBrowser(url) });
  const callbackUrl = await ctx.waitForCallback();
  await client.handleRedirectCallback(callbackUrl);
  const user = await client.getUser();
  // The tokens stay here, in this process's wasm memory; the browser gets a session cookie.
  await ctx.startSession(client);
  ctx.step(6, 'done');
  const res = await client.fetch(`${ctx.apiUrl}/me`);
  ctx.step(7, res.ok ? 'done' : 'failed');
  const body = await res.json().catch(() => ({}));
  return res.ok
    ? { ok: true, text: `Signed in as ${user?.sub}; the server called the API (${res.status}, sub=${body.sub}). The browser holds only an httpOnly cookie.` }
    : { ok: false, text: `The API answered ${res.status} ${body.error ?? ''}` };
}

export function createRunner(makeClient = coreClient) {
  return { flow, actor, probe: (env) => probeClient(makeClient, env, { refusal: 'the core does not take a client secret yet' }), run: (ctx) => runWith(makeClient, ctx) };
}

export const { probe, run } = createRunner();
