#include "crypto/jwk_thumbprint.hpp"

#include <initializer_list>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/sha2.hpp"

namespace oauth {
namespace {

const char* curve_name(EcCurve curve) { return curve == EcCurve::p256 ? "P-256" : "P-384"; }

// RFC 7638 §3.2: the required members of each key type, and nothing else.
const std::initializer_list<const char*>* required_members(const std::string& kty) {
  static const std::initializer_list<const char*> ec = {"crv", "kty", "x", "y"};
  static const std::initializer_list<const char*> rsa = {"e", "kty", "n"};
  static const std::initializer_list<const char*> okp = {"crv", "kty", "x"};
  if (kty == "EC") return &ec;
  if (kty == "RSA") return &rsa;
  if (kty == "OKP") return &okp;
  return nullptr;
}

// RFC 7638 §3.3: no whitespace, members sorted by name (nlohmann objects are ordered maps).
std::string thumbprint_of_canonical(const nlohmann::json& canonical) {
  return base64url_encode(sha256(canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

}  // namespace

nlohmann::json ec_public_jwk(const EcPublicKey& key) {
  return nlohmann::json{{"crv", curve_name(key.curve())},
                        {"kty", "EC"},
                        {"x", base64url_encode(key.x())},
                        {"y", base64url_encode(key.y())}};
}

Result<std::string> jwk_thumbprint_sha256(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return Error::local(codes::invalid_key, "a JWK must be a JSON object");
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string())
    return Error::local(codes::invalid_key, "the JWK has no kty string");
  const auto* members = required_members(kty->get_ref<const std::string&>());
  if (members == nullptr) return Error::local(codes::invalid_key, "the JWK's kty has no thumbprint members we know");
  nlohmann::json canonical = nlohmann::json::object();
  for (const char* name : *members) {
    auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string())
      return Error::local(codes::invalid_key, std::string("the JWK lacks the required string member ") + name);
    canonical[name] = *it;
  }
  return thumbprint_of_canonical(canonical);
}

std::string jwk_thumbprint_sha256(const EcPublicKey& key) { return thumbprint_of_canonical(ec_public_jwk(key)); }

}  // namespace oauth
