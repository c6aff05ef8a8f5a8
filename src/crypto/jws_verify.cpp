#include "crypto/jws_verify.hpp"

#include <optional>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "json/json_access.hpp"

namespace oauth {
namespace {

Error jws_error(const char* what) { return Error::remote(codes::invalid_jws, what); }
Error alg_error(const char* what) { return Error::remote(codes::unsupported_alg, what); }

struct CompactParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
};

// RFC 7515 §7.1: header.payload.signature; five parts would be a JWE, which we do not take.
Result<CompactParts> split_compact(std::string_view compact) {
  if (compact.size() > kMaxJwsBytes) return jws_error(OAUTH_TEXT("the JWS is larger than the size limit"));
  const std::size_t first = compact.find('.');
  const std::size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos)
    return jws_error(OAUTH_TEXT("a JWS compact serialization has exactly three parts"));
  return CompactParts{compact.substr(0, first), compact.substr(first + 1, second - first - 1),
                      compact.substr(second + 1), compact.substr(0, second)};
}

Result<std::string> decode_part(std::string_view part, const char* what) {
  auto bytes = base64url_decode(part);
  if (!bytes.ok()) return jws_error(what);
  return std::move(*bytes);
}

// A JSON object, duplicate member names refused (RFC 7515 §4, RFC 7519 §4).
Result<JsonValue> parse_json_part(std::string_view text, const char* what) {
  OAUTH_ASSIGN_OR_RETURN(auto&& object,
                         parse_json_object(text, kMaxJwsBytes, JsonSource{codes::invalid_jws, Blame::remote, what}));
  return std::move(object.value);
}

bool is_hmac_alg(std::string_view name) { return name == "HS256" || name == "HS384" || name == "HS512"; }

// RFC 7515 §4.1.1: "alg" is required; RFC 8725 §3.1-3.2: never "none", never an alg the
// verifier did not choose (HS* with a public key as the secret is the classic forgery).
Result<JwsAlg> check_alg_is_accepted(const JsonValue& header, JwsAlgSet allowed) {
  const JsonValue* alg_member = header.find("alg");
  if (alg_member == nullptr || !alg_member->is_string()) return jws_error(OAUTH_TEXT("the JWS header has no alg string"));
  const std::string& name = alg_member->text();
  if (name == "none") return alg_error(OAUTH_TEXT("alg none is refused: the token must be signed"));
  if (is_hmac_alg(name)) return alg_error(OAUTH_TEXT("HMAC algs are refused: a public client verifies only with public keys"));
  const std::optional<JwsAlg> alg = jws_alg_from_name(name);
  if (!alg.has_value()) return alg_error(OAUTH_TEXT("the JWS alg is not supported"));
  if (!allowed.contains(*alg)) return alg_error(OAUTH_TEXT("the JWS alg is not one the client allows"));
  return *alg;
}

// RFC 7515 §4.1.11: a recipient must understand every extension listed in "crit"; we
// implement none, so any "crit" (even an empty or malformed one) is refused.
Status check_no_crit(const JsonValue& header) {
  if (header.find("crit") != nullptr) return jws_error(OAUTH_TEXT("the JWS header has crit, and no extension is understood"));
  return Ok{};
}

// OIDC Core §10.1 and RFC 8725 §3.10: the verification key comes only from the issuer's
// jwks_uri, never from a URL or key that the token itself names.
Status check_no_key_references(const JsonValue& header) {
  for (const char* name : {"jku", "jwk", "x5u", "x5c"}) {
    if (header.find(name) != nullptr) return jws_error(OAUTH_TEXT("the JWS header names its own key (jku, jwk, x5u or x5c)"));
  }
  return Ok{};
}

// RFC 7515 §4.1.4: "kid" is a string when present.
Result<std::optional<std::string>> read_kid(const JsonValue& header) {
  const JsonValue* kid = header.find("kid");
  if (kid == nullptr) return std::optional<std::string>();
  if (!kid->is_string()) return jws_error(OAUTH_TEXT("the JWS header kid is not a string"));
  return std::optional<std::string>(kid->text());
}

// The keys a token may be verified with (is_candidate), counted here rather than collected.
bool is_candidate(const Jwk& key, const std::optional<std::string>& kid, JwsAlg alg) {
  return (!kid || key.kid() == *kid) && key.fits(alg);
}

// Keys sharing the token's kid that fit its alg are each tried, one signature check apiece
// (RFC 7515 §4.1.4 leaves kid uniqueness to the issuer): more than this is refused, not paid for.
constexpr std::size_t kMaxKeysPerKid = 4;

// With a kid: one to kMaxKeysPerKid keys with that kid that fit the alg. No key with the kid is
// unknown_kid (perhaps the issuer rotated keys); a key with the kid that we had to ignore
// explains why.
Status keys_with_kid(const Jwks& keys, const std::string& kid, JwsAlg alg) {
  bool named = false;
  std::size_t fitting = 0;
  for (const Jwk& key : keys.keys()) {
    if (key.kid() != kid) continue;
    named = true;
    if (key.fits(alg)) ++fitting;
  }
  if (fitting > kMaxKeysPerKid) return Error::remote(codes::invalid_key, OAUTH_TEXT("more than 4 JWKS keys share the token's kid and fit its alg"));
  if (fitting > 0) return Ok{};
  if (named) return Error::remote(codes::invalid_signature, OAUTH_TEXT("the JWS alg does not fit the key with the token's kid"));
  for (const IgnoredJwk& ignored : keys.ignored()) {
    if (ignored.kid == kid)
      return Error::remote(codes::invalid_key, concat({OAUTH_TEXT("the JWKS key with the token's kid is unusable: "), ignored.reason.description}));
  }
  return Error::remote(codes::unknown_kid, OAUTH_TEXT("no key in the JWKS has the token's kid"));
}

// Without a kid: exactly one key that fits the alg (RFC 7515 §6: the recipient must be able to
// tell which key was used).
Status single_fitting_key(const Jwks& keys, JwsAlg alg) {
  std::size_t fitting = 0;
  for (const Jwk& key : keys.keys()) {
    if (key.fits(alg)) ++fitting;
  }
  if (fitting == 0) return Error::remote(codes::unknown_kid, OAUTH_TEXT("the token has no kid and no JWKS key fits its alg"));
  if (fitting > 1) return jws_error(OAUTH_TEXT("the token has no kid and several JWKS keys fit its alg"));
  return Ok{};
}

Status verify_with_any(const Jwks& keys, const std::optional<std::string>& kid, JwsAlg alg,
                       std::string_view signing_input, std::string_view signature) {
  Status last = Error::remote(codes::invalid_signature, OAUTH_TEXT("the JWS signature does not verify"));
  for (const Jwk& key : keys.keys()) {
    if (!is_candidate(key, kid, alg)) continue;
    last = key.verify(alg, signing_input, signature);
    if (last.ok()) return last;
  }
  return last;
}

}  // namespace

Result<VerifiedJws> verify_jws(std::string_view compact, const Jwks& keys, JwsAlgSet allowed) {
  if (allowed.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("no JWS alg is allowed"));
  OAUTH_ASSIGN_OR_RETURN(auto&& parts, split_compact(compact));
  OAUTH_ASSIGN_OR_RETURN(auto&& header_text, decode_part(parts.header, OAUTH_TEXT("the JWS header is not strict base64url")));
  OAUTH_ASSIGN_OR_RETURN(auto&& payload_text, decode_part(parts.payload, OAUTH_TEXT("the JWS payload is not strict base64url")));
  OAUTH_ASSIGN_OR_RETURN(auto&& signature, decode_part(parts.signature, OAUTH_TEXT("the JWS signature is not strict base64url")));
  OAUTH_ASSIGN_OR_RETURN(auto&& header, parse_json_part(header_text, OAUTH_TEXT("the JWS header")));
  OAUTH_ASSIGN_OR_RETURN(auto&& alg, check_alg_is_accepted(header, allowed));
  OAUTH_TRY(check_no_crit(header));
  OAUTH_TRY(check_no_key_references(header));
  OAUTH_ASSIGN_OR_RETURN(auto&& kid, read_kid(header));
  OAUTH_TRY(kid.has_value() ? keys_with_kid(keys, *kid, alg) : single_fitting_key(keys, alg));
  OAUTH_TRY(verify_with_any(keys, kid, alg, parts.signing_input, signature));
  // The payload's JSON is read only once the signature holds.
  OAUTH_ASSIGN_OR_RETURN(auto&& payload, parse_json_part(payload_text, OAUTH_TEXT("the JWS payload")));
  return VerifiedJws(alg, std::move(header), std::move(payload));
}

}  // namespace oauth
