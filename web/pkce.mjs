// PKCE through the core (RFC 7636, S256 only).
import { loadCore } from './core-loader.mjs';
import { unwrap } from './errors.mjs';

export async function generatePkce(options) {
  return unwrap((await loadCore(options)).generatePkce());
}

export async function pkceChallenge(verifier, method = 'S256', options) {
  return unwrap((await loadCore(options)).pkceChallenge(String(verifier), String(method)));
}

export async function errorCodes(options) {
  return (await loadCore(options)).errorCodes();
}
