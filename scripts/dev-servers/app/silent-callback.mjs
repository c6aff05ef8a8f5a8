// The silent restore's redirect URI page: hands the session holder its URL (see web/silent-callback.mjs).
import { deliverSilentCallback } from '/dist/silent-callback.mjs';

deliverSilentCallback();
