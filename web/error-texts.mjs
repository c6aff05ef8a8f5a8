// The browser's wasm holds its human texts as markers: "\x01" and the 6 hex digits that name one
// text (src/core/error_text.hpp). An error that carries one gets its texts written out by
// web/error-texts-write.mjs, imported then (dist/lazy-error-texts.mjs, with the table): only an
// app that meets such an error downloads it. Never imported by the worker: Vite builds a worker as
// one file, where an import() fails, so the page does it, where the worker's errors become the
// app's (web/client.mjs). The Node module holds the texts themselves.

export const marked = (e) => typeof e?.description === 'string' && e.description.includes('\x01');

// `e` itself, its description (and message) written out when it carries markers; as it is when the
// texts cannot be loaded (the error still reaches the app, with its code and the markers).
export const withTexts = async (e) => {
  if (!marked(e)) return e;
  try {
    return (await import('./error-texts-write.mjs')).withTexts(e);
  } catch {
    return e;
  }
};
