// The popup's redirect URI page: hands the URL to the opener (exact origin) and closes.
import { postCallbackToOpener } from '/dist/popup-callback.mjs';

if (!postCallbackToOpener()) {
  document.getElementById('message').textContent = 'This page finishes a login popup; it has no opener.';
}
