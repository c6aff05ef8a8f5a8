// web/popup-callback.mjs: for the page at a popup login's redirect URI.

/** The message type the opener listens for. */
export const CALLBACK_MESSAGE: 'oauth-wasm:callback';

/**
 * Posts { type: CALLBACK_MESSAGE, url: location.href } to window.opener, addressed to this page's
 * own origin, then closes the popup. False (and nothing posted) when there is no opener.
 */
export function postCallbackToOpener(): boolean;
