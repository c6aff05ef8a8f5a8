// web/silent-callback.mjs: for the page at the silent restore's redirect URI (silentRedirectUri).

/** The message type the frame posts to its parent to announce itself. */
export const SILENT_READY: 'oauth-wasm:silent-ready';
/** The message type of the parent's answer, which carries the session holder's MessagePort. */
export const SILENT_PORT: 'oauth-wasm:silent-port';

/**
 * In the hidden frame restore() opens: posts { type: SILENT_READY } to window.parent, addressed to
 * this page's own origin, then sends { url: location.href } down the MessagePort the parent answers
 * with (accepted only from window.parent and this exact origin) to the session holder. Call it
 * while the page loads (a static module import). False (and nothing posted) outside a frame.
 */
export function deliverSilentCallback(): boolean;
