#include "crypto/jwk_thumbprint.hpp"

#include "core/error_codes.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

using namespace oauth;
using nlohmann::json;

namespace {

// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
const char* kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
    "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ"
    "vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzK"
    "nqDKgw";
const char* kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

}  // namespace

TEST_CASE("the RFC 7638 §3.1 example key has the RFC's thumbprint", "[jwk][rfc7638]") {
  json jwk = {{"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
  auto thumbprint = jwk_thumbprint_sha256(test::to_value(jwk));
  REQUIRE_OK(thumbprint);
  CHECK(*thumbprint == kRfc7638Thumbprint);
}

TEST_CASE("a thumbprint ignores members other than the required ones", "[jwk][rfc7638]") {
  json bare = {{"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}};
  json decorated = bare;
  decorated["use"] = "sig";
  decorated["key_ops"] = json::array({"verify"});
  auto a = jwk_thumbprint_sha256(test::to_value(bare)), b = jwk_thumbprint_sha256(test::to_value(decorated));
  REQUIRE_OK(a);
  REQUIRE_OK(b);
  CHECK(*a == *b);
}

TEST_CASE("an EC key's thumbprint hashes crv, kty, x and y in that order", "[jwk][rfc7638]") {
  auto key = EcPrivateKey::generate_p256();
  REQUIRE_OK(key);
  json jwk = json::parse(ec_public_jwk_json(key->public_key()));
  CHECK(jwk.size() == 4);
  CHECK(jwk.dump().rfind(R"({"crv":"P-256","kty":"EC","x":")", 0) == 0);
  auto from_json = jwk_thumbprint_sha256(test::to_value(jwk));
  REQUIRE_OK(from_json);
  CHECK(jwk_thumbprint_sha256(key->public_key()) == *from_json);
  CHECK(from_json->size() == 43);  // 256 bits in base64url without padding
  CHECK(ec_public_jwk_json(key->public_key()) == jwk.dump());  // the same canonical bytes
}

TEST_CASE("a thumbprint is refused for a key without its required members", "[jwk][rfc7638]") {
  REQUIRE_ERROR(jwk_thumbprint_sha256(test::to_value(json{{"kty", "RSA"}, {"n", kRfc7638N}})), codes::invalid_key);
  REQUIRE_ERROR(jwk_thumbprint_sha256(test::to_value(json{{"kty", "RSA"}, {"n", kRfc7638N}, {"e", 65537}})), codes::invalid_key);
  REQUIRE_ERROR(jwk_thumbprint_sha256(test::to_value(json{{"kty", "oct"}, {"k", "c2VjcmV0"}})), codes::invalid_key);
  REQUIRE_ERROR(jwk_thumbprint_sha256(test::to_value(json{{"n", kRfc7638N}, {"e", "AQAB"}})), codes::invalid_key);
  REQUIRE_ERROR(jwk_thumbprint_sha256(test::to_value(json::array())), codes::invalid_key);
}
