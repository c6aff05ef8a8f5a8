// Ed25519 signature verification (RFC 8032 §5.1.7) for JWS "EdDSA" with an OKP key
// (RFC 8037 §3.1), through OpenSSL's ossl_ed25519_verify: it refuses s >= L (non-canonical
// signatures) and, like OpenSSL 3.0, accepts small-order public keys.
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace oauth {

inline constexpr std::size_t kEd25519PublicKeySize = 32;  // RFC 8032 §5.1.5
inline constexpr std::size_t kEd25519SignatureSize = 64;  // RFC 8032 §5.1.6

class Ed25519PublicKey {
 public:
  // The 32-octet encoded point A (JWK "x", RFC 8037 §2).
  static Result<Ed25519PublicKey> create(std::string_view public_key);

  // Declared copies make a move a copy: a moved-from key keeps its 32 octets.
  Ed25519PublicKey(const Ed25519PublicKey&) = default;
  Ed25519PublicKey& operator=(const Ed25519PublicKey&) = default;

  const std::string& bytes() const { return key_; }

  // The 64-octet signature R || S over the whole message (PureEdDSA).
  Status verify(std::string_view message, std::string_view signature) const;

 private:
  explicit Ed25519PublicKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace oauth
