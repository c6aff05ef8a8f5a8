#include "protocol/id_token.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jws_verify.hpp"
#include "crypto/secret.hpp"
#include "crypto/sha2.hpp"
#include "json/json_decimal.hpp"
#include "protocol/http.hpp"

namespace oauth {
namespace {

Error invalid(const char* description) { return Error::remote(codes::id_token_invalid, description); }
Error invalid(std::string description) { return Error::remote(codes::id_token_invalid, std::move(description)); }
Error invalid_claim(const char* name, const char* rule) { return invalid(concat({OAUTH_TEXT("the "), name, OAUTH_TEXT(" claim "), rule})); }

// A NumericDate (RFC 7519 §2): a JSON number; fractions are allowed and truncated.
Result<std::optional<std::int64_t>> numeric_date(const JsonValue& claims, const char* name) {
  constexpr std::int64_t kBound = 1'000'000'000'000'000;  // 1e15 s: 31 million years either way
  const JsonValue* date = claims.find(name);
  if (date == nullptr) return std::optional<std::int64_t>();
  if (date->is_integer()) {
    const std::int64_t v = date->as_integer();
    if (v <= -kBound || v >= kBound) return invalid_claim(name, OAUTH_TEXT("is out of range"));
    return std::optional<std::int64_t>(v);
  }
  if (date->is_number()) {
    const auto whole = decimal_whole_part(date->text(), kBound);
    if (!whole) return invalid_claim(name, OAUTH_TEXT("is out of range"));
    return std::optional<std::int64_t>(*whole);
  }
  return invalid_claim(name, OAUTH_TEXT("is not a number"));
}

Result<std::optional<std::string>> string_claim(const JsonValue& claims, const char* name) {
  const JsonValue* claim = claims.find(name);
  if (claim == nullptr) return std::optional<std::string>();
  if (!claim->is_string()) return invalid_claim(name, OAUTH_TEXT("is not a string"));
  return std::optional<std::string>(claim->text());
}

// OIDC Core §3.1.3.7 steps 3-5: aud holds client_id; azp is client_id when present, and must be
// present when there are several audiences.
Status check_audience(const JsonValue& claims, const std::string& client_id) {
  const JsonValue* aud = claims.find("aud");
  if (aud == nullptr) return invalid(OAUTH_TEXT("the aud claim is missing"));
  bool contains = false;
  std::size_t count = 0;
  if (aud->is_string()) {
    contains = aud->text() == client_id;
    count = 1;
  } else if (aud->is_array()) {
    for (const JsonValue& a : aud->items()) {
      if (!a.is_string()) return invalid(OAUTH_TEXT("the aud claim holds a non-string"));
      contains = contains || a.text() == client_id;
      ++count;
    }
  } else {
    return invalid(OAUTH_TEXT("the aud claim is neither a string nor an array"));
  }
  if (!contains) return invalid(OAUTH_TEXT("the ID token was issued to another client (aud)"));
  OAUTH_ASSIGN_OR_RETURN(auto&& azp, string_claim(claims, "azp"));
  if (azp && *azp != client_id) return invalid(OAUTH_TEXT("the ID token was issued to another party (azp)"));
  if (count > 1 && !azp) return invalid(OAUTH_TEXT("an ID token with several audiences needs azp"));
  return Ok{};
}

// OIDC Core §3.1.3.7 steps 9-10 (exp, iat) and RFC 7519 §4.1.5 (nbf), with the clock skew.
Status check_times(const JsonValue& claims, const IdTokenExpectations& expect) {
  OAUTH_ASSIGN_OR_RETURN(auto&& exp, numeric_date(claims, "exp"));
  if (!exp) return invalid(OAUTH_TEXT("the exp claim is missing"));
  if (*exp + expect.clock_skew <= expect.now) return invalid(OAUTH_TEXT("the ID token has expired"));
  OAUTH_ASSIGN_OR_RETURN(auto&& iat, numeric_date(claims, "iat"));
  if (!iat) return invalid(OAUTH_TEXT("the iat claim is missing"));
  if (*iat > expect.now + expect.clock_skew) return invalid(OAUTH_TEXT("the ID token was issued in the future (iat)"));
  OAUTH_ASSIGN_OR_RETURN(auto&& nbf, numeric_date(claims, "nbf"));
  if (nbf && *nbf > expect.now + expect.clock_skew) return invalid(OAUTH_TEXT("the ID token is not yet valid (nbf)"));
  if (expect.max_age) {
    OAUTH_ASSIGN_OR_RETURN(auto&& auth_time, numeric_date(claims, "auth_time"));
    // §3.1.2.1: with max_age, auth_time is REQUIRED; §3.1.3.7 step 13: re-authenticate if too old.
    if (!auth_time) return invalid(OAUTH_TEXT("max_age was requested but auth_time is missing"));
    if (*auth_time + *expect.max_age + expect.clock_skew < expect.now)
      return invalid(OAUTH_TEXT("the authentication is older than max_age"));
  }
  return Ok{};
}

// OIDC Core §3.1.3.7 step 11: the nonce of the request, compared in constant time.
Status check_nonce(const JsonValue& claims, const IdTokenExpectations& expect) {
  if (!expect.nonce) return Ok{};
  OAUTH_ASSIGN_OR_RETURN(auto&& nonce, string_claim(claims, "nonce"));
  if (!nonce) return invalid(OAUTH_TEXT("the nonce claim is missing"));
  if (!constant_time_equal(*nonce, *expect.nonce)) return invalid(OAUTH_TEXT("the nonce claim does not match the request"));
  return Ok{};
}

// OIDC Core §3.1.3.8: at_hash is base64url of the left half of the hash of the access token,
// with the hash of the ID token's alg (SHA-512 for EdDSA with Ed25519).
Status check_at_hash(const JsonValue& claims, const IdTokenExpectations& expect, JwsAlg alg) {
  OAUTH_ASSIGN_OR_RETURN(auto&& at_hash, string_claim(claims, "at_hash"));
  if (!at_hash || !expect.access_token) return Ok{};
  const Sha2 hash = alg == JwsAlg::eddsa ? Sha2::sha512 : jws_alg_hash(alg);
  std::string full = digest(hash, *expect.access_token);
  std::string expected = base64url_encode(std::string_view(full).substr(0, full.size() / 2));
  if (!constant_time_equal(*at_hash, expected)) return invalid(OAUTH_TEXT("the at_hash claim does not match the access token"));
  return Ok{};
}

// RFC 8725 §3.11: a JWT typed as a kind of token of its own ("at+jwt" RFC 9068, "logout+jwt",
// "dpop+jwt" RFC 9449, ...) is never taken for an ID token, whatever its claims. OIDC sets no typ
// for ID tokens; "JWT" is usual, and no typ is fine.
Status check_not_another_token_type(const JsonValue& header) {
  const JsonValue* typ = header.find("typ");
  if (!typ) return Ok{};
  if (!typ->is_string()) return invalid(OAUTH_TEXT("the ID token's typ header is not a string"));
  std::string_view type = typ->text();
  if (type.size() > 12 && equals_ignoring_case(type.substr(0, 12), "application/")) type.remove_prefix(12);
  if (type.size() > 4 && equals_ignoring_case(type.substr(type.size() - 4), "+jwt"))
    return invalid(OAUTH_TEXT("the ID token's typ header names another kind of token"));
  return Ok{};
}

}  // namespace

Result<JwsAlgSet> id_token_algs(const std::optional<std::vector<std::string>>& server_algs,
                                std::optional<JwsAlg> registered) {
  JwsAlgSet algs = server_algs ? JwsAlgSet() : JwsAlgSet::all_supported();
  if (server_algs) {
    for (const std::string& name : *server_algs) {
      if (auto alg = jws_alg_from_name(name)) algs.add(*alg);  // none and HS* are not ours
    }
  }
  if (registered) {
    if (!algs.contains(*registered))
      return invalid(concat({OAUTH_TEXT("the server does not list the client's idTokenSigningAlg "), jws_alg_name(*registered),
                             OAUTH_TEXT(" in id_token_signing_alg_values_supported")}));
    return JwsAlgSet::of({*registered});
  }
  if (algs.empty()) return invalid(OAUTH_TEXT("the server signs ID tokens with no algorithm this client verifies"));
  return algs;
}

Result<VerifiedIdToken> validate_id_token(std::string_view compact, const Jwks& keys, const IdTokenExpectations& expect) {
  auto jws = verify_jws(compact, keys, expect.allowed_algs);
  if (!jws) {
    if (jws.error().code == codes::unknown_kid) return std::move(jws).take_error();
    return invalid(concat({OAUTH_TEXT("the ID token signature or header is not valid: "), jws.error().description}));
  }
  OAUTH_TRY(check_not_another_token_type(jws->header()));
  const JsonValue& claims = jws->payload();
  OAUTH_ASSIGN_OR_RETURN(auto&& iss, string_claim(claims, "iss"));
  if (!iss || *iss != expect.issuer) return invalid(OAUTH_TEXT("the ID token comes from another issuer (iss)"));  // step 2
  OAUTH_ASSIGN_OR_RETURN(auto&& sub, string_claim(claims, "sub"));
  if (!sub || sub->empty()) return invalid(OAUTH_TEXT("the sub claim is missing"));
  OAUTH_TRY(check_audience(claims, expect.client_id));
  OAUTH_TRY(check_times(claims, expect));
  OAUTH_TRY(check_nonce(claims, expect));
  OAUTH_TRY(check_at_hash(claims, expect, jws->alg()));
  return VerifiedIdToken(claims, std::move(*sub));
}

namespace {

// Whether two verified tokens carry the same claim `name`, or both none.
bool same_claim(const JsonValue& a, const JsonValue& b, const char* name) {
  const JsonValue* x = a.find(name);
  const JsonValue* y = b.find(name);
  return x == nullptr || y == nullptr ? x == y : *x == *y;
}

}  // namespace

Status check_refreshed_id_token(const VerifiedIdToken& original, const VerifiedIdToken& refreshed) {
  const JsonValue& a = original.claims();
  const JsonValue& b = refreshed.claims();
  if (!same_claim(a, b, "iss")) return invalid(OAUTH_TEXT("the refreshed ID token changed iss"));
  if (original.subject() != refreshed.subject()) return invalid(OAUTH_TEXT("the refreshed ID token changed sub"));
  if (!same_claim(a, b, "aud")) return invalid(OAUTH_TEXT("the refreshed ID token changed aud"));
  // §12.2: azp as in the original, and none when the original had none.
  if (!same_claim(a, b, "azp")) return invalid(OAUTH_TEXT("the refreshed ID token changed azp"));
  // §12.2: auth_time, when present, is the time of the original authentication (in whole
  // seconds, as every time here: 900, 900.0 and 9e2 are the same time).
  OAUTH_ASSIGN_OR_RETURN(auto&& first_auth, numeric_date(a, "auth_time"));
  OAUTH_ASSIGN_OR_RETURN(auto&& refreshed_auth, numeric_date(b, "auth_time"));
  if (first_auth && refreshed_auth && *first_auth != *refreshed_auth)
    return invalid(OAUTH_TEXT("the refreshed ID token changed auth_time"));
  // §12.2 (errata): a nonce, when present, is the original one.
  if (b.find("nonce") != nullptr && !same_claim(a, b, "nonce"))
    return invalid(OAUTH_TEXT("the refreshed ID token carries another nonce"));
  return Ok{};
}

}  // namespace oauth
