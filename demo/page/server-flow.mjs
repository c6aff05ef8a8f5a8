// The page side of the flows the demo server runs (confidential code flow, client credentials,
// device): start a run, then follow its Server-Sent Events — one per step or log entry — into the
// same steps and log view the PKCE flow uses. The server replays a run from its start on every
// new connection, so coming back from the auth server (confidential flow) loses nothing.
export const SERVER_RUN_KEY = 'oauth-wasm-demo.server-run';

// -> { unavailable, message, reason } when this build cannot run the flow, else { id, stream }.
export async function startServerRun(flowId, run, handlers = {}) {
  const res = await fetch('/demo/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ flow: flowId }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 501) return { unavailable: true, message: body.message, reason: body.reason };
  if (!res.ok) throw new Error(body.message ?? `the demo server answered ${res.status}`);
  sessionStorage.setItem(SERVER_RUN_KEY, JSON.stringify({ id: body.id, flow: flowId }));
  const stream = follow(body.id, run, handlers);
  if (body.navigate) {
    await stream.ready;
    location.assign(body.navigate); // the confidential flow: the browser goes through the server
  }
  return { id: body.id, stream };
}

export function follow(id, run, handlers = {}) {
  const source = new EventSource(`/demo/runs/${encodeURIComponent(id)}/events`);
  const on = (type, fn) => source.addEventListener(type, (event) => fn(JSON.parse(event.data)));
  on('step', ({ n, state, note }) => run.step(n, state, note));
  on('log', (entry) => run.log.add(entry));
  on('device', (data) => { run.set('device', data); handlers.device?.(data); });
  on('poll', (data) => { run.set('poll', data); handlers.poll?.(data); });
  on('result', (result) => run.outcome(result));
  on('end', (end) => {
    source.close();
    if (!end.ok && !run.state.outcome) run.outcome({ ok: false, code: end.error, text: `${end.error}: ${end.text}` });
    run.set('ended', true);
    handlers.end?.(end);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED && !run.get('ended')) handlers.lost?.();
  });
  const ready = new Promise((resolve) => source.addEventListener('open', resolve, { once: true }));
  return { ready, close: () => source.close() };
}

export function cancelServerRun(id) {
  return fetch(`/demo/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}
