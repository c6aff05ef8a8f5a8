// The client-facing defaults of the protocol layer, in one place.
#pragma once
#include <cstddef>
#include <cstdint>

namespace oauth {

// Largest response body we read from any endpoint (discovery, token, errors).
inline constexpr std::size_t kMaxResponseBodyBytes = 1024 * 1024;  // 1 MiB

// How long an authorization transaction stays valid after the redirect (seconds).
inline constexpr std::int64_t kTransactionTtlSeconds = 600;

// Random bytes behind `state` and `nonce`: 256 bits, base64url-encoded to 43 characters
// (RFC 9700 §4.7.1 / OAuth 2.1 §7.12 ask for at least 128 bits).
inline constexpr std::size_t kStateRandomBytes = 32;
inline constexpr std::size_t kNonceRandomBytes = 32;

// Largest serialized transaction we accept back from the shim's storage.
inline constexpr std::size_t kMaxTransactionBytes = 64 * 1024;

// Longest URL the browser came back with that we read: the callback (RFC 6749 §4.1.2) and the
// post-logout redirect. Anyone can send a user a link to the redirect URI, browsers follow links
// of 2 MB, and the worker that reads it serves every tab; what a server sends there (code, state,
// iss, session_state, or an error with its description) fits in well under 2 KiB even with the
// longest codes seen (about 1.5 KiB). A longer URL is refused before it is parsed.
inline constexpr std::size_t kMaxCallbackUrlBytes = 8 * 1024;

// How long a fetched JWKS is trusted (seconds): its response's Cache-Control max-age, within these
// bounds (src/protocol/jwks_lifetime.cpp). The upper bound is how long a key the issuer withdraws
// (after a compromise) can still sign for us, whatever the server says; the lower bound, given
// also for no-store and no-cache, keeps a server that forbids caching from costing a JWKS fetch on
// every token. Without max-age: an hour, a trade between the two that costs one GET an hour.
inline constexpr std::int64_t kJwksMinLifetimeSeconds = 5 * 60;
inline constexpr std::int64_t kJwksMaxLifetimeSeconds = 24 * 60 * 60;
inline constexpr std::int64_t kJwksDefaultLifetimeSeconds = 60 * 60;

}  // namespace oauth
