// One error class for everything the core or the shim refuses. `code` is the RFC 6749 code the
// server sent (invalid_grant, access_denied, ...) or one of ours (state_mismatch, ...): the
// table lives in the core (src/core/error_codes.hpp) and is read through core.errorCodes().
export class OAuthError extends Error {
  constructor(code, description = '', { uri = '', blame = 'local', status = 0, cause, reason = '', url = '' } = {}) {
    super(description ? `${code}: ${description}` : code, cause ? { cause } : undefined);
    this.name = 'OAuthError';
    this.code = code;
    this.description = description;
    this.uri = uri;
    this.blame = blame;
    this.status = status;
    this.reason = reason; // network_error: refused, dns, tls, timeout, reset or unknown
    this.url = url; // network_error: the request's URL without its query
  }

  static from(error) {
    return new OAuthError(error.code, error.description, error);
  }
}

// True when `e` is an OAuthError and, with `code`, has that code (narrows e.code in TypeScript).
export function isOAuthError(e, code) {
  return e instanceof OAuthError && (code === undefined || e.code === code);
}

// Unwraps a core result ({ ok, value } | { ok: false, error }) or throws its OAuthError.
export function unwrap(result) {
  if (result.ok) return result.value;
  throw OAuthError.from(result.error);
}
