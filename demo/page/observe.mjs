// A fetch that writes every request and its response into a flow log, shortened as it reads them.
// The page hands it to createClient({ fetch }) and the demo server to the Node client, so the log
// shows exactly what the core asked for and what came back, in order, and nothing else.
import { bare, describeJson, fingerprint, params, queryParams, shown } from './log.mjs';

const METADATA_SHOWN = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'jwks_uri',
  'code_challenge_methods_supported', 'authorization_response_iss_parameter_supported',
];

// Which endpoint a URL is, from what discovery said (learned as it passes) and the API's origin.
function namer({ issuer, apiUrl }) {
  const endpoints = {};
  const origin = (u) => { try { return new URL(u).origin; } catch { return ''; } };
  return {
    learn(json) {
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'device_authorization_endpoint',
        'revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint', 'end_session_endpoint']) {
        if (typeof json[k] === 'string') endpoints[bare(json[k])] = k;
      }
    },
    name(method, url, form) {
      const at = bare(url);
      const o = origin(url);
      const to = apiUrl && o === origin(apiUrl) ? 'API' : issuer && o === origin(issuer) ? 'Auth server' : o;
      if (at.includes('/.well-known/')) return { label: 'discovery (RFC 8414 metadata)', to };
      switch (endpoints[at]) {
        case 'token_endpoint': {
          const grant = form?.get('grant_type') ?? '';
          const short = grant.replace('urn:ietf:params:oauth:grant-type:', '');
          return { label: short === 'device_code' ? 'token poll · device_code' : `token request · ${short}`, to };
        }
        case 'jwks_uri': return { label: 'JWKS (keys to verify the ID token)', to };
        case 'device_authorization_endpoint': return { label: 'device authorization request', to };
        case 'revocation_endpoint': return { label: 'revocation', to };
        case 'userinfo_endpoint': return { label: 'userinfo', to };
        default: return { label: to === 'API' ? 'API call' : `${method} request`, to };
      }
    },
  };
}

function responseParams(json) {
  if (json && typeof json.issuer === 'string' && typeof json.token_endpoint === 'string') {
    return {
      params: METADATA_SHOWN.filter((k) => k in json).map((k) => [k, Array.isArray(json[k]) ? json[k].join(' ') : shown(k, String(json[k]))]),
      notes: [],
    };
  }
  if (json && Array.isArray(json.keys)) {
    return { params: [['keys', json.keys.map((k) => `${k.kty}${k.alg ? `/${k.alg}` : ''}`).join(', ')]], notes: ['public keys only: the core verifies the ID token signature with one of them'] };
  }
  return null;
}

/**
 * observeFetch(fetchImpl, { log, from, issuer, apiUrl, onJson }) -> fetch
 *   log: createLog() from log.mjs; from: the actor making the requests ('SPA (wasm core)', 'Your server', ...)
 *   known: endpoints already known ({ token_endpoint: url }), for a fetch that does no discovery
 *   onRequest({ label, url, form }) (may be async) and onJson({ url, status, json, label }): see a
 *   request before it goes and a parsed JSON response (e.g. the device flow's user_code); they
 *   must not keep any secret they see.
 */
export function observeFetch(fetchImpl, { log, from, issuer, apiUrl, onJson, onRequest, known } = {}) {
  const names = namer({ issuer, apiUrl });
  if (known) names.learn(known);
  return async function observedFetch(input, init) {
    const request = new Request(input, init);
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    const form = /x-www-form-urlencoded/.test(request.headers.get('content-type') ?? '') ? new URLSearchParams(body) : null;
    const { label, to } = names.name(request.method, request.url, form);
    const items = [];
    for (const h of ['authorization', 'dpop']) {
      const v = request.headers.get(h);
      if (v) items.push([h === 'dpop' ? 'DPoP' : 'Authorization', shown(h, v)]);
    }
    items.push(...queryParams(request.url));
    if (form) items.push(...params(form));
    // A refresh token sent is fingerprinted like one received, so a replay can be matched to its token.
    const sentRefresh = items.find(([k]) => k === 'refresh_token');
    if (sentRefresh) sentRefresh[1] += ` · sha256 ${await fingerprint(form.get('refresh_token'))}`;
    await onRequest?.({ label, url: request.url, form });
    log.add({ kind: 'request', label, from, to, method: request.method, url: bare(request.url), params: items });

    let response;
    try {
      response = await fetchImpl(request);
    } catch (e) {
      log.add({ kind: 'error', label, from: to, to: from, url: bare(request.url), text: `no response (${e?.name ?? 'error'})` });
      throw e;
    }
    const entry = { kind: 'response', label, from: to, to: from, url: bare(request.url), status: response.status };
    if (response.type === 'opaqueredirect') {
      entry.status = 0;
      entry.text = 'a redirect (not followed)';
    }
    const challenge = response.headers.get('www-authenticate');
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        const json = JSON.parse(await response.clone().text());
        names.learn(json);
        const described = responseParams(json) ?? (await describeJson(json));
        entry.params = described.params;
        entry.notes = described.notes;
        onJson?.({ url: request.url, status: response.status, json, label });
      } catch { /* not JSON after all: the status line says enough */ }
    }
    if (challenge) (entry.params ??= []).push(['WWW-Authenticate', challenge]);
    log.add(entry);
    return response;
  };
}
