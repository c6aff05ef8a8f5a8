// For the page at the silent restore's redirect URI (silentRedirectUri), loaded in the hidden
// frame that restore() opens. Loads no wasm and reads nothing of the answer: it announces itself
// to its parent (this exact origin, never '*'), takes the MessagePort that parent hands it (only
// from the parent, only from this origin) and sends its own URL down that port, whose other end
// is held by the session holder (the worker): the code and state go there, not to page script.
export const SILENT_READY = 'oauth-wasm:silent-ready';
export const SILENT_PORT = 'oauth-wasm:silent-port';

export function deliverSilentCallback() {
  const parent = window.parent;
  if (parent === window) return false; // opened as a page of its own: not a silent restore
  const url = location.href;
  addEventListener('message', function onPort(event) {
    if (event.source !== parent || event.origin !== location.origin || event.data?.type !== SILENT_PORT) return;
    const [port] = event.ports;
    if (!port) return;
    removeEventListener('message', onPort);
    port.postMessage({ url });
    port.close();
  });
  parent.postMessage({ type: SILENT_READY }, location.origin);
  return true;
}
