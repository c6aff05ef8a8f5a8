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

}  // namespace oauth
