#include "protocol/dpop_proof.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/jwk_thumbprint.hpp"
#include "crypto/sha2.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

Error bad_claim(const char* what) { return Error::local(codes::invalid_argument, what); }

// tchar (RFC 9110 §5.6.2): the characters of an HTTP method token.
bool is_tchar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  for (char allowed : std::string_view("!#$%&'*+-.^_`|~")) {
    if (c == allowed) return true;
  }
  return false;
}

bool is_http_method(std::string_view method) {
  if (method.empty()) return false;
  for (char c : method) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

}  // namespace

bool is_valid_dpop_nonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kMaxDpopNonceLength) return false;
  for (char c : nonce) {
    if (!(c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) return false;
  }
  return true;
}

Result<Url> dpop_request_url(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed.ok()) return bad_claim(OAUTH_TEXT("the DPoP request URL is not an absolute URL"));
  return parsed;
}

// origin() already lower-cases scheme and host and drops the default port.
std::string dpop_htu(const Url& url) { return url.origin() + url.path; }

Result<std::string> dpop_htu(std::string_view url) {
  OAUTH_ASSIGN_OR_RETURN(auto&& parsed, dpop_request_url(url));
  return dpop_htu(parsed);
}

DpopKey::DpopKey(std::optional<EcPrivateKey> key, EcPublicKey public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {
  // Members in name order, as before: the same bytes a sorted JSON object gives.
  const std::string jwk = ec_public_jwk_json(public_key_);
  JsonWriter header;
  header.begin_object().member("alg", "ES256").key("jwk").raw(jwk).member("typ", "dpop+jwt").end_object();
  header_ = base64url_encode(header.text());
  thumbprint_ = jwk_thumbprint_sha256(public_key_);
}

Result<DpopKey> DpopKey::generate() {
  OAUTH_ASSIGN_OR_RETURN(auto&& key, EcPrivateKey::generate_p256());
  EcPublicKey public_key = key.public_key();
  return DpopKey(std::move(key), std::move(public_key));
}

Result<DpopKey> DpopKey::from_private_scalar(std::string_view d) {
  OAUTH_ASSIGN_OR_RETURN(auto&& key, EcPrivateKey::from_p256_scalar(d));
  EcPublicKey public_key = key.public_key();
  return DpopKey(std::move(key), std::move(public_key));
}

Result<DpopKey> DpopKey::external(std::string_view public_jwk_json) {
  constexpr JsonSource kSource{codes::invalid_key, Blame::local, OAUTH_TEXT("the external DPoP key's JWK")};
  OAUTH_ASSIGN_OR_RETURN(auto&& jwk, parse_json_object(public_jwk_json, 4096, kSource));
  auto bad = [](const char* what) { return Error::local(codes::invalid_key, what); };
  if (jwk.value.find("d")) return bad(OAUTH_TEXT("the external DPoP key's JWK holds a private key (d)"));
  OAUTH_ASSIGN_OR_RETURN(auto&& kty, require_string(jwk, "kty"));
  OAUTH_ASSIGN_OR_RETURN(auto&& crv, require_string(jwk, "crv"));
  if (kty != "EC" || crv != "P-256") return bad(OAUTH_TEXT("the external DPoP key must be an EC P-256 JWK (ES256)"));
  OAUTH_ASSIGN_OR_RETURN(auto&& x, require_string(jwk, "x"));
  OAUTH_ASSIGN_OR_RETURN(auto&& y, require_string(jwk, "y"));
  auto x_bytes = base64url_decode(x);
  auto y_bytes = base64url_decode(y);
  if (!x_bytes || !y_bytes) return bad(OAUTH_TEXT("the external DPoP key's x or y is not base64url"));
  // Full length, on the curve.
  OAUTH_ASSIGN_OR_RETURN(auto&& key, EcPublicKey::create(EcCurve::p256, *x_bytes, *y_bytes));
  return DpopKey(std::nullopt, std::move(key));
}

Result<std::string> DpopKey::proof(const DpopProofClaims& claims) const {
  if (!is_http_method(claims.method)) return bad_claim(OAUTH_TEXT("the DPoP htm must be an HTTP method token"));
  if (claims.issued_at < 0) return bad_claim(OAUTH_TEXT("the DPoP iat must not be negative"));
  if (!claims.nonce.empty() && !is_valid_dpop_nonce(claims.nonce))
    return bad_claim(OAUTH_TEXT("the DPoP nonce is not 1*NQCHAR (RFC 9449 §8.1)"));
  const std::string htu = dpop_htu(claims.url);
  OAUTH_ASSIGN_OR_RETURN(auto&& jti, random_bytes(kDpopJtiRandomBytes));

  // Members in name order, as before: the same bytes a sorted JSON object gives.
  JsonWriter payload;
  payload.begin_object();
  if (!claims.access_token.empty()) payload.member("ath", base64url_encode(sha256(claims.access_token)));  // §4.2
  payload.member("htm", claims.method).member("htu", htu).member("iat", claims.issued_at);
  payload.member("jti", base64url_encode(jti));
  if (!claims.nonce.empty()) payload.member("nonce", claims.nonce);
  payload.end_object();

  std::string signing_input = header_ + "." + base64url_encode(payload.text());
  if (!key_) return signing_input;  // external: the key's holder signs and completes it
  OAUTH_ASSIGN_OR_RETURN(auto&& signature, key_->sign_digest(sha256(signing_input)));  // ES256: RFC 7518 §3.4
  return signing_input + "." + base64url_encode(signature);
}

}  // namespace oauth
