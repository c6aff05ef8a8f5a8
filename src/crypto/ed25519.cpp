#include "crypto/openssl_internal.hpp"  // first: ossl_ed25519_verify
#include "crypto/ed25519.hpp"

#include "core/error_codes.hpp"

namespace oauth {

Result<Ed25519PublicKey> Ed25519PublicKey::create(std::string_view public_key) {
  if (public_key.size() != kEd25519PublicKeySize)
    return Error::remote(codes::invalid_key, OAUTH_TEXT("an Ed25519 public key has exactly 32 octets"));
  return Ed25519PublicKey(std::string(public_key));
}

Status Ed25519PublicKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureSize)
    return Error::remote(codes::invalid_signature, OAUTH_TEXT("an Ed25519 signature has exactly 64 octets"));
  const int verified = ossl_ed25519_verify(
      reinterpret_cast<const uint8_t*>(message.data()), message.size(),
      reinterpret_cast<const uint8_t*>(signature.data()), reinterpret_cast<const uint8_t*>(key_.data()),
      nullptr, nullptr);
  if (verified != 1) return Error::remote(codes::invalid_signature, OAUTH_TEXT("the Ed25519 signature does not verify"));
  return Ok{};
}

}  // namespace oauth
