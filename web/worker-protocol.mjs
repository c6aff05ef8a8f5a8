// The messages between a page and the worker that holds its session (web/worker.mjs):
//   page → worker   { id, method, args }                    one call; the first of a port is
//                                                           open(settings, loadOptions)
//   worker → page   { id, result } | { id, error }          its answer; error: { code, description,
//                                                           uri, blame, status, reason, url }
//                   { event, detail } | { event, error }    a session event, to every page of it
// An ArrayBuffer or ReadableStream `body` of an argument or result is transferred, not copied; so
// is a MessagePort argument (the silent restore's channel).
import { OAuthError } from './errors.mjs';

const moved = (value) => [value?.body].filter((b) => b instanceof ArrayBuffer || b instanceof ReadableStream);

const toWire = (e) => (e instanceof OAuthError
  ? { code: e.code, description: e.description, uri: e.uri, blame: e.blame, status: e.status, reason: e.reason, url: e.url }
  : { code: 'internal_error', description: String(e?.message ?? e) });

// Error events carry the OAuthError itself, other events a plain value.
export const eventMessage = (event, detail) => (detail instanceof Error ? { event, error: toWire(detail) } : { event, detail });

// Worker side: answers each call with handle(method, args).
export function serve(port, handle) {
  port.onmessage = async ({ data: { id, method, args } }) => {
    let reply;
    try {
      reply = { id, result: await handle(method, args) };
    } catch (e) {
      reply = { id, error: toWire(e) };
    }
    port.postMessage(reply, moved(reply.result));
  };
}

// Page side: call(method, ...args) → Promise; events go to onEvent(type, detail); fail(error)
// rejects every call still waiting (the worker could not start).
export function connect(port, onEvent) {
  const waiting = new Map();
  let last = 0;
  port.onmessage = ({ data }) => {
    if (data.event) return onEvent(data.event, data.error ? OAuthError.from(data.error) : data.detail);
    const call = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.error) call?.reject(OAuthError.from(data.error));
    else call?.resolve(data.result);
  };
  return {
    call: (method, ...args) => new Promise((resolve, reject) => {
      waiting.set(++last, { resolve, reject });
      port.postMessage({ id: last, method, args }, [...moved(args[0]), ...args.filter((a) => a instanceof MessagePort)]);
    }),
    fail(error) {
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
    },
  };
}
