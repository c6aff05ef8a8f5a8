#include "crypto/pkce.hpp"

#include <set>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "support.hpp"

using namespace oauth;

TEST_CASE("S256 challenge matches the RFC 7636 Appendix B vector", "[pkce][rfc7636]") {
  auto challenge = pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  REQUIRE_OK(challenge);
  CHECK(*challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("the plain PKCE method is refused", "[pkce][rfc7636]") {
  REQUIRE_ERROR(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "plain"),
                codes::unsupported_pkce_method);
  REQUIRE_ERROR(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "s256"),
                codes::unsupported_pkce_method);
}

TEST_CASE("verifier length bounds are 43 and 128 characters", "[pkce][rfc7636]") {
  CHECK(check_pkce_verifier(std::string(43, 'a')).ok());
  CHECK(check_pkce_verifier(std::string(128, '~')).ok());
  REQUIRE_ERROR(check_pkce_verifier(std::string(42, 'a')), codes::invalid_argument);
  REQUIRE_ERROR(check_pkce_verifier(std::string(129, 'a')), codes::invalid_argument);
  REQUIRE_ERROR(pkce_challenge(std::string(42, 'a')), codes::invalid_argument);
}

TEST_CASE("verifier characters are limited to the unreserved set", "[pkce][rfc7636]") {
  std::string good(50, 'a');
  for (char bad : std::string("+/= %!*\"\x7f")) {
    std::string v = good;
    v[10] = bad;
    INFO("character code " << static_cast<int>(static_cast<unsigned char>(bad)));
    REQUIRE_ERROR(check_pkce_verifier(v), codes::invalid_argument);
  }
  CHECK(check_pkce_verifier(std::string(20, '-') + std::string(20, '.') + "___~~~").ok());
}

TEST_CASE("a generated pair has a 64-character verifier whose S256 challenge it carries", "[pkce]") {
  auto pair = generate_pkce();
  REQUIRE_OK(pair);
  CHECK(pair->verifier.size() == 64);
  CHECK(pair->method == "S256");
  CHECK(check_pkce_verifier(pair->verifier.view()).ok());
  auto challenge = pkce_challenge(pair->verifier.view());
  REQUIRE_OK(challenge);
  CHECK(pair->challenge == *challenge);
  CHECK(pair->challenge.size() == 43);
}

TEST_CASE("generated verifiers are distinct", "[pkce][random]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto pair = generate_pkce();
    REQUIRE_OK(pair);
    seen.insert(std::string(pair->verifier.view()));
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("random byte counts outside 32..96 are refused", "[pkce]") {
  REQUIRE_ERROR(generate_pkce(31), codes::invalid_argument);
  REQUIRE_ERROR(generate_pkce(97), codes::invalid_argument);
  auto longest = generate_pkce(96);
  REQUIRE_OK(longest);
  CHECK(longest->verifier.size() == 128);
}

#ifndef __EMSCRIPTEN__
TEST_CASE("a failing entropy source is an error, not weak output", "[pkce][random]") {
  set_entropy_source_for_testing([](unsigned char*, std::size_t) { return 0; });
  auto pair = generate_pkce();
  auto bytes = random_bytes(16);
  set_entropy_source_for_testing(nullptr);
  REQUIRE_ERROR(pair, codes::entropy_failure);
  REQUIRE_ERROR(bytes, codes::entropy_failure);
  REQUIRE_OK(generate_pkce());
}
#endif
