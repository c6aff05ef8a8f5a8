#include "protocol/id_token.hpp"

#include "core/error_codes.hpp"
#include "jwt_signer.hpp"

using namespace oauth;
using nlohmann::json;

namespace {

const test::JwtSigner& signer() {
  static test::JwtSigner s("key-1");
  return s;
}

Jwks keys() {
  auto k = Jwks::parse(signer().jwks());
  REQUIRE_OK(k);
  return std::move(*k);
}

json good_claims() {
  return {{"iss", "https://as.example.test"}, {"sub", "alice"}, {"aud", "spa"}, {"exp", 2000},
          {"iat", 1000}, {"nonce", "n-0S6_WzA2Mj"}};
}

IdTokenExpectations expect() {
  IdTokenExpectations e;
  e.issuer = "https://as.example.test";
  e.client_id = "spa";
  e.nonce = "n-0S6_WzA2Mj";
  e.now = 1500;
  return e;
}

}  // namespace

TEST_CASE("a signed ID token with every claim right is accepted", "[id_token][oidc]") {
  auto token = validate_id_token(signer().sign(good_claims()), keys(), expect());
  REQUIRE_OK(token);
  CHECK(token->subject() == "alice");
  CHECK(test::to_nlohmann(token->claims())["iss"] == "https://as.example.test");
}

TEST_CASE("a JWT typed as another kind of token is not an ID token (RFC 8725 3.11)", "[id_token][rfc8725]") {
  for (const char* typ : {"at+jwt", "application/at+JWT", "logout+jwt", "dpop+jwt", "secevent+jwt", "token-introspection+jwt"}) {
    CAPTURE(typ);
    auto token = validate_id_token(signer().sign(good_claims(), {{"typ", typ}}), keys(), expect());
    REQUIRE_ERROR(token, codes::id_token_invalid);
    CHECK(token.error().description.find("typ") != std::string::npos);
  }
  for (const char* typ : {"JWT", "jwt", "application/jwt"}) {
    CAPTURE(typ);
    REQUIRE_OK(validate_id_token(signer().sign(good_claims(), {{"typ", typ}}), keys(), expect()));
  }
  REQUIRE_ERROR(validate_id_token(signer().sign(good_claims(), {{"typ", 7}}), keys(), expect()), codes::id_token_invalid);
}

TEST_CASE("each claim rule of OIDC Core 3.1.3.7 is enforced", "[id_token][oidc]") {
  struct Case {
    const char* why;
    json patch;
  };
  auto [why, patch] = GENERATE(table<const char*, json>({
      {"wrong iss", json{{"iss", "https://evil.example.test"}}},
      {"iss missing", json{{"iss", nullptr}}},
      {"wrong aud", json{{"aud", "other"}}},
      {"aud list without client", json{{"aud", {"a", "b"}}}},
      {"several aud without azp", json{{"aud", {"spa", "b"}}}},
      {"azp of another party", json{{"azp", "other"}}},
      {"expired beyond skew", json{{"exp", 1500 - 61}}},
      {"exp missing", json{{"exp", nullptr}}},
      {"exp a string", json{{"exp", "2000"}}},
      {"iat missing", json{{"iat", nullptr}}},
      {"iat in the future beyond skew", json{{"iat", 1500 + 61}}},
      {"nbf in the future beyond skew", json{{"nbf", 1500 + 61}}},
      {"wrong nonce", json{{"nonce", "other"}}},
      {"nonce missing", json{{"nonce", nullptr}}},
      {"sub missing", json{{"sub", nullptr}}},
      {"sub empty", json{{"sub", ""}}},
      {"at_hash mismatch", json{{"at_hash", "AAAAAAAAAAAAAAAAAAAAAA"}}},
  }));
  INFO(why);
  json claims = good_claims();
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null()) claims.erase(k);
    else claims[k] = v;
  }
  IdTokenExpectations e = expect();
  e.access_token = std::string_view("the-access-token");
  REQUIRE_ERROR(validate_id_token(signer().sign(claims), keys(), e), codes::id_token_invalid);
}

TEST_CASE("the clock skew lets small differences through", "[id_token][oidc]") {
  json claims = good_claims();
  claims["exp"] = 1500 - 59;
  claims["iat"] = 1500 + 59;
  claims["nbf"] = 1500 + 59;
  REQUIRE_OK(validate_id_token(signer().sign(claims), keys(), expect()));
}

namespace {

// The claims of good_claims() with exp and iat written as `exp` and `iat` (raw JSON numbers).
std::string claims_with_dates(const std::string& exp, const std::string& iat) {
  return R"({"iss":"https://as.example.test","sub":"alice","aud":"spa","nonce":"n-0S6_WzA2Mj","exp":)" + exp +
         R"(,"iat":)" + iat + "}";
}

}  // namespace

TEST_CASE("NumericDates with fractions or exponents count their whole seconds (RFC 7519 2)", "[id_token][rfc7519]") {
  // now 1500, skew 60: exp must be after 1440 in whole seconds, iat at most 1560.
  for (const char* exp : {"1441.5", "1441.001", "1.441e3", "14410e-1", "2e3"}) {
    INFO(exp);
    REQUIRE_OK(validate_id_token(signer().sign_text(claims_with_dates(exp, "1560.99")), keys(), expect()));
  }
  for (const char* exp : {"1440.999", "1.44e3", "-1441.5"}) {
    INFO(exp);
    REQUIRE_ERROR(validate_id_token(signer().sign_text(claims_with_dates(exp, "1000")), keys(), expect()),
                  codes::id_token_invalid);
  }
  REQUIRE_ERROR(validate_id_token(signer().sign_text(claims_with_dates("2000", "1.561e3")), keys(), expect()),
                codes::id_token_invalid);
}

TEST_CASE("NumericDates of 1e15 seconds and beyond are out of range", "[id_token][rfc7519]") {
  for (const char* exp : {"1e15", "1000000000000000", "1.0e15", "18446744073709551615", "1e300", "-1e15"}) {
    INFO(exp);
    auto token = validate_id_token(signer().sign_text(claims_with_dates(exp, "1000")), keys(), expect());
    REQUIRE_ERROR(token, codes::id_token_invalid);
    CHECK(token.error().description == "the exp claim is out of range");
  }
  REQUIRE_OK(validate_id_token(signer().sign_text(claims_with_dates("999999999999999.9", "1000")), keys(), expect()));
}

TEST_CASE("several audiences are accepted with azp equal to the client", "[id_token][oidc]") {
  json claims = good_claims();
  claims["aud"] = {"spa", "api"};
  claims["azp"] = "spa";
  REQUIRE_OK(validate_id_token(signer().sign(claims), keys(), expect()));
}

TEST_CASE("at_hash is checked against the access token", "[id_token][oidc]") {
  json claims = good_claims();
  claims["at_hash"] = test::at_hash_es256("the-access-token");
  IdTokenExpectations e = expect();
  e.access_token = std::string_view("the-access-token");
  REQUIRE_OK(validate_id_token(signer().sign(claims), keys(), e));
  e.access_token = std::string_view("another-access-token");
  REQUIRE_ERROR(validate_id_token(signer().sign(claims), keys(), e), codes::id_token_invalid);
}

TEST_CASE("max_age requires a recent enough auth_time", "[id_token][oidc]") {
  IdTokenExpectations e = expect();
  e.max_age = 300;
  REQUIRE_ERROR(validate_id_token(signer().sign(good_claims()), keys(), e), codes::id_token_invalid);
  json claims = good_claims();
  claims["auth_time"] = 1400;
  REQUIRE_OK(validate_id_token(signer().sign(claims), keys(), e));
  claims["auth_time"] = 1500 - 300 - 61;
  REQUIRE_ERROR(validate_id_token(signer().sign(claims), keys(), e), codes::id_token_invalid);
}

TEST_CASE("a token signed by another key is refused", "[id_token][rfc7515]") {
  test::JwtSigner impostor("key-1");
  REQUIRE_ERROR(validate_id_token(impostor.sign(good_claims()), keys(), expect()), codes::id_token_invalid);
}

TEST_CASE("an unknown kid asks for a JWKS refetch", "[id_token][rfc7515]") {
  test::JwtSigner rotated("key-2");
  REQUIRE_ERROR(validate_id_token(rotated.sign(good_claims()), keys(), expect()), codes::unknown_kid);
}

TEST_CASE("alg none is refused", "[id_token][rfc8725]") {
  std::string unsigned_token = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(good_claims().dump()) + ".";
  REQUIRE_ERROR(validate_id_token(unsigned_token, keys(), expect()), codes::id_token_invalid);
}

TEST_CASE("a refreshed ID token must keep iss, sub and aud", "[id_token][oidc]") {
  auto first = validate_id_token(signer().sign(good_claims()), keys(), expect());
  REQUIRE_OK(first);
  IdTokenExpectations on_refresh = expect();
  on_refresh.nonce.reset();
  json same = good_claims();
  same.erase("nonce");
  auto again = validate_id_token(signer().sign(same), keys(), on_refresh);
  REQUIRE_OK(again);
  REQUIRE_OK(check_refreshed_id_token(*first, *again));
  json other = same;
  other["sub"] = "mallory";
  auto changed = validate_id_token(signer().sign(other), keys(), on_refresh);
  REQUIRE_OK(changed);
  REQUIRE_ERROR(check_refreshed_id_token(*first, *changed), codes::id_token_invalid);
}

namespace {

// The first ID token (with the nonce of its login) and a refreshed one built from `changed`
// (no nonce unless `changed` sets one), both validated as the client would.
Status refresh_check(const json& original, const json& changed) {
  auto first = validate_id_token(signer().sign(original), keys(), expect());
  REQUIRE_OK(first);
  IdTokenExpectations on_refresh = expect();
  on_refresh.nonce.reset();
  auto again = validate_id_token(signer().sign(changed), keys(), on_refresh);
  REQUIRE_OK(again);
  return check_refreshed_id_token(*first, *again);
}

json without_nonce(json claims) {
  claims.erase("nonce");
  return claims;
}

}  // namespace

TEST_CASE("a refreshed ID token must keep the auth_time of the original authentication", "[id_token][oidc]") {
  json original = good_claims();
  original["auth_time"] = 900;
  json same = without_nonce(original);
  REQUIRE_OK(refresh_check(original, same));
  json later = same;
  later["auth_time"] = 1400;  // OIDC Core §12.2: auth_time is the original authentication's
  REQUIRE_ERROR(refresh_check(original, later), codes::id_token_invalid);
  json dropped = without_nonce(original);
  dropped.erase("auth_time");
  REQUIRE_OK(refresh_check(original, dropped));  // "if the ID Token contains an auth_time"
  json as_decimal = same;
  as_decimal["auth_time"] = 900.0;  // written "900.0": the same second
  REQUIRE_OK(refresh_check(original, as_decimal));
  as_decimal["auth_time"] = 901.0;
  REQUIRE_ERROR(refresh_check(original, as_decimal), codes::id_token_invalid);
}

TEST_CASE("a refreshed ID token must keep azp, and may not add one", "[id_token][oidc]") {
  json original = good_claims();
  original["azp"] = "spa";
  REQUIRE_OK(refresh_check(original, without_nonce(original)));
  REQUIRE_ERROR(refresh_check(original, without_nonce(good_claims())), codes::id_token_invalid);
  json added = without_nonce(good_claims());
  added["azp"] = "spa";
  REQUIRE_ERROR(refresh_check(good_claims(), added), codes::id_token_invalid);
}

TEST_CASE("a refreshed ID token carries no nonce, or the original one", "[id_token][oidc]") {
  json replayed = good_claims();  // the original's nonce: allowed (OIDC Core §12.2, errata)
  REQUIRE_OK(refresh_check(good_claims(), replayed));
  json other = good_claims();
  other["nonce"] = "another-nonce";
  REQUIRE_ERROR(refresh_check(good_claims(), other), codes::id_token_invalid);
}

TEST_CASE("ID-token algs are the server's listed ones this client verifies, narrowed to the registered one", "[id_token][rfc8725]") {
  using Names = std::optional<std::vector<std::string>>;
  auto listed = id_token_algs(Names({"RS256", "none", "HS256", "ES256", "ES512"}), std::nullopt);
  REQUIRE_OK(listed);
  CHECK(listed->contains(JwsAlg::rs256));
  CHECK(listed->contains(JwsAlg::es256));
  CHECK_FALSE(listed->contains(JwsAlg::ps256));
  CHECK_FALSE(listed->contains(JwsAlg::eddsa));

  auto unlisted = id_token_algs(std::nullopt, std::nullopt);
  REQUIRE_OK(unlisted);
  for (JwsAlg alg : {JwsAlg::rs256, JwsAlg::ps512, JwsAlg::es384, JwsAlg::eddsa}) CHECK(unlisted->contains(alg));

  auto registered = id_token_algs(Names({"RS256", "ES256"}), JwsAlg::es256);
  REQUIRE_OK(registered);
  CHECK(registered->contains(JwsAlg::es256));
  CHECK_FALSE(registered->contains(JwsAlg::rs256));
  auto registered_only = id_token_algs(std::nullopt, JwsAlg::ps256);
  REQUIRE_OK(registered_only);
  CHECK(registered_only->contains(JwsAlg::ps256));
  CHECK_FALSE(registered_only->contains(JwsAlg::rs256));

  REQUIRE_ERROR(id_token_algs(Names({"RS256"}), JwsAlg::es256), codes::id_token_invalid);
  REQUIRE_ERROR(id_token_algs(Names({"HS256", "none"}), std::nullopt), codes::id_token_invalid);
  REQUIRE_ERROR(id_token_algs(Names(std::vector<std::string>{}), std::nullopt), codes::id_token_invalid);
}

TEST_CASE("an ID token whose alg is outside the expected set is refused though its signature holds", "[id_token][rfc8725]") {
  IdTokenExpectations expect;
  expect.issuer = "https://as.example";
  expect.client_id = "spa";
  expect.now = 1000;
  const std::string token = signer().sign({{"iss", expect.issuer}, {"sub", "alice"}, {"aud", "spa"}, {"iat", 1000}, {"exp", 2000}});
  REQUIRE_OK(validate_id_token(token, keys(), expect));
  expect.allowed_algs = JwsAlgSet::of({JwsAlg::rs256});
  auto refused = validate_id_token(token, keys(), expect);
  REQUIRE_ERROR(refused, codes::id_token_invalid);
  CHECK(refused.error().description.find("not one the client allows") != std::string::npos);
}
