// PKCE through the core (RFC 7636, S256 only), and the core's code table. These run in the page
// (or in Node): the browser wasm's texts are markers, written out here (web/error-texts-write.mjs,
// imported only when there is one).
import { loadCore } from './core-loader.mjs';
import { unwrap } from './errors.mjs';

const writer = () => import('./error-texts-write.mjs');
const marked = (text) => text.includes('\x01');
const written = (run) => run().catch(async (e) => { throw marked(String(e?.description)) ? (await writer()).withTexts(e) : e; });

export function generatePkce(options) {
  return written(async () => unwrap((await loadCore(options)).generatePkce()));
}

export function pkceChallenge(verifier, method = 'S256', options) {
  return written(async () => unwrap((await loadCore(options)).pkceChallenge(String(verifier), String(method))));
}

export async function errorCodes(options) {
  const codes = (await loadCore(options)).errorCodes();
  if (!codes.some((c) => marked(c.meaning))) return codes;
  const { writeTexts } = await writer();
  return codes.map(({ code, meaning }) => ({ code, meaning: writeTexts(meaning) }));
}
