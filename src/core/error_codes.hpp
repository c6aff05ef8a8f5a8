// The one table of our own error codes (RFC 6749 codes come from servers as they are).
// The JS side reads this table through the bindings (errorCodes()), so the two cannot drift.
#pragma once

// X(identifier, "code", "what it means")
#define OAUTH_ERROR_CODES(X)                                                                         \
  X(invalid_request, "invalid_request", "the request is missing or has a malformed parameter")      \
  X(invalid_argument, "invalid_argument", "the caller passed a value the API does not accept")       \
  X(invalid_encoding, "invalid_encoding", "a base64url or URL encoding is malformed")                \
  X(entropy_failure, "entropy_failure", "the platform random source failed; nothing was generated") \
  X(unsupported_pkce_method, "unsupported_pkce_method", "only the S256 PKCE method is allowed")     \
  X(crypto_failure, "crypto_failure", "a cryptographic operation failed")                           \
  X(invalid_key, "invalid_key", "a key is malformed, too small, or not on its curve")               \
  X(invalid_signature, "invalid_signature", "a signature did not verify")                           \
  X(unknown_kid, "unknown_kid", "no JWKS key has the token's kid (or fits it): refetch the JWKS once") \
  X(invalid_jws, "invalid_jws", "a JWS is malformed or carries a header this client refuses (RFC 7515)") \
  X(unsupported_alg, "unsupported_alg", "the JWS alg is none, symmetric, unknown or not allowed here") \
  X(invalid_metadata, "invalid_metadata", "the authorization server metadata is unusable")          \
  X(issuer_mismatch, "issuer_mismatch", "the metadata issuer differs from the configured issuer")   \
  X(insecure_issuer, "insecure_issuer", "the issuer is not https (only loopback may use http)")     \
  X(pkce_not_supported, "pkce_not_supported", "the server does not advertise PKCE with S256")       \
  X(device_flow_not_supported, "device_flow_not_supported", "the server lists no device_authorization_endpoint (RFC 8628 §4)") \
  X(expired_token, "expired_token", "the device code expired before the user finished (RFC 8628 §3.5)") \
  X(pushed_authorization_required, "pushed_authorization_required", "the server requires pushed authorization requests (RFC 9126)") \
  X(invalid_callback, "invalid_callback", "the callback URL is malformed, too long or has no code") \
  X(implicit_flow_refused, "implicit_flow_refused", "tokens in a URL fragment are refused (OAuth 2.1)") \
  X(state_mismatch, "state_mismatch", "the callback state matches no live transaction")             \
  X(transaction_expired, "transaction_expired", "the authorization transaction has expired")        \
  X(iss_mismatch, "iss_mismatch", "the callback iss differs from the issuer (RFC 9207)")            \
  X(iss_missing, "iss_missing", "the server advertises iss but the callback has none (RFC 9207)")   \
  X(redirect_uri_mismatch, "redirect_uri_mismatch", "the callback does not come to the redirect URI") \
  X(invalid_response, "invalid_response", "the server's response is malformed")                     \
  X(response_too_large, "response_too_large", "the server's response exceeds the size limit")       \
  X(unexpected_status, "unexpected_status", "the server answered with an unexpected HTTP status")    \
  X(unsupported_token_type, "unsupported_token_type", "the token_type is not one this client uses") \
  X(id_token_invalid, "id_token_invalid", "the ID token failed signature or claim validation")      \
  X(login_required, "login_required", "there is no session; the user must log in")                  \
  X(session_expired, "session_expired", "the session ended; the user must log in again")           \
  X(token_expired, "token_expired", "the access token has expired and cannot be used")                \
  X(dpop_key_lost, "dpop_key_lost", "the code or token is bound to a DPoP key this session no longer holds (RFC 9449)") \
  X(dpop_key_mismatch, "dpop_key_mismatch", "the DPoP key is not the one the session record is bound to (its dpop_jkt, RFC 9449 §6.1)") \
  X(session_record_invalid, "session_record_invalid", "a stored session record is malformed, truncated or of another version") \
  X(session_record_foreign, "session_record_foreign", "a stored session record belongs to another issuer or client") \
  X(persist_unsupported, "persist_unsupported", "persistence refused: the refresh token would not be DPoP-bound to a non-extractable key") \
  X(origin_not_allowed, "origin_not_allowed", "tokens are only sent to the configured API origins")   \
  X(out_of_order, "out_of_order", "the call does not fit the client's current step")                \
  X(network_error, "network_error", "the request did not reach the server or timed out (shim)")       \
  X(unexpected_redirect, "unexpected_redirect", "a server redirected a back-channel request (shim)") \
  X(popup_blocked, "popup_blocked", "the browser blocked the login popup (shim)")                    \
  X(popup_closed, "popup_closed", "the user closed the login popup (shim)")                          \
  X(popup_timeout, "popup_timeout", "the login popup did not come back in time (shim)")              \
  X(silent_frame_failed, "silent_frame_failed", "the silent restore's hidden frame was blocked or did not answer in time (shim)") \
  X(wasm_load_failed, "wasm_load_failed", "the wasm core could not be fetched or compiled (shim)")   \
  X(wasm_integrity_mismatch, "wasm_integrity_mismatch", "the wasm core does not match its expected hash (shim)") \
  X(persist_store_failed, "persist_store_failed", "IndexedDB could not be opened, read or written for the persisted session (shim)") \
  X(internal_error, "internal_error", "an unexpected failure inside the session worker (shim)")

namespace oauth::codes {
#define OAUTH_DECLARE_CODE(id, text, meaning) inline constexpr const char* id = text;
OAUTH_ERROR_CODES(OAUTH_DECLARE_CODE)
#undef OAUTH_DECLARE_CODE
}  // namespace oauth::codes
