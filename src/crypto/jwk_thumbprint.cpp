#include "crypto/jwk_thumbprint.hpp"

#include <initializer_list>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/sha2.hpp"
#include "json/json_write.hpp"

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

std::string thumbprint_of_canonical(std::string_view canonical) { return base64url_encode(sha256(canonical)); }

}  // namespace

std::string ec_public_jwk_json(const EcPublicKey& key) {
  // RFC 7638 §3.3: no whitespace, members sorted by name.
  JsonWriter jwk;
  jwk.begin_object()
      .member("crv", curve_name(key.curve()))
      .member("kty", "EC")
      .member("x", base64url_encode(key.x()))
      .member("y", base64url_encode(key.y()))
      .end_object();
  return std::move(jwk.text());
}

Result<std::string> jwk_thumbprint_sha256(const JsonValue& jwk) {
  if (!jwk.is_object()) return Error::local(codes::invalid_key, OAUTH_TEXT("a JWK must be a JSON object"));
  const JsonValue* kty = jwk.find("kty");
  if (kty == nullptr || !kty->is_string()) return Error::local(codes::invalid_key, OAUTH_TEXT("the JWK has no kty string"));
  const auto* members = required_members(kty->text());
  if (members == nullptr) return Error::local(codes::invalid_key, OAUTH_TEXT("the JWK's kty has no thumbprint members we know"));
  // RFC 7638 §3.3: no whitespace, members sorted by name (each list above is sorted).
  JsonWriter canonical;
  canonical.begin_object();
  for (const char* name : *members) {
    const JsonValue* member = jwk.find(name);
    if (member == nullptr || !member->is_string())
      return Error::local(codes::invalid_key, std::string(OAUTH_TEXT("the JWK lacks the required string member ")) + name);
    canonical.member(name, member->text());
  }
  return thumbprint_of_canonical(canonical.end_object().text());
}

std::string jwk_thumbprint_sha256(const EcPublicKey& key) { return thumbprint_of_canonical(ec_public_jwk_json(key)); }

}  // namespace oauth
