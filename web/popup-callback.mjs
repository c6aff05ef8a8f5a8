// For the page at the popup's redirect URI: hands the callback URL to the window that opened
// the popup, addressed to this exact origin (never '*'), and closes. Loads no wasm.
export const CALLBACK_MESSAGE = 'oauth-wasm:callback';

export function postCallbackToOpener() {
  const opener = window.opener;
  if (!opener || opener.closed) return false;
  opener.postMessage({ type: CALLBACK_MESSAGE, url: location.href }, location.origin);
  window.close();
  return true;
}
