// What the three server-side runners share: the honest "not available" answer, and a small
// in-memory Storage for the Node client's one-trip transaction.
//
// A runner module exports:
//   flow, actor                      its id (demo/page/flows.mjs) and who makes its requests
//   probe(env) -> { available, reason }
//                                    whether this build's Node entry (dist/node.mjs) has the grant;
//                                    called once at start-up. env = { node, issuer, apiUrl, appOrigin }
//   run(ctx)                         the flow itself, driven by the wasm core through env.node. ctx adds
//                                    step(n, state, note), emit(type, data), log (createLog),
//                                    observe({ onRequest, onJson }) -> a logging fetch for the core,
//                                    signal (aborted when the run is cancelled or the server stops),
//                                    and for the redirect flow redirectBrowser(url), waitForCallback(),
//                                    startSession(client) (resolves once the browser is back with
//                                    its httpOnly session cookie).
export const NOT_AVAILABLE = 'this flow is not available in this build yet';

export function unavailable(reason) {
  return { available: false, reason };
}

// Why a probe failed, in one line: the core's error code and text, or the missing function.
export function because(e) {
  if (e?.code) return `${e.code}${e.description ? `: ${e.description}` : ''}`;
  return String(e?.message ?? e);
}

/**
 * probe(env) for a runner: makes its core client and checks it has `grant` (a method name, or
 * null when creating the client is the whole check). `refusal` says what a refused client means.
 */
export async function probeClient(makeClient, env, { grant = null, refusal }) {
  try {
    const client = await makeClient(env, globalThis.fetch);
    if (grant && typeof client[grant] !== 'function') return unavailable(`the Node client has no ${grant}()`);
    return { available: true };
  } catch (e) {
    return unavailable(e?.code ? `${refusal} (${because(e)})` : because(e));
  }
}

