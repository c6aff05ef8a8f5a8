// Test helper: ES256 JWTs signed by a fresh P-256 key of our own core, and the JWKS for it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/base64url.hpp"
#include "crypto/ecdsa.hpp"
#include "crypto/sha2.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

namespace oauth::test {

class JwtSigner {
 public:
  explicit JwtSigner(std::string kid) : kid_(std::move(kid)), key_(make_key()) {}

  std::string sign(const nlohmann::json& claims, nlohmann::json header = nlohmann::json::object()) const {
    return sign_text(claims.dump(), std::move(header));
  }

  // Claims as raw JSON text, for numbers written as the test wants them ("1.5e3").
  std::string sign_text(const std::string& claims, nlohmann::json header = nlohmann::json::object()) const {
    if (!header.contains("alg")) header["alg"] = "ES256";
    if (!header.contains("kid")) header["kid"] = kid_;
    std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims);
    auto sig = key_.sign_digest(sha256(input));
    REQUIRE(sig.ok());
    return input + "." + base64url_encode(*sig);
  }

  nlohmann::json jwk() const {
    return {{"kty", "EC"}, {"crv", "P-256"}, {"kid", kid_}, {"use", "sig"},
            {"x", base64url_encode(key_.public_key().x())}, {"y", base64url_encode(key_.public_key().y())}};
  }

  std::string jwks() const { return nlohmann::json{{"keys", {jwk()}}}.dump(); }

 private:
  static EcPrivateKey make_key() {
    auto key = EcPrivateKey::generate_p256();
    REQUIRE(key.ok());
    return std::move(*key);
  }
  std::string kid_;
  EcPrivateKey key_;
};

// The at_hash of an access token for ES256 (OIDC Core §3.1.3.8).
inline std::string at_hash_es256(const std::string& access_token) {
  return base64url_encode(sha256(access_token).substr(0, 16));
}

}  // namespace oauth::test
