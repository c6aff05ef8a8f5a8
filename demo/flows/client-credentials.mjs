// Client Credentials (RFC 6749 §4.4) on the demo server, through the wasm core in Node: one token
// request with the service's own secret, then the API.
//
// createClient({ issuer, clientId, clientSecret, apiOrigins, fetch }) from web/node.mjs and
// client.loginWithClientCredentials({ scope, resource }); the token stays in the core, which keeps
// it until near expiry and hands it to client.fetch for the API's origin only.
import { probeClient } from './plug.mjs';

export const flow = 'client-credentials';
export const actor = 'Your service';
const GRANT = 'loginWithClientCredentials';

// The core's client for this grant (the plug-in point). Tests may hand createRunner another.
export function coreClient(env, fetch) {
  if (typeof env.node?.createClient !== 'function') throw new Error('web/node.mjs has no createClient');
  return env.node.createClient({
    issuer: env.issuer,
    clientId: 'service',
    clientSecret: 'service-secret',
    apiOrigins: [new URL(env.apiUrl).origin],
    dpop: false, // the demo's server offers DPoP and PAR; this flow shows the classic requests
    fetch,
  });
}

async function runWith(makeClient, ctx) {
  const fetch = ctx.observe({
    onRequest({ label }) {
      if (label.includes('client_credentials')) ctx.step(1, 'done');
      if (label === 'API call') ctx.step(3, 'active');
    },
    onJson({ label, status }) {
      if (label.includes('client_credentials')) ctx.step(2, status === 200 ? 'done' : 'failed');
    },
  });
  const client = await makeClient(ctx, fetch);
  ctx.step(1, 'active');
  await client[GRANT]({ scope: 'api:read', resource: [ctx.apiUrl] });
  const res = await client.fetch(`${ctx.apiUrl}/me`);
  ctx.step(3, res.ok ? 'done' : 'failed');
  const body = await res.json().catch(() => ({}));
  return res.ok
    ? { ok: true, text: `The API answered ${res.status} for client_id=${body.client_id}${body.sub ? `, sub=${body.sub}` : ' — no sub: no person behind this token'}.` }
    : { ok: false, text: `The API answered ${res.status} ${body.error ?? ''}` };
}

export function createRunner(makeClient = coreClient) {
  return { flow, actor, probe: (env) => probeClient(makeClient, env, { grant: GRANT, refusal: 'the core does not take a client secret yet' }), run: (ctx) => runWith(makeClient, ctx) };
}

export const { probe, run } = createRunner();
