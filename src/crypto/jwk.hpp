// Public JSON Web Keys for JWS verification (RFC 7517) and JWK Sets (RFC 7517 §5), read from
// JsonValue without exceptions. Keys come from the network, so private keys are refused.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "crypto/ecdsa.hpp"
#include "crypto/ed25519.hpp"
#include "json/json_value.hpp"
#include "crypto/jws_alg.hpp"
#include "crypto/rsa_verify.hpp"

namespace oauth {

inline constexpr std::size_t kMaxJwksBytes = 256 * 1024;  // a jwks_uri response; real ones are a few KB

enum class JwkType { rsa, ec, okp };

// One usable public key. An object that exists holds valid key material whose "use" and
// "key_ops" (when present) allow verification.
class Jwk {
 public:
  // kty "RSA" (RFC 7518 §6.3.1: n, e; at least 2048 bits), "EC" (RFC 7518 §6.2.1: crv P-256
  // or P-384, x and y at full length, point on the curve) or "OKP" (RFC 8037 §2: crv Ed25519,
  // 32-octet x). Refused: private members (d, p, q, dp, dq, qi, oth, k), "use" other than
  // "sig" (RFC 7517 §4.2), "key_ops" without "verify" (RFC 7517 §4.3), other kty or crv.
  static Result<Jwk> create(const JsonValue& jwk);

  JwkType type() const;
  const std::optional<std::string>& kid() const { return kid_; }
  const std::optional<std::string>& alg() const { return alg_; }  // the JWK's own "alg" member

  // Whether a JWS with `alg` may be checked with this key: the key type and curve the alg
  // needs (RFC 7518 §3.1, RFC 8037 §3.1), and the JWK's "alg" when present (RFC 7517 §4.4).
  bool fits(JwsAlg alg) const;

  // RFC 7515 §5.2 step 8: validates `signature` over the JWS signing input with `alg`;
  // an alg that does not fit the key is refused.
  Status verify(JwsAlg alg, std::string_view signing_input, std::string_view signature) const;

 private:
  using Key = std::variant<RsaPublicKey, EcPublicKey, Ed25519PublicKey>;
  Jwk(Key key, std::optional<std::string> kid, std::optional<std::string> alg)
      : key_(std::move(key)), kid_(std::move(kid)), alg_(std::move(alg)) {}
  bool key_fits(JwsAlg alg) const;

  Key key_;
  std::optional<std::string> kid_;
  std::optional<std::string> alg_;
};

// A member of a JWK Set that we cannot use, and why: RFC 7517 §5 asks us to ignore such keys
// (unknown kty, missing members, values out of range), not to fail the whole set.
struct IgnoredJwk {
  std::optional<std::string> kid;
  Error reason;
};

class Jwks {
 public:
  // RFC 7517 §5: a JSON object whose "keys" member is an array of JWKs.
  static Result<Jwks> create(const JsonValue& jwks);
  // The text of a jwks_uri response (at most kMaxJwksBytes; duplicate member names refused).
  static Result<Jwks> parse(std::string_view text);

  const std::vector<Jwk>& keys() const { return keys_; }
  const std::vector<IgnoredJwk>& ignored() const { return ignored_; }

 private:
  Jwks() = default;
  std::vector<Jwk> keys_;
  std::vector<IgnoredJwk> ignored_;
};

}  // namespace oauth
