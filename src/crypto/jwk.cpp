#include "crypto/jwk.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "json/json_access.hpp"

namespace oauth {
namespace {

Error key_error(const char* what) { return Error::remote(codes::invalid_key, what); }
Error member_error(const char* name, const char* rule) {
  return Error::remote(codes::invalid_key, concat({OAUTH_TEXT("JWK member "), name, " ", rule}));
}

// An optional string member: nullopt when absent, an error when present with another type.
Result<std::optional<std::string>> optional_string(const JsonValue& jwk, const char* name) {
  const JsonValue* v = jwk.find(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return member_error(name, OAUTH_TEXT("must be a string"));
  return std::optional<std::string>(v->text());
}

Result<std::string> required_string(const JsonValue& jwk, const char* name) {
  OAUTH_ASSIGN_OR_RETURN(auto&& value, optional_string(jwk, name));
  if (!value.has_value()) return member_error(name, OAUTH_TEXT("is missing"));
  return std::move(*value);
}

// A base64url member holding key material (RFC 7518 §6: Base64urlUInt or octets).
Result<std::string> required_bytes(const JsonValue& jwk, const char* name) {
  OAUTH_ASSIGN_OR_RETURN(auto&& text, required_string(jwk, name));
  auto bytes = base64url_decode(text);
  if (!bytes.ok()) return member_error(name, OAUTH_TEXT("is not base64url"));
  return std::move(*bytes);
}

// Never hold a private key that came from the network: the members of RFC 7518 §6.3.2
// (RSA), §6.2.2 (EC "d"), §6.4.1 ("k") and RFC 8037 §2 (OKP "d").
Status check_no_private_members(const JsonValue& jwk) {
  for (const char* name : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    if (jwk.find(name) != nullptr) return key_error(OAUTH_TEXT("a JWK with private key members is refused"));
  }
  return Ok{};
}

// RFC 7517 §4.2: a key for verifying signatures has "use" "sig" when it has "use" at all.
Status check_use_is_sig(const JsonValue& jwk) {
  OAUTH_ASSIGN_OR_RETURN(auto&& use, optional_string(jwk, "use"));
  if (use.has_value() && *use != "sig") return key_error(OAUTH_TEXT("the JWK's use is not sig"));
  return Ok{};
}

// RFC 7517 §4.3: "key_ops" is an array of unique strings; ours must include "verify".
Status check_key_ops_allow_verify(const JsonValue& jwk) {
  const JsonValue* ops = jwk.find("key_ops");
  if (ops == nullptr) return Ok{};
  if (!ops->is_array()) return key_error(OAUTH_TEXT("JWK member key_ops must be an array"));
  std::vector<std::string_view> values;
  bool verify = false;
  for (const JsonValue& op : ops->items()) {
    if (!op.is_string()) return key_error(OAUTH_TEXT("JWK key_ops must hold strings"));
    values.push_back(op.text());
    verify = verify || op.text() == "verify";
  }
  if (has_repeated_text(std::move(values))) return key_error(OAUTH_TEXT("JWK key_ops repeats a value"));
  if (!verify) return key_error(OAUTH_TEXT("the JWK's key_ops do not include verify"));
  return Ok{};
}

Result<RsaPublicKey> rsa_key(const JsonValue& jwk) {
  OAUTH_ASSIGN_OR_RETURN(auto&& n, required_bytes(jwk, "n"));
  OAUTH_ASSIGN_OR_RETURN(auto&& e, required_bytes(jwk, "e"));
  return RsaPublicKey::create(n, e);
}

Result<EcPublicKey> ec_key(const JsonValue& jwk) {
  OAUTH_ASSIGN_OR_RETURN(auto&& crv, required_string(jwk, "crv"));
  EcCurve curve;
  if (crv == "P-256") {
    curve = EcCurve::p256;
  } else if (crv == "P-384") {
    curve = EcCurve::p384;
  } else {
    return key_error(OAUTH_TEXT("the EC JWK's crv is not P-256 or P-384"));
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& x, required_bytes(jwk, "x"));
  OAUTH_ASSIGN_OR_RETURN(auto&& y, required_bytes(jwk, "y"));
  return EcPublicKey::create(curve, x, y);
}

Result<Ed25519PublicKey> okp_key(const JsonValue& jwk) {
  OAUTH_ASSIGN_OR_RETURN(auto&& crv, required_string(jwk, "crv"));
  if (crv != "Ed25519") return key_error(OAUTH_TEXT("the OKP JWK's crv is not Ed25519"));
  OAUTH_ASSIGN_OR_RETURN(auto&& x, required_bytes(jwk, "x"));
  return Ed25519PublicKey::create(x);
}

// Any of the three key classes as the variant Jwk holds.
template <typename K, typename V>
Result<V> as_variant(Result<K> key) {
  if (!key.ok()) return std::move(key).take_error();
  return V(std::move(*key));
}

}  // namespace

Result<Jwk> Jwk::create(const JsonValue& jwk) {
  if (!jwk.is_object()) return key_error(OAUTH_TEXT("a JWK must be a JSON object"));
  OAUTH_TRY(check_no_private_members(jwk));
  OAUTH_ASSIGN_OR_RETURN(auto&& kid, optional_string(jwk, "kid"));
  OAUTH_ASSIGN_OR_RETURN(auto&& alg, optional_string(jwk, "alg"));
  OAUTH_TRY(check_use_is_sig(jwk));
  OAUTH_TRY(check_key_ops_allow_verify(jwk));
  OAUTH_ASSIGN_OR_RETURN(auto&& kty, required_string(jwk, "kty"));
  Result<Key> key = Error::remote(codes::invalid_key, OAUTH_TEXT("the JWK's kty is not RSA, EC or OKP"));
  if (kty == "RSA") key = as_variant<RsaPublicKey, Key>(rsa_key(jwk));
  if (kty == "EC") key = as_variant<EcPublicKey, Key>(ec_key(jwk));
  if (kty == "OKP") key = as_variant<Ed25519PublicKey, Key>(okp_key(jwk));
  OAUTH_TRY(key);
  return Jwk(std::move(*key), std::move(kid), std::move(alg));
}

JwkType Jwk::type() const {
  if (std::holds_alternative<RsaPublicKey>(key_)) return JwkType::rsa;
  if (std::holds_alternative<EcPublicKey>(key_)) return JwkType::ec;
  return JwkType::okp;
}

bool Jwk::key_fits(JwsAlg alg) const {
  const EcPublicKey* ec = std::get_if<EcPublicKey>(&key_);
  switch (alg) {
    case JwsAlg::rs256: case JwsAlg::rs384: case JwsAlg::rs512:
    case JwsAlg::ps256: case JwsAlg::ps384: case JwsAlg::ps512:
      return std::holds_alternative<RsaPublicKey>(key_);
    case JwsAlg::es256: return ec != nullptr && ec->curve() == EcCurve::p256;
    case JwsAlg::es384: return ec != nullptr && ec->curve() == EcCurve::p384;
    case JwsAlg::eddsa: return std::holds_alternative<Ed25519PublicKey>(key_);
  }
  return false;
}

bool Jwk::fits(JwsAlg alg) const {
  return key_fits(alg) && (!alg_.has_value() || *alg_ == jws_alg_name(alg));
}

Status Jwk::verify(JwsAlg alg, std::string_view signing_input, std::string_view signature) const {
  if (!fits(alg)) return Error::remote(codes::invalid_signature, OAUTH_TEXT("the JWS alg does not fit the key"));
  const Sha2 hash = jws_alg_hash(alg);
  if (const auto* rsa = std::get_if<RsaPublicKey>(&key_)) {
    const bool pss = alg == JwsAlg::ps256 || alg == JwsAlg::ps384 || alg == JwsAlg::ps512;
    return pss ? rsa->verify_pss(hash, signing_input, signature)
               : rsa->verify_pkcs1_v1_5(hash, signing_input, signature);
  }
  if (const auto* ec = std::get_if<EcPublicKey>(&key_)) return ec->verify_digest(digest(hash, signing_input), signature);
  if (const auto* ed = std::get_if<Ed25519PublicKey>(&key_)) return ed->verify(signing_input, signature);
  return Error::local(codes::crypto_failure, OAUTH_TEXT("the JWK holds no key"));
}

Result<Jwks> Jwks::create(const JsonValue& jwks) {
  if (!jwks.is_object()) return Error::remote(codes::invalid_response, OAUTH_TEXT("a JWK Set must be a JSON object"));
  const JsonValue* keys = jwks.find("keys");
  if (keys == nullptr || !keys->is_array())
    return Error::remote(codes::invalid_response, OAUTH_TEXT("a JWK Set needs a keys array (RFC 7517 §5)"));
  Jwks set;
  for (const JsonValue& entry : keys->items()) {
    auto key = Jwk::create(entry);
    if (key.ok()) {
      set.keys_.push_back(std::move(*key));
      continue;
    }
    std::optional<std::string> kid;
    if (entry.is_object()) {
      auto k = optional_string(entry, "kid");
      if (k.ok()) kid = std::move(*k);
    }
    set.ignored_.push_back(IgnoredJwk{std::move(kid), std::move(key).take_error()});
  }
  return set;
}

Result<Jwks> Jwks::parse(std::string_view text) {
  OAUTH_ASSIGN_OR_RETURN(auto&& document,
                         parse_json_object(text, kMaxJwksBytes,
                                           JsonSource{codes::invalid_response, Blame::remote, OAUTH_TEXT("the JWK Set")}));
  return create(document.value);
}

}  // namespace oauth
