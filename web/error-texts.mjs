// The browser's wasm holds its human texts as markers: "\x01" and the 8 hex digits that name one
// text (src/core/error_text.hpp). The page writes them back from the table generated from the
// C++ (web/error-texts-table.mjs, dist/lazy-error-texts.mjs), imported on the first marker met:
// only an app that meets an error downloads it. Only the table's own texts can be written: a
// marker it lacks stays as it is, and so do all markers if the table cannot be fetched. Never
// imported by the worker: Vite builds a worker as one file, where an import() fails, so the page
// does it, where the worker's errors become the app's (web/client.mjs), and the in-page helpers
// (web/pkce.mjs). The Node module holds the texts themselves.
import { OAuthError } from './errors.mjs';

const MARKER = /\x01([0-9a-f]{8})/g;
let table = null;

export const hasMarkers = (e) => e instanceof OAuthError && typeof e.description === 'string' && e.description.includes('\x01');

// `text` with its markers written out.
export async function writeTexts(text) {
  if (!text.includes('\x01')) return text;
  table ??= import('./error-texts-table.mjs').then((m) => m.default, () => { table = null; return {}; });
  const texts = await table;
  return text.replace(MARKER, (marker, key) => (Object.hasOwn(texts, key) ? texts[key] : marker));
}

// `e` itself, its description (and so its message) written out when it carries markers.
export async function withTexts(e) {
  if (hasMarkers(e)) {
    e.description = await writeTexts(e.description);
    e.message = `${e.code}: ${e.description}`;
  }
  return e;
}

export const throwWithTexts = async (e) => { throw await withTexts(e); };
