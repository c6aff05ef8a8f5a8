// RP-initiated logout by POST (OpenID Connect RP-Initiated Logout 1.0 §2: the RP may use GET or
// POST), for logout({ idTokenHint: true }): the default leaves by GET without the hint, since not
// every server takes POST there. Sent by GET, an id_token_hint would stay in the browser's history
// and the server's access logs. The core gives the request as a form too ({ action, params }: the
// endpoint with its own query, and the parameters it set, in order); this carries it in a form
// built with DOM APIs and submitted at once: no inline script, so a strict Content-Security-Policy
// holds (its form-action must allow the end_session origin).
export function submitEndSession({ action, params }, doc = document) {
  const form = doc.createElement('form');
  form.method = 'POST';
  form.enctype = 'application/x-www-form-urlencoded';
  form.hidden = true;
  form.action = action;
  for (const [name, value] of params) {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  doc.body.append(form);
  // The prototype's submit: an input named "submit" cannot shadow it.
  HTMLFormElement.prototype.submit.call(form);
}
