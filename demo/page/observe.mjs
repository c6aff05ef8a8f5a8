// A fetch that writes every request and its response into a flow log, shortened as it reads them.
// The page hands it to createClient({ fetch }) and the demo server to the Node client, so the log
// shows exactly what the core asked for and what came back, in order, and nothing else.
import { bare, describeDpopProof, describeJson, fingerprint, params, queryParams, shown } from './log.mjs';

const METADATA_SHOWN = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'jwks_uri',
  'code_challenge_methods_supported', 'authorization_response_iss_parameter_supported',
  'pushed_authorization_request_endpoint', 'require_pushed_authorization_requests', 'dpop_signing_alg_values_supported',
];

// Which endpoint a URL is, from what discovery said (learned as it passes) and the API's origin.
function namer({ issuer, apiUrl }) {
  const endpoints = {};
  const origin = (u) => { try { return new URL(u).origin; } catch { return ''; } };
  return {
    learn(json) {
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'device_authorization_endpoint',
        'revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint', 'end_session_endpoint',
        'pushed_authorization_request_endpoint']) {
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
        case 'pushed_authorization_request_endpoint': return { label: 'pushed authorization request', to };
        case 'revocation_endpoint': return { label: 'revocation', to };
        case 'userinfo_endpoint': return { label: 'userinfo', to };
        default: return { label: to === 'API' ? 'API call' : `${method} request`, to };
      }
    },
  };
}

// What a token response says about DPoP, in a line.
function dpopNotes(json, label) {
  if (json?.error === 'use_dpop_nonce' && label !== 'API call') {
    return ['the auth server wants a nonce of its own in the proof (RFC 9449 §8): the core retries once with a new proof carrying the DPoP-Nonce it sent'];
  }
  if (label.startsWith('token request') && typeof json?.token_type === 'string' && json.token_type.toLowerCase() === 'dpop') {
    return ['token_type DPoP: the access token is bound to the proof’s key (RFC 9449 §5); a copy of it is useless without the private key'];
  }
  if (label === 'pushed authorization request' && typeof json?.request_uri === 'string') {
    return ['a one-time reference to the pushed parameters, valid for expires_in seconds (RFC 9126 §2.2)'];
  }
  return [];
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
 *   onRequest({ label, url, form, dpop }) (may be async; dpop: the request carries a DPoP proof) and onJson({ url, status, json, label }): see a
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
    const notes = [];
    for (const h of ['authorization', 'dpop']) {
      const v = request.headers.get(h);
      if (v) items.push([h === 'dpop' ? 'DPoP' : 'Authorization', shown(h, v)]);
    }
    const proof = request.headers.get('dpop');
    if (proof) {
      items.push(...(await describeDpopProof(proof)));
      notes.push(label === 'API call'
        ? 'a new proof for every request: signed by the same key, for this method and URL, with ath tying it to this access token (RFC 9449 §4.2, §7)'
        : 'the proof shows the server the public key; the private key never leaves the core (RFC 9449 §4)');
    }
    items.push(...queryParams(request.url));
    if (form) items.push(...params(form));
    // A refresh token sent is fingerprinted like one received, so a replay can be matched to its token.
    const sentRefresh = items.find(([k]) => k === 'refresh_token');
    if (sentRefresh) sentRefresh[1] += ` · sha256 ${await fingerprint(form.get('refresh_token'))}`;
    if (label === 'pushed authorization request') {
      notes.push('PAR (RFC 9126 §2): the authorization parameters go in a POST body, not in the URL the browser will show');
    }
    await onRequest?.({ label, url: request.url, form, dpop: Boolean(proof) });
    log.add({ kind: 'request', label, from, to, method: request.method, url: bare(request.url), params: items, ...(notes.length ? { notes } : {}) });

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
    const nonce = response.headers.get('dpop-nonce');
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        const json = JSON.parse(await response.clone().text());
        names.learn(json);
        const described = responseParams(json) ?? (await describeJson(json));
        entry.params = described.params;
        entry.notes = [...described.notes, ...dpopNotes(json, label)];
        onJson?.({ url: request.url, status: response.status, json, label });
      } catch { /* not JSON after all: the status line says enough */ }
    }
    if (challenge) (entry.params ??= []).push(['WWW-Authenticate', challenge]);
    // Only DPoP requests get the nonce shown: the demo API sends its nonce on every answer.
    if (nonce && proof) {
      (entry.params ??= []).push(['DPoP-Nonce', shown('dpop-nonce', nonce)]);
      if (response.status === 401 && /use_dpop_nonce/.test(challenge ?? '')) {
        (entry.notes ??= []).push('the API wants its nonce in the proof (RFC 9449 §9): the core retries once with a new proof carrying it');
      }
    }
    log.add(entry);
    return response;
  };
}
