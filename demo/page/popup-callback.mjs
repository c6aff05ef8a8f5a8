// The popup's redirect URI page: hands its URL to the page that opened it (exact origin) and closes.
import { postCallbackToOpener } from '/dist/popup-callback.mjs';

if (!postCallbackToOpener()) {
  document.getElementById('message').textContent = 'This page finishes a login popup of the demo; it has no opener.';
}
