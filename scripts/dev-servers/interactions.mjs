// Every HTML page the test authorization server shows to a user: login, consent,
// device-flow code entry/confirmation, logout and errors. The pages load nothing
// (no fonts, scripts or styles from anywhere) and carry stable element ids for
// Playwright and for scripts/dev-servers/http-client.mjs:
//   login:   form#login-form, input#login, input#password, button#submit
//   consent: form#consent-form, button#approve, button#deny
//   device:  input#user_code, button#submit, then button#confirm / button#abort,
//            success page h1#success
//   logout:  button#logout (sign out), button#stay
//   errors:  h1#error, #error-code, #error-description

// Nothing external may load; inline styles only. No form-action: the login
// form's redirect chain ends at the app on another origin.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; frame-ancestors 'none'";

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:2em auto}label,input,button{display:block;margin:.4em 0}</style>
</head><body>
${body}
</body></html>`;
}

// For pages that oidc-provider renders itself through our *Source callbacks (koa ctx).
function renderInto(ctx, title, body, status) {
  if (status) ctx.status = status;
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', CSP);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = page(title, body);
}

// For pages we serve from the plain node:http handler below.
function send(res, status, title, body) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': CSP,
    'Cache-Control': 'no-store',
  });
  res.end(page(title, body));
}

// oidc-provider hands us its own <form> markup (with a CSRF value) for the
// device and logout pages; we keep its action and xsrf but write our own form.
function formParts(formHtml) {
  const attr = (re) => (formHtml.match(re) || [])[1] || '';
  return {
    action: attr(/action="([^"]*)"/),
    xsrf: attr(/name="xsrf" value="([^"]*)"/),
  };
}

function errorBlock(out) {
  if (!out) return '';
  return `<p id="error-code">${esc(out.error)}</p><p id="error-description">${esc(out.error_description)}</p>`;
}

// ---- pages rendered by oidc-provider (configuration callbacks) ----

export async function renderError(ctx, out) {
  renderInto(ctx, 'Error', `<h1 id="error">Error</h1>${errorBlock(out)}`);
}

export const deviceFlowSources = {
  async userCodeInputSource(ctx, form, out, err) {
    const { action, xsrf } = formParts(form);
    let message = '<p>Enter the code displayed on your device.</p>';
    if (err) {
      const kind = err.userCode || err.name === 'NoCodeError' ? 'invalid_code'
        : err.name === 'AbortedError' ? 'aborted' : (out?.error || 'error');
      message = `<p id="error" data-error="${esc(kind)}">${esc(kind)}: ${esc(out?.error_description || err.message)}</p>`;
    }
    renderInto(ctx, 'Device sign-in', `<h1>Device sign-in</h1>${message}
<form id="device-input-form" method="post" action="${esc(action)}">
<input type="hidden" name="xsrf" value="${esc(xsrf)}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" type="text" autocomplete="off" value="${esc(err?.userCode)}">
<button id="submit" type="submit">Continue</button>
</form>`);
  },

  async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
    const { action, xsrf } = formParts(form);
    renderInto(ctx, 'Confirm device', `<h1>Confirm device</h1>
<p>Client <strong id="client_id">${esc(client.clientId)}</strong> shows the code
<code id="confirm_code">${esc(userCode)}</code>.</p>
<form id="device-confirm-form" method="post" action="${esc(action)}">
<input type="hidden" name="xsrf" value="${esc(xsrf)}">
<input type="hidden" name="user_code" value="${esc(userCode)}">
<button id="confirm" type="submit" name="confirm" value="yes">Continue</button>
<button id="abort" type="submit" name="abort" value="yes">Abort</button>
</form>`);
  },

  async successSource(ctx) {
    renderInto(ctx, 'Device signed in', `<h1 id="success">Sign-in complete</h1>
<p>Client ${esc(ctx.oidc.client?.clientId)} is signed in. You can close this page.</p>`);
  },
};

export const logoutSources = {
  async logoutSource(ctx, form) {
    const { action, xsrf } = formParts(form);
    renderInto(ctx, 'Sign out', `<h1>Sign out?</h1>
<form id="logout-form" method="post" action="${esc(action)}">
<input type="hidden" name="xsrf" value="${esc(xsrf)}">
<button id="logout" type="submit" name="logout" value="yes">Sign out</button>
<button id="stay" type="submit">Stay signed in</button>
</form>`);
  },

  async postLogoutSuccessSource(ctx) {
    renderInto(ctx, 'Signed out', '<h1 id="signed-out">Signed out</h1>');
  },
};

// ---- /interaction/:uid pages, served by a plain node:http handler ----

async function readForm(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid, details) {
  return `<h1>Sign in</h1>
<p>Client <strong id="client_id">${esc(details.params.client_id)}</strong> asks you to sign in. Any login and password work.</p>
<form id="login-form" method="post" action="/interaction/${esc(uid)}/login">
<label for="login">Login</label><input id="login" name="login" type="text" value="demo" autocomplete="off">
<label for="password">Password</label><input id="password" name="password" type="password" value="demo">
<button id="submit" type="submit">Sign in</button>
</form>`;
}

function consentPage(uid, details) {
  const d = details.prompt.details;
  const scopes = [...(d.missingOIDCScope || [])];
  for (const [resource, list] of Object.entries(d.missingResourceScopes || {})) {
    scopes.push(...list.map((s) => `${s} (${resource})`));
  }
  return `<h1>Allow access?</h1>
<p>Client <strong id="client_id">${esc(details.params.client_id)}</strong> asks for:</p>
<ul id="scopes">${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form id="consent-form" method="post" action="/interaction/${esc(uid)}/consent">
<button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button>
</form>`;
}

// Grants exactly what the consent prompt says is missing (on top of an existing grant).
async function grantMissing(provider, details) {
  const { prompt: { details: missing }, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|consent))?$/;

// Returns a node:http handler `(req, res) => boolean`: true when it took the
// request (an /interaction/ URL), false to let oidc-provider have it.
export function interactionHandler(provider) {
  async function handle(req, res, uid, action) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      return send(res, 400, 'Error', '<h1 id="error">Error</h1><p>interaction mismatch</p>');
    }
    const prompt = details.prompt.name;
    if (req.method === 'GET' && !action) {
      if (prompt === 'login') return send(res, 200, 'Sign in', loginPage(uid, details));
      if (prompt === 'consent') return send(res, 200, 'Consent', consentPage(uid, details));
      return send(res, 400, 'Error', `<h1 id="error">Error</h1><p>unknown prompt ${esc(prompt)}</p>`);
    }
    if (req.method !== 'POST' || !action) {
      return send(res, 405, 'Error', '<h1 id="error">Method not allowed</h1>');
    }
    const form = await readForm(req);
    if (action === 'login' && prompt === 'login') {
      const accountId = (form.get('login') || '').trim() || 'demo';
      return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    }
    if (action === 'consent' && prompt === 'consent') {
      if (form.get('decision') === 'deny') {
        return provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'End-User denied the request',
        }, { mergeWithLastSubmission: false });
      }
      const grantId = await grantMissing(provider, details);
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    return send(res, 400, 'Error', `<h1 id="error">Error</h1><p>${esc(action)} does not answer prompt ${esc(prompt)}</p>`);
  }

  return function interactions(req, res) {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const match = ROUTE.exec(pathname);
    if (!match) return false;
    handle(req, res, match[1], match[2]).catch((err) => {
      if (res.headersSent) { res.destroy(err); return; }
      // SessionNotFound & co: the interaction cookie is missing or the interaction expired.
      send(res, err.statusCode || 500, 'Error',
        `<h1 id="error">Error</h1><p id="error-code">${esc(err.error || 'server_error')}</p>`
        + `<p id="error-description">${esc(err.error_description || err.message)}</p>`);
    });
    return true;
  };
}
