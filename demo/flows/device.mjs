// Device Authorization (RFC 8628) on the demo server, through the wasm core in Node: the "device"
// asks for a code, shows it, and polls while the user signs in on a second screen.
//
// createClient({ issuer, clientId, apiOrigins, fetch }) from web/node.mjs (no redirect URI: a
// device has none) and client.loginWithDeviceCode({ scope, signal, onPrompt }): the core parses
// the device authorization response and decides when to poll again; the page's device pane gets
// the user_code and verification_uri the core hands to onPrompt — they are meant to be shown; the
// device_code is not, and is only ever logged shortened.
import { probeClient } from './plug.mjs';

export const flow = 'device';
export const actor = 'Device';
const GRANT = 'loginWithDeviceCode';

// The core's client for this grant (the plug-in point). Tests may hand createRunner another.
export function coreClient(env, fetch) {
  if (typeof env.node?.createClient !== 'function') throw new Error('web/node.mjs has no createClient');
  return env.node.createClient({
    issuer: env.issuer,
    clientId: 'device',
    apiOrigins: [new URL(env.apiUrl).origin],
    dpop: false, // the demo's server offers DPoP and PAR; this flow shows the classic requests
    par: false,
    fetch,
  });
}

async function runWith(makeClient, ctx) {
  let polls = 0;
  const fetch = ctx.observe({
    onRequest({ label }) {
      if (label === 'device authorization request') ctx.step(1, 'done');
      if (label.startsWith('token poll')) ctx.step(5, 'active');
      if (label === 'API call') ctx.step(7, 'active');
    },
    onJson({ label, status, json }) {
      if (label === 'device authorization request' && status === 200) ctx.step(2, 'done');
      if (label.startsWith('token poll')) {
        polls += 1;
        const result = status === 200 ? 'tokens' : String(json.error ?? status);
        ctx.emit('poll', { n: polls, result });
        if (status === 200) {
          ctx.step(4, 'done');
          ctx.step(5, 'done');
          ctx.step(6, 'done');
        } else if (!['authorization_pending', 'slow_down'].includes(result)) {
          ctx.step(5, 'failed', result);
        }
      }
    },
  });
  const client = await makeClient(ctx, fetch);
  ctx.step(1, 'active');
  await client[GRANT]({
    scope: 'openid profile offline_access',
    signal: ctx.signal,
    // What the core read from the device authorization response, for the device's screen.
    onPrompt({ userCode, verificationUri, verificationUriComplete, expiresIn, interval }) {
      ctx.emit('device', { userCode, verificationUri, verificationUriComplete: verificationUriComplete ?? '', expiresIn, interval });
      ctx.step(3, 'done');
      ctx.step(4, 'active', 'waiting for the user on the phone');
    },
  });
  const user = await client.getUser?.();
  const res = await client.fetch(`${ctx.apiUrl}/me`);
  ctx.step(7, res.ok ? 'done' : 'failed');
  const body = await res.json().catch(() => ({}));
  return res.ok
    ? { ok: true, text: `The device is signed in${user?.sub ? ` as ${user.sub}` : ''}; the API answered ${res.status} for sub=${body.sub}.` }
    : { ok: false, text: `The API answered ${res.status} ${body.error ?? ''}` };
}

export function createRunner(makeClient = coreClient) {
  return { flow, actor, probe: (env) => probeClient(makeClient, env, { grant: GRANT, refusal: 'the core cannot make a device client yet' }), run: (ctx) => runWith(makeClient, ctx) };
}

export const { probe, run } = createRunner();
