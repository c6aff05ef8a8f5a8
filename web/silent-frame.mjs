// The page's side of the silent restore: a hidden frame to the authorization endpoint with
// prompt=none, whose answer goes to the session holder without passing through this page's
// script. The session holder makes the request (a fresh state, nonce and PKCE pair from the core;
// the transaction stays there, as for a popup) and sends its URL down a MessageChannel; the frame
// opens it; our callback page in the frame (web/silent-callback.mjs) announces itself to this
// window, is handed the channel's end (checked: this frame, this exact origin) and sends its URL
// up it. Where the frame lands anywhere else (a page of the server, an error page for a refused
// frame), its load event with no announcement tells the session holder at once; a frame that
// never loads is ended by the session holder's timeout.
import { SILENT_PORT, SILENT_READY } from './silent-callback.mjs';

const LOAD_GRACE = 200; // ms between the frame's load event and its announcement, at most

// `timers`: { setTimeout, clearTimeout } (a clock of web/clock.mjs's shape, or globalThis).
export function silentRestore(call, options, { timeout, loadGrace = LOAD_GRACE, timers = globalThis }) {
  const { port1: port, port2 } = new MessageChannel();
  let frame = null;
  let handed = false;
  let grace;
  const hand = (send) => { // the port goes once: to the callback page, or back with "elsewhere"
    if (handed) return;
    handed = true;
    timers.clearTimeout(grace);
    send();
  };
  function onMessage(event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== location.origin) return;
    if (event.data?.type !== SILENT_READY) return;
    hand(() => event.source.postMessage({ type: SILENT_PORT }, location.origin, [port]));
  }
  function onLoad() {
    try {
      if (frame.contentWindow.location.href === 'about:blank') return; // the frame's initial document
    } catch { /* another origin: not our callback page */ }
    timers.clearTimeout(grace);
    grace = timers.setTimeout(() => hand(() => port.postMessage({ landed: 'elsewhere' })), loadGrace);
  }
  port.onmessage = ({ data }) => {
    if (frame || typeof data?.url !== 'string') return;
    frame = document.createElement('iframe');
    frame.hidden = true;
    frame.title = 'oauth-wasm silent restore';
    // src before insertion: the frame's first navigation adds no entry to the tab's history.
    frame.src = data.url;
    frame.addEventListener('load', onLoad);
    addEventListener('message', onMessage);
    (document.body ?? document.documentElement).append(frame);
  };
  return call('silent', options, port2, { timeout }).finally(() => {
    timers.clearTimeout(grace);
    removeEventListener('message', onMessage);
    frame?.remove();
    port.close();
  });
}
