// The four flows: who takes part, what each is for, and the steps the page lights up as each one
// really happens. Pure data; the page and the server runners share the step numbers.

export const FLOWS = [
  {
    id: 'confidential',
    name: 'Authorization Code',
    clientType: 'Server-side web app',
    secret: 'Yes, kept on the server',
    user: 'Yes',
    bestFor: 'Classic web apps with a backend',
    runsOn: 'server',
    actors: [['Browser', '→'], ['Your server', '→'], ['Auth server', '→'], ['API', '']],
    summary: 'Your backend holds a client secret. The browser only carries the redirect; the code is '
      + 'exchanged server to server, and the browser ends up with nothing but an httpOnly session cookie.',
    steps: [
      'The user clicks “log in” on your site',
      'Redirect to the auth server: response_type=code, client_id, redirect_uri, scope, state, code_challenge',
      'The user signs in on the auth server’s own page',
      'The code comes back to your redirect URI; state and iss are checked',
      'Your server exchanges code + client secret (+ verifier), server to server',
      'Tokens stay on the server; the browser gets an httpOnly session cookie',
      'Your server calls the API with the access token',
    ],
  },
  {
    id: 'pkce',
    name: 'Authorization Code + PKCE',
    clientType: 'SPA, mobile, desktop (public client)',
    secret: 'No',
    user: 'Yes',
    bestFor: 'Any app that cannot keep a secret',
    runsOn: 'page',
    actors: [['SPA (wasm core)', '→'], ['Auth server', '→'], ['API', '']],
    summary: 'This page is the client. The wasm core makes a one-time verifier and sends only its hash; '
      + 'whoever redeems the code must prove they hold the verifier. No secret exists anywhere in the page.',
    steps: [
      'The core makes a verifier; challenge = BASE64URL(SHA-256(verifier))',
      'Redirect to the auth server with code_challenge and code_challenge_method=S256',
      'The user signs in on the auth server’s own page',
      'The code comes back to /callback; the core checks state and iss',
      'The core sends code + verifier to the token endpoint — no secret',
      'Tokens are held in wasm memory, never in web storage',
      'The API is called through client.fetch',
    ],
    after: 'Then: refresh with rotation',
    // What the run's options change (same seven steps, so the numbers stay shared).
    variants: {
      par: {
        2: 'PAR (RFC 9126): the core POSTs the parameters, code_challenge included, to the pushed '
          + 'authorization request endpoint and gets a request_uri; the redirect carries only client_id and request_uri',
      },
      dpop: {
        5: 'The core sends code + verifier with a DPoP proof (RFC 9449 §4): a JWT signed by a key pair '
          + 'made in the core, for this POST to this URL — no secret',
        6: 'Tokens come back with token_type DPoP, bound to that key; they stay in wasm memory, as does the private key',
        7: 'The API is called with Authorization: DPoP and a fresh proof carrying ath, the token’s hash (RFC 9449 §7)',
      },
    },
  },
  {
    id: 'client-credentials',
    name: 'Client Credentials',
    clientType: 'Backend service',
    secret: 'Yes, server to server',
    user: 'No',
    bestFor: 'Machine-to-machine, cron jobs, CI',
    runsOn: 'server',
    actors: [['Your service', '→'], ['Auth server', '→'], ['API', '']],
    summary: 'One request, no redirect, no user. The token stands for the application itself, not for a person.',
    steps: [
      'The service sends client_id + secret (+ scope, resource) to the token endpoint',
      'A token is issued — it represents the app, not a person',
      'The service calls the API with it',
    ],
  },
  {
    id: 'device',
    name: 'Device Authorization',
    clientType: 'Smart TV, CLI, IoT',
    secret: 'No (limited input)',
    user: 'Yes, on a second device',
    bestFor: 'Devices without a browser or keyboard',
    runsOn: 'server',
    actors: [['Device', '→'], ['Auth server', '←'], ['User’s phone', '']],
    summary: 'The device cannot show a login page, so it shows a short code instead. The user signs in on '
      + 'a phone while the device keeps asking the token endpoint whether it is done yet.',
    steps: [
      'The device asks the auth server for a code',
      'The server returns device_code, a short user_code and verification_uri',
      'The device shows: go to the URL, enter the code',
      'On the phone, the user opens the URL, enters the code and signs in',
      'The device polls the token endpoint (authorization_pending, slow_down)',
      'Tokens received',
      'The device calls the API',
    ],
  },
];

export const flowById = (id) => FLOWS.find((f) => f.id === id);

// A flow's step texts for a run's options ({ par, dpop }): the variants replace steps by number.
export function stepsOf(flow, options = {}) {
  return flow.steps.map((text, i) => {
    for (const [option, changes] of Object.entries(flow.variants ?? {})) {
      if (options[option] && changes[i + 1]) return changes[i + 1];
    }
    return text;
  });
}

// OAuth 2.0 → 2.1, in one small table.
export const OAUTH21 = [
  ['Implicit grant', 'Allowed', 'Removed'],
  ['PKCE', 'Optional (for public clients)', 'Required for every authorization-code grant'],
  ['Resource owner password grant', 'Allowed', 'Removed'],
  ['Redirect URI matching', 'Partial matches tolerated', 'Exact string match'],
  ['Refresh-token rotation', 'Recommended', 'Required for public clients (or sender-constrained tokens)'],
];
