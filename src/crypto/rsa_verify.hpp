// RSA signature verification (RFC 8017 §8.1.2 RSASSA-PSS, §8.2.2 RSASSA-PKCS1-v1_5) for JWS
// RS256/384/512 and PS256/384/512 (RFC 7518 §3.3, §3.5): OpenSSL's BN_mod_exp_mont for the
// public operation, our own padding checks (rsa_padding.hpp).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/sha2.hpp"

namespace oauth {

inline constexpr int kRsaMinModulusBits = 2048;   // RFC 7518 §3.3: "2048 bits or larger MUST be used"
inline constexpr int kRsaMaxModulusBits = 16384;  // bounds the work a hostile key can cost us
// As OpenSSL's RSA_MAX_PUBEXP_BITS: real keys use 65537; a long e costs a full exponentiation.
inline constexpr int kRsaMaxExponentBits = 64;

// An RSA public key (n, e). An object that exists holds a usable key: n of 2048..16384 bits
// and odd, e odd with 1 < e < n.
class RsaPublicKey {
 public:
  // modulus, exponent: unsigned big-endian octets, e.g. JWK "n" and "e" after base64url
  // decoding (RFC 7518 §6.3.1.1-2). Leading zero octets are tolerated.
  static Result<RsaPublicKey> create(std::string_view modulus, std::string_view exponent);

  // Copies share the immutable key; declaring them makes a move a copy, so a moved-from key
  // stays valid too.
  RsaPublicKey(const RsaPublicKey&) = default;
  RsaPublicKey& operator=(const RsaPublicKey&) = default;

  int modulus_bits() const;
  std::size_t modulus_size() const;  // k, in octets: every signature has exactly this length

  // RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2) with DigestInfo for `hash`.
  Status verify_pkcs1_v1_5(Sha2 hash, std::string_view message, std::string_view signature) const;

  // RSASSA-PSS-VERIFY (RFC 8017 §8.1.2), MGF1 with `hash`, salt length = hash length.
  Status verify_pss(Sha2 hash, std::string_view message, std::string_view signature) const;

 private:
  struct State;
  explicit RsaPublicKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}

  // RSAVP1 (RFC 8017 §5.2.2) then I2OSP to k octets, after the length and range checks.
  Result<std::string> public_operation(std::string_view signature) const;

  std::shared_ptr<const State> state_;
};

}  // namespace oauth
