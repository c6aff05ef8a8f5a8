// RP-initiated logout by POST (OpenID Connect RP-Initiated Logout 1.0 §2: the RP may use GET or
// POST), for logout({ idTokenHint: true }): the default leaves by GET without the hint, since not
// every server takes POST there. Sent by GET, an id_token_hint would stay in the browser's history
// and the server's access logs. Here the parameters the core set in its end_session URL move into
// the body of a form built with DOM APIs and submitted at once: no inline script, so a strict
// Content-Security-Policy holds (its form-action must allow the end_session origin). The
// endpoint's own query parameters, if it has any, stay in the form's action URL.
const END_SESSION_PARAMS = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'];

export function submitEndSession(url, doc = document) {
  const action = new URL(url);
  const form = doc.createElement('form');
  form.method = 'POST';
  form.enctype = 'application/x-www-form-urlencoded';
  form.hidden = true;
  for (const name of END_SESSION_PARAMS) {
    const value = action.searchParams.get(name);
    if (value === null) continue;
    action.searchParams.delete(name);
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  form.action = action.href;
  doc.body.append(form);
  // The prototype's submit: an input named "submit" cannot shadow it.
  HTMLFormElement.prototype.submit.call(form);
}
