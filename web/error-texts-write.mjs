// Writes out the markers of the browser wasm's texts (web/error-texts.mjs) from the table
// scripts/error-texts.mjs generates from the C++ literals (web/error-texts-table.mjs). A marker
// names its text by a key, the 32-bit FNV-1a hash of the text's UTF-8 folded to 24 bits
// (src/core/error_text.hpp), computed here once for the whole table. Only the table's own texts
// can be written: a marker it lacks stays as it is.
import TEXTS from './error-texts-table.mjs';

export function key(text) {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 16777619) >>> 0;
  return ((h >>> 24) ^ (h & 0xffffff)).toString(16).padStart(6, '0');
}

let byKey = null;

// `text` with its markers written out.
export function writeTexts(text) {
  byKey ??= new Map(TEXTS.map((t) => [key(t), t]));
  return text.replace(/\x01([0-9a-f]{6})/g, (marker, k) => byKey.get(k) ?? marker);
}

// `e` itself, its description and message written out.
export function withTexts(e) {
  if (typeof e?.description === 'string' && e.description.includes('\x01')) {
    e.description = writeTexts(e.description);
    e.message = `${e.code}: ${e.description}`;
  }
  return e;
}
