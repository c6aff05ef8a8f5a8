// The messages between a page and the worker that holds its session (web/worker.mjs):
//   page → worker   { id, method, args }                    one call; the first of a port is
//                                                           open(settings)
//   worker → page   { id, result } | { id, error }          its answer; error: { code, description,
//                                                           uri, blame, status, reason, url }
//                   { event, detail } | { event, error }    a session event, to every page of it
// An ArrayBuffer or ReadableStream `body` of an argument or result is transferred, not copied; so
// is a MessagePort argument (the silent restore's channel). No call carries code: the worker's
// name says which wasm it loads (workerName below).
import { OAuthError } from './errors.mjs';

const NAME = 'oauth-wasm';

// A worker's name: 'oauth-wasm' for its own wasm (next to it), or 'oauth-wasm {"wasmUrl", "integrity"}'
// for an app's self-hosted copy or own hash. A worker named otherwise is another worker: pages
// join only the worker configured as they are.
export const workerName = ({ wasmUrl, integrity }) => (wasmUrl || integrity ? `${NAME} ${JSON.stringify({ wasmUrl, integrity })}` : NAME);

// Worker side: what its name asks for (nothing more than the defaults for any other name).
export function workerLoad(name) {
  if (!name.startsWith(`${NAME} {`)) return {};
  const { wasmUrl, integrity } = JSON.parse(name.slice(NAME.length + 1));
  return { wasmUrl: typeof wasmUrl === 'string' ? wasmUrl : undefined, integrity: typeof integrity === 'string' ? integrity : undefined };
}

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
