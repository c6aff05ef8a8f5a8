#include "protocol/dpop_proof.hpp"

#include <set>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jwk_thumbprint.hpp"
#include "dpop_support.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

using namespace oauth;
using nlohmann::json;
using oauth::test::decode_proof;
using oauth::test::url_of;
using oauth::test::verify_with_header_key;

namespace {

DpopKey fresh_key() {
  auto key = DpopKey::generate();
  REQUIRE_OK(key);
  return std::move(*key);
}

std::string proof_for(const DpopKey& key, DpopProofClaims claims) {
  auto proof = key.proof(claims);
  REQUIRE_OK(proof);
  return *proof;
}

}  // namespace

TEST_CASE("a token endpoint proof has the RFC 9449 header and claims and no ath", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  auto p = decode_proof(proof_for(key, {"POST", url_of("https://as.example/token"), 1700000000, "", ""}));
  CHECK(p.header.size() == 3);
  CHECK(p.header.at("typ") == "dpop+jwt");
  CHECK(p.header.at("alg") == "ES256");
  const json& jwk = p.header.at("jwk");
  CHECK(jwk == nlohmann::json::parse(ec_public_jwk_json(key.public_key())));
  CHECK_FALSE(jwk.contains("d"));  // §4.2: the public key only

  CHECK(p.claims.at("htm") == "POST");
  CHECK(p.claims.at("htu") == "https://as.example/token");
  CHECK(p.claims.at("iat") == 1700000000);
  CHECK(p.claims.at("jti").get<std::string>().size() >= 22);
  CHECK_FALSE(p.claims.contains("ath"));
  CHECK_FALSE(p.claims.contains("nonce"));
  CHECK(p.claims.size() == 4);
}

TEST_CASE("a proof's header and claims are compact JSON with the members sorted by name", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  const std::string proof = proof_for(key, {"GET", url_of("https://rs.example/r"), 1700000000, "n-1", "token"});
  auto p = decode_proof(proof);
  const std::size_t first = proof.find('.'), second = proof.find('.', first + 1);
  auto header = base64url_decode(std::string_view(proof).substr(0, first));
  auto claims = base64url_decode(std::string_view(proof).substr(first + 1, second - first - 1));
  REQUIRE_OK(header);
  REQUIRE_OK(claims);
  CHECK(*header == p.header.dump());  // nlohmann's objects are sorted maps: the canonical bytes
  CHECK(*claims == p.claims.dump());
  CHECK(p.claims.size() == 6);
}

TEST_CASE("a proof's signature verifies with the public key in its header", "[dpop][rfc9449][rfc7515]") {
  DpopKey key = fresh_key();
  auto p = decode_proof(proof_for(key, {"GET", url_of("https://api.example/me"), 1700000000, "n-1", "token"}));
  REQUIRE_OK(verify_with_header_key(p));
  CHECK(jwk_thumbprint_sha256(test::to_value(p.header.at("jwk"))).value() == key.thumbprint());
}

TEST_CASE("a proof whose claims were altered no longer verifies", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  auto p = decode_proof(proof_for(key, {"GET", url_of("https://api.example/me"), 1700000000, "", ""}));
  json forged = p.claims;
  forged["htu"] = "https://evil.example/me";
  p.signing_input = p.signing_input.substr(0, p.signing_input.find('.') + 1) + base64url_encode(forged.dump());
  REQUIRE_ERROR(verify_with_header_key(p), codes::invalid_signature);
}

TEST_CASE("a proof for a resource carries ath, the base64url SHA-256 of the access token", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  // RFC 9449 §7.1 example: the access token and its ath.
  auto p = decode_proof(proof_for(key, {"GET", url_of("https://resource.example.org/protectedresource"), 1700000000, "",
                                  "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"}));
  CHECK(p.claims.at("ath") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
}

TEST_CASE("a proof carries the server's nonce when one is given", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  const Url token = url_of("https://as.example/token");
  auto p = decode_proof(proof_for(key, {"POST", token, 1, "eyJ7S_zG.eyJH0-Z.HX4w-7v", ""}));
  CHECK(p.claims.at("nonce") == "eyJ7S_zG.eyJH0-Z.HX4w-7v");
}

TEST_CASE("every proof has a fresh jti", "[dpop][rfc9449]") {
  DpopKey key = fresh_key();
  std::set<std::string> seen;
  const Url token = url_of("https://as.example/token");
  for (int i = 0; i < 20; ++i)
    seen.insert(decode_proof(proof_for(key, {"POST", token, 1, "", ""})).claims.at("jti").get<std::string>());
  CHECK(seen.size() == 20);
}

TEST_CASE("htu drops the query and fragment and normalises scheme, host and default port", "[dpop][rfc9449]") {
  auto [url, htu] = GENERATE(table<std::string, std::string>({
      {"https://as.example/token?x=1", "https://as.example/token"},
      {"https://as.example/token#frag", "https://as.example/token"},
      {"HTTPS://AS.Example:443/Token", "https://as.example/Token"},
      {"http://127.0.0.1:8080/api/me?q", "http://127.0.0.1:8080/api/me"},
      {"https://as.example", "https://as.example/"},
      {"https://as.example:8443/", "https://as.example:8443/"},
  }));
  INFO(url);
  auto normalised = dpop_htu(std::string_view(url));
  REQUIRE_OK(normalised);
  CHECK(*normalised == htu);
  DpopKey key = fresh_key();
  CHECK(decode_proof(proof_for(key, {"GET", url_of(url), 1, "", ""})).claims.at("htu") == htu);
}

TEST_CASE("a proof is refused for a bad method, URL, nonce or time", "[dpop][rfc9449]") {
  REQUIRE_ERROR(dpop_request_url("/token"), codes::invalid_argument);
  REQUIRE_ERROR(dpop_htu(std::string_view("/token")), codes::invalid_argument);
  DpopKey key = fresh_key();
  REQUIRE_ERROR(key.proof({"", url_of("https://as.example/token"), 1, "", ""}), codes::invalid_argument);
  REQUIRE_ERROR(key.proof({"PO ST", url_of("https://as.example/token"), 1, "", ""}), codes::invalid_argument);
  REQUIRE_ERROR(key.proof({"POST", url_of("https://as.example/token"), 1, "bad\"nonce", ""}), codes::invalid_argument);
  REQUIRE_ERROR(key.proof({"POST", url_of("https://as.example/token"), 1, "sp ace", ""}), codes::invalid_argument);
  REQUIRE_ERROR(key.proof({"POST", url_of("https://as.example/token"), -1, "", ""}), codes::invalid_argument);
}

TEST_CASE("two session keys differ and their thumbprints differ", "[dpop][rfc7638]") {
  DpopKey a = fresh_key(), b = fresh_key();
  CHECK(a.thumbprint() != b.thumbprint());
  CHECK(a.thumbprint() == jwk_thumbprint_sha256(a.public_key()));
}

TEST_CASE("nonce syntax follows RFC 9449 §8.1", "[dpop][rfc9449]") {
  CHECK(is_valid_dpop_nonce("abc-._~!#$%&'()*+,/:;<=>?@[]^`{|}"));
  CHECK_FALSE(is_valid_dpop_nonce(""));
  CHECK_FALSE(is_valid_dpop_nonce("a\"b"));
  CHECK_FALSE(is_valid_dpop_nonce("a\\b"));
  CHECK_FALSE(is_valid_dpop_nonce("a b"));
  CHECK_FALSE(is_valid_dpop_nonce("caf\xc3\xa9"));
  CHECK_FALSE(is_valid_dpop_nonce(std::string(kMaxDpopNonceLength + 1, 'n')));
  CHECK(is_valid_dpop_nonce(std::string(kMaxDpopNonceLength, 'n')));
}
