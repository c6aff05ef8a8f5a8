// PKCE (RFC 7636) with S256 only: OAuth 2.1 §4.1.1 and RFC 9700 §2.1.1.
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/secret.hpp"

namespace oauth {

inline constexpr std::size_t kPkceVerifierMinLength = 43;   // RFC 7636 §4.1
inline constexpr std::size_t kPkceVerifierMaxLength = 128;  // RFC 7636 §4.1
inline constexpr std::size_t kPkceDefaultRandomBytes = 48;  // 64 characters

struct PkcePair {
  Secret verifier;
  std::string challenge;
  std::string method;  // always "S256"
};

// A verifier must be 43..128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.1).
Status check_pkce_verifier(std::string_view verifier);

// challenge = BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
Result<std::string> pkce_challenge(std::string_view verifier, std::string_view method = "S256");

// A fresh verifier from `random_bytes` bytes of the platform CSPRNG (32..96, encoding to 43..128).
Result<PkcePair> generate_pkce(std::size_t random_bytes = kPkceDefaultRandomBytes);

}  // namespace oauth
