// Authorization Code + PKCE, run by this page with the wasm core (web/client.mjs). The page watches
// its own steps: the client's `fetch` option is wrapped to log every request and response, the
// authorize URL is logged before the page leaves, and the callback's parameters when it returns.
// The run (steps + shortened log, never a whole token) rides in sessionStorage across the redirect.
import { createClient, generatePkce, pkceChallenge } from '/dist/index.mjs';
import { bare, describeJwt, queryParams, shorten } from './log.mjs';
import { observeFetch } from './observe.mjs';

export const RUN_KEY = 'oauth-wasm-demo.pkce-run';
const FORGE_KEY = 'oauth-wasm-demo.forge';
const ME = 'SPA (wasm core)';
const SCOPE = 'openid profile offline_access api:read';

export function savedRun() {
  try {
    return JSON.parse(sessionStorage.getItem(RUN_KEY) ?? 'null');
  } catch {
    return null;
  }
}

// Keeps the run in sessionStorage from now on (a new run replaces the old one).
export function persist(run) {
  const save = () => sessionStorage.setItem(RUN_KEY, JSON.stringify(run.state));
  save();
  return run.onChange(save);
}

// Watches the core's requests and lights the steps they prove.
function observer(config, run) {
  return observeFetch((input, init) => fetch(input, init), {
    log: run.log,
    from: ME,
    issuer: config.issuer,
    apiUrl: config.apiUrl,
    async onRequest({ label, form, dpop }) {
      if (label === 'pushed authorization request') {
        // PAR: the challenge travels in this POST body; the authorize URL will not carry it.
        const challenge = form?.get('code_challenge') ?? null;
        run.set('pkce', { challenge, method: form?.get('code_challenge_method') ?? null });
        run.step(1, 'done', challenge ? `only its hash leaves, in the pushed request: code_challenge=${shorten(challenge)}` : 'no code_challenge in the pushed request!');
        run.step(2, 'active', 'pushing the parameters');
      }
      if (label.includes('authorization_code')) {
        // The core only builds a token request for a callback whose state and iss it accepted.
        run.step(4, 'done', 'state and iss accepted by the core');
        run.step(5, 'active', dpop ? 'with a DPoP proof' : undefined);
        const verifier = form?.get('code_verifier');
        if (verifier) {
          const pkce = run.get('pkce') ?? {};
          const recomputed = await pkceChallenge(verifier);
          run.set('pkce', {
            ...pkce,
            verifier: shorten(verifier),
            recomputed,
            matches: Boolean(pkce.challenge) && recomputed === pkce.challenge,
            secretSent: form.has('client_secret'),
          });
        }
      }
      if (label.includes('refresh_token')) {
        run.set('refreshing', true);
        attacker.copy(form?.get('refresh_token'));
      }
      if (label === 'API call') run.step(7, 'active', dpop ? 'Authorization: DPoP, with a proof' : undefined);
    },
    onJson({ label, status, json }) {
      if (label.includes('refresh_token')) attacker.rotated(status === 200 && typeof json?.refresh_token === 'string');
      if (label === 'pushed authorization request' && status === 201 && typeof json?.request_uri === 'string') {
        run.set('requestUri', json.request_uri);
        run.step(2, 'active', `pushed: request_uri=${json.request_uri}`);
      }
      if (label.includes('authorization_code') && typeof json?.id_token === 'string') {
        run.set('idToken', describeJwt(json.id_token)); // shown once the core has verified it (finish)
      }
      if (label.includes('authorization_code')) {
        if (json?.error === 'use_dpop_nonce') {
          run.set('nonceDemanded', true);
          run.step(5, 'active', 'the server asked for its DPoP-Nonce; the core signs a new proof with it');
        } else {
          if (status === 200) run.set('tokenType', json?.token_type ?? null);
          run.step(5, status === 200 ? 'done' : 'failed', status === 200 ? (json?.token_type ? `token_type ${json.token_type}` : undefined) : `HTTP ${status}`);
        }
      }
    },
  });
}

async function makeClient(config, run, mode = 'redirect') {
  return createClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: `${location.origin}/${mode === 'popup' ? 'popup-callback' : 'callback'}`,
    scope: SCOPE,
    apiOrigins: [new URL(config.apiUrl).origin],
    // The demo's server offers both; the run's options decide (true: required, false: never).
    dpop: Boolean(run.get('dpop')),
    par: Boolean(run.get('par')),
    // The demo logs every request from the page, so its session lives in the page: said outright.
    isolation: 'none',
    fetch: observer(config, run),
  });
}

// The authorize URL, as the page is about to open it: steps 1 and 2, in the log before leaving.
function logAuthorize(run, url) {
  const u = new URL(url);
  const pushed = u.searchParams.has('request_uri');
  // What the demo server files the auth server's own redirects of this login under (auth-trail.mjs).
  run.set('trailKey', u.searchParams.get('state') ?? u.searchParams.get('request_uri'));
  if (!pushed) {
    const challenge = u.searchParams.get('code_challenge');
    run.set('pkce', { challenge, method: u.searchParams.get('code_challenge_method') });
    run.step(1, 'done', challenge ? `only its hash leaves: code_challenge=${shorten(challenge)}` : 'no code_challenge in the URL!');
  }
  run.log.add({
    kind: 'redirect', label: 'authorization request', from: ME, to: 'Auth server', method: 'GET', url: bare(url),
    params: queryParams(url),
    notes: [pushed
      ? 'only client_id and request_uri: the server looks the pushed parameters up (RFC 9126 §4); the verifier stays behind with the client'
      : 'the browser goes to the auth server; the verifier stays behind with the client',
    ...(u.searchParams.has('dpop_jkt') ? ['dpop_jkt: the code will be bound to this session’s DPoP key, by its thumbprint (RFC 9449 §10)'] : [])],
  });
  run.step(2, 'done', pushed ? `in the URL: ${[...u.searchParams.keys()].join(' and ')}, nothing else` : undefined);
  run.step(3, 'active', 'waiting for you to sign in on the auth server’s page');
}

// The auth server's own redirects between our authorization request and its answer (its login and
// consent pages), as the demo server saw them; only the server sees them happen.
async function logServerTrail(run) {
  const key = run.get('trailKey');
  if (!key) return;
  run.set('trailKey', null);
  try {
    const entries = await (await fetch(`/demo/trail?key=${encodeURIComponent(key)}`)).json();
    for (const entry of entries) run.log.add(entry);
  } catch { /* the demo server is gone: the log goes without these lines */ }
}

function logCallback(run, href, how) {
  const u = new URL(href);
  run.log.add({
    kind: 'callback', label: 'authorization response', from: 'Auth server', to: ME, method: 'GET', url: bare(href),
    params: queryParams(href), notes: [how],
  });
  // Only a login this page started (step 2 done) proves a sign-in by coming back with a code.
  if (run.stepState(2) !== 'done') return;
  if (u.searchParams.has('code')) run.step(3, 'done', 'the server only sends a code after a sign-in');
  else if (u.searchParams.has('error')) run.step(3, 'failed', u.searchParams.get('error'));
}

// Step 6 and 7: tokens in the core, then the API through client.fetch.
async function finish(config, run, client) {
  const user = await client.getUser();
  const bound = String(run.get('tokenType') ?? '').toLowerCase() === 'dpop';
  run.step(6, 'done', bound ? 'token_type DPoP; token and key in wasm memory; web storage checked below' : 'in wasm memory; web storage checked below');
  run.set('user', user?.sub ?? null);
  const idToken = run.get('idToken');
  if (idToken && user) {
    run.log.add({
      kind: 'note', label: 'ID token, decoded', from: ME, params: idToken,
      notes: ['signature verified by the core, against the server’s JWKS key named by kid, and its claims checked (iss, aud, exp, iat, nonce) before the session existed; client.getUser() returns these claims'],
    });
  }
  const res = await client.fetch(`${config.apiUrl}/me`);
  const body = await res.json().catch(() => ({}));
  run.step(7, res.ok ? 'done' : 'failed', `HTTP ${res.status}${bound && res.ok ? ' — the API checked the proof and the key the token is bound to' : ''}`);
  run.outcome(res.ok
    ? { ok: true, text: `Signed in as “${user?.sub}”. The API answered ${res.status} for sub=${body.sub}.` }
    : { ok: false, text: `The API answered ${res.status} ${body.error ?? ''}` });
}

function fail(run, e) {
  const code = e?.code ?? 'error';
  // Before step 4 is done the core refused the callback itself; after, it was the exchange.
  if (run.stepState(3) === 'done' || run.get('forged')) {
    if (run.stepState(4) !== 'done') run.step(4, 'failed', code);
    else if (run.stepState(5) !== 'done') run.step(5, 'failed', code);
  }
  run.log.add({ kind: 'error', label: 'refused by the core', from: ME, text: `${code}${e?.description ? ` — ${e.description}` : ''}` });
  run.outcome({ ok: false, code, text: `${code}${e?.description ? `: ${e.description}` : ''}` });
}

export async function startRedirect(config, run) {
  const client = await makeClient(config, run, 'redirect');
  await client.loginWithRedirect({
    resource: [config.apiUrl],
    openUrl: (url) => {
      logAuthorize(run, url);
      location.assign(url);
    },
  });
}

// Popup: the page stays, so the client lives on. window.open is watched for the one call the client
// makes, and the callback URL is seen as the popup posts it to us.
export async function startPopup(config, run) {
  const client = await makeClient(config, run, 'popup');
  const realOpen = window.open;
  window.open = function watchedOpen(url, ...rest) {
    window.open = realOpen;
    logAuthorize(run, url);
    return realOpen.call(window, url, ...rest);
  };
  const onMessage = (event) => {
    if (event.origin !== location.origin || event.data?.type !== 'oauth-wasm:callback' || typeof event.data.url !== 'string') return;
    logCallback(run, event.data.url, 'the popup landed on /popup-callback and posted its URL to this page (exact origin)');
  };
  addEventListener('message', onMessage);
  try {
    await client.loginWithPopup({ resource: [config.apiUrl] });
    await finish(config, run, client);
    return client;
  } catch (e) {
    fail(run, e);
    return null;
  } finally {
    removeEventListener('message', onMessage);
    window.open = realOpen;
  }
}

// The thief: redeem the code first, without the verifier. The server refuses and the code stays
// good (oidc-provider checks PKCE before it marks a code used), so the real exchange still works.
async function replayWithoutVerifier(config, run, client, href) {
  const code = new URL(href).searchParams.get('code');
  if (!code) return;
  run.log.add({ kind: 'note', label: 'attacker', text: 'Someone who intercepted the code tries to redeem it first, without the verifier' });
  const thief = observeFetch((input, init) => fetch(input, init), {
    log: run.log, from: 'Attacker', issuer: config.issuer, apiUrl: config.apiUrl, known: { token_endpoint: client.metadata.tokenEndpoint },
  });
  const res = await thief(client.metadata.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${location.origin}/callback`, client_id: config.clientId }),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  const body = await res.json().catch(() => ({}));
  run.set('attack', { status: res.status, error: body.error ?? null, description: body.error_description ?? null });
}

// On /callback after a redirect (ours, a forged link, or a stale one).
export async function handleCallback(config, run, { attacker = false } = {}) {
  const href = location.href;
  if (!run.get('forged')) await logServerTrail(run);
  logCallback(run, href, run.get('forged')
    ? 'a link nobody on this page asked for: no login was started here'
    : 'the auth server redirected the browser back to this page');
  run.log.add({
    kind: 'note', label: 'the page reloaded', from: ME,
    text: 'this is a new page load at /callback: the client starts afresh, so it asks for the server’s metadata again (the second discovery); the login’s one-trip transaction waited in sessionStorage',
  });
  let client;
  try {
    client = await makeClient(config, run, 'redirect');
    if (attacker && !run.get('forged')) await replayWithoutVerifier(config, run, client, href);
    await client.handleRedirectCallback(href);
  } catch (e) {
    fail(run, e);
    return client ?? null;
  }
  try {
    await finish(config, run, client);
  } catch (e) {
    fail(run, e);
  }
  return client;
}

export function forgeCallback() {
  sessionStorage.removeItem(RUN_KEY);
  sessionStorage.setItem(FORGE_KEY, '1');
  location.assign('/callback?code=x&state=forged');
}

// Was this /callback visit the forge button's?
export function takeForgeFlag() {
  const forged = sessionStorage.getItem(FORGE_KEY) === '1';
  sessionStorage.removeItem(FORGE_KEY);
  return forged;
}

// Asks the client for tokens in the URL fragment; the core should refuse before anything happens.
export async function tryImplicit(config) {
  const client = await createClient({
    issuer: config.issuer, clientId: config.clientId, redirectUri: `${location.origin}/callback`, scope: 'openid', dpop: false, par: false,
  });
  let url = null;
  try {
    await client.loginWithRedirect({ extraParams: { response_type: 'token' }, openUrl: (u) => { url = u; } });
  } catch (e) {
    return { refused: true, code: e.code, description: e.description };
  } finally {
    await client.logout();
  }
  return { refused: false, url: url ? bare(url) : null };
}

// Everything this page could have put in web storage or readable cookies: keys and sizes, and a
// check that the access token (read through the client's escape hatch for this check only) and
// anything JWT-shaped appear in none of it.
export async function storageSnapshot(client) {
  const dump = (s) => Array.from({ length: s.length }, (_, i) => s.key(i)).map((key) => ({ key, value: s.getItem(key) ?? '' }));
  const local = dump(localStorage);
  const session = dump(sessionStorage);
  const cookie = document.cookie;
  const everything = [...local, ...session].map((e) => `${e.key}=${e.value}`).join('\n') + cookie;
  let token = null;
  try {
    token = client ? (await client.getAccessToken()).token : null;
  } catch { /* no session */ }
  const describe = ({ key, value }) => ({
    key,
    bytes: value.length,
    what: key === RUN_KEY ? 'this demo’s flow log (shortened values only)'
      : key.startsWith('oauth-wasm.tx.') ? 'the client’s one-trip login transaction' : '',
  });
  return {
    local: local.map(describe),
    session: session.map(describe),
    cookies: cookie ? cookie.split(';').map((c) => c.split('=')[0].trim()) : [],
    tokenChecked: Boolean(token),
    tokenFound: token ? everything.includes(token) : false,
    jwtFound: /eyJ[\w-]+\.eyJ[\w-]+\./.test(everything),
  };
}

// The thief of a DPoP-bound access token: it has the token (read here through the escape hatch,
// as if copied off the wire, and logged shortened only) but not the private key, which never left
// the core. It tries the API twice: as a Bearer token, then under the DPoP scheme with no proof.
// The demo API refuses both (RFC 9449 §7.1). Resolves to [{ as, status, error }].
export async function replayAccessTokenWithoutKey(config, run, client) {
  const { token, tokenType } = await client.getAccessToken();
  if (String(tokenType).toLowerCase() !== 'dpop') throw new Error('this session\'s access token is not DPoP-bound');
  run.log.add({ kind: 'note', label: 'attacker', text: 'Someone who copied the DPoP-bound access token, but not the key, calls the API with it' });
  const steal = observeFetch((input, init) => fetch(input, init), { log: run.log, from: 'Attacker', issuer: config.issuer, apiUrl: config.apiUrl });
  const out = [];
  for (const scheme of ['Bearer', 'DPoP']) {
    const res = await steal(`${config.apiUrl}/me`, { headers: { authorization: `${scheme} ${token}` }, credentials: 'omit', referrerPolicy: 'no-referrer' });
    const body = await res.json().catch(() => ({}));
    out.push({ as: scheme, status: res.status, error: body.error ?? null });
  }
  return out;
}

// The sample pair for the PKCE math section (made by the core, used by nothing).
export async function samplePair() {
  const pair = await generatePkce();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pair.verifier)));
  const webcrypto = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { ...pair, agrees: webcrypto === pair.challenge };
}

// The rotation demo's attacker: it copied the refresh token off the wire as the client sent it in
// a refresh. Once that refresh rotated it, the copy is an old token; replaying it is what reuse
// detection is for. The copy lives only in this module's memory, is never shown or stored, and
// is dropped once replayed.
const attacker = {
  seen: null,
  old: null,
  copy(token) { this.seen = token ?? null; },
  rotated(yes) {
    if (yes && this.seen) this.old = this.seen;
    this.seen = null;
  },
  take() {
    const t = this.old;
    this.old = null;
    return t;
  },
};

export const canRefresh = (client) => typeof client?.refresh === 'function';
export const canReplay = (client) => canRefresh(client) && attacker.old !== null;

/**
 * The attacker replays the old refresh token at the token endpoint (logged as from 'Attacker');
 * the server sees a rotated token reused and revokes the whole grant, so the client's own next
 * refresh, with the newest token it never leaked, is refused too and the session ends.
 * Resolves to { replayStatus, replayError, clientError } (clientError: the core's error code).
 */
export async function replayOldRefreshToken(config, run, client) {
  const token = attacker.take();
  if (!token) throw new Error('no rotated refresh token to replay yet: refresh once first');
  const steal = observeFetch((input, init) => fetch(input, init), { log: run.log, from: 'Attacker', issuer: config.issuer, apiUrl: config.apiUrl });
  const meta = await (await steal(`${config.issuer}/.well-known/openid-configuration`)).json();
  const res = await steal(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: config.clientId }),
  });
  const answer = await res.json().catch(() => ({}));
  let clientError = null;
  try {
    await client.refresh();
  } catch (e) {
    clientError = e?.code ?? 'error';
  }
  return { replayStatus: res.status, replayError: answer.error ?? null, clientError };
}
