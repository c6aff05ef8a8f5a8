// ECDSA over P-256 and P-384 (FIPS 186-4 §6, SEC 1 §4.1) with the raw r||s signature form of
// JWS (RFC 7518 §3.4): verification for ES256/ES384, and P-256 key generation and signing
// for DPoP proofs (RFC 9449). OpenSSL's internal ECDSA code on our cached groups.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "crypto/ec_groups.hpp"
#include "crypto/openssl_handles.hpp"

namespace oauth {

// A public point on P-256 or P-384. An object that exists holds a point on its curve that is
// not the point at infinity.
class EcPublicKey {
 public:
  // x, y: big-endian coordinates of exactly ec_coordinate_size(curve) octets each (RFC 7518
  // §6.2.1.2-3), each below the field prime, the point on the curve (SEC 1 §3.2.2.1).
  static Result<EcPublicKey> create(EcCurve curve, std::string_view x, std::string_view y);

  // Copies share the immutable point; declaring them makes a move a copy, so a moved-from key
  // stays valid too.
  EcPublicKey(const EcPublicKey&) = default;
  EcPublicKey& operator=(const EcPublicKey&) = default;

  EcCurve curve() const { return state_->curve; }
  const std::string& x() const { return state_->x; }
  const std::string& y() const { return state_->y; }

  // ECDSA verification (SEC 1 §4.1.4) of `digest` (the hash of the message, 32..64 octets)
  // against raw r||s, each exactly ec_coordinate_size() octets (RFC 7518 §3.4). DER is refused.
  Status verify_digest(std::string_view digest, std::string_view signature) const;

 private:
  struct State {
    EcCurve curve;
    std::string x, y;
    EcPointPtr point;
  };
  explicit EcPublicKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  friend class EcPrivateKey;
  const EC_POINT* point() const { return state_->point.get(); }

  std::shared_ptr<const State> state_;
};

// A P-256 private key for DPoP. Move-only; the scalar is wiped (BN_clear_free) when the key
// is dropped. A moved-from key refuses to sign.
class EcPrivateKey {
 public:
  // A fresh key from the platform CSPRNG (SEC 1 §3.2.1: d uniform in [1, n-1]).
  static Result<EcPrivateKey> generate_p256();
  // The key of the scalar `d`: exactly 32 big-endian octets (RFC 7518 §6.2.2.1), in [1, n-1]
  // (SEC 1 §3.2.1), else invalid_key; the public point is computed from it (Q = dG). For a key
  // that a server keeps in its own store (session/server_session_record.hpp).
  static Result<EcPrivateKey> from_p256_scalar(std::string_view d);

  EcPrivateKey(EcPrivateKey&&) noexcept = default;
  EcPrivateKey& operator=(EcPrivateKey&&) noexcept = default;
  EcPrivateKey(const EcPrivateKey&) = delete;
  EcPrivateKey& operator=(const EcPrivateKey&) = delete;

  const EcPublicKey& public_key() const { return public_key_; }
  // The scalar d as 32 big-endian octets, the inverse of from_p256_scalar(); empty when moved from.
  Secret scalar_bytes() const;

  // ECDSA signature (SEC 1 §4.1.3) of `digest` (32..64 octets) as raw r||s (RFC 7518 §3.4).
  Result<std::string> sign_digest(std::string_view digest) const;

 private:
  EcPrivateKey(SecretBignumPtr scalar, EcPublicKey public_key)
      : scalar_(std::move(scalar)), public_key_(std::move(public_key)) {}

  SecretBignumPtr scalar_;
  EcPublicKey public_key_;
};

}  // namespace oauth
