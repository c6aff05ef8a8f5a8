// PKCE through the core (RFC 7636, S256 only), and the core's code table. The browser's wasm holds
// its human texts as markers: these run in the page, which writes them out (web/error-texts.mjs).
import { loadCore } from './core-loader.mjs';
import { unwrap } from './errors.mjs';
import { throwWithTexts, writeTexts } from './error-texts.mjs';

const written = (run) => run().catch(throwWithTexts);

export function generatePkce(options) {
  return written(async () => unwrap((await loadCore(options)).generatePkce()));
}

export function pkceChallenge(verifier, method = 'S256', options) {
  return written(async () => unwrap((await loadCore(options)).pkceChallenge(String(verifier), String(method))));
}

export async function errorCodes(options) {
  const codes = (await loadCore(options)).errorCodes();
  return Promise.all(codes.map(async ({ code, meaning }) => ({ code, meaning: await writeTexts(meaning) })));
}
