// Public JWKs and JWK Sets (RFC 7517, RFC 7518 §6, RFC 8037 §2).
#include "crypto/jwk.hpp"

#include "core/error_codes.hpp"
#include "json_value_support.hpp"
#include "support.hpp"
#include "vectors/node_vectors.hpp"

using namespace oauth;
using nlohmann::json;
namespace node = oauth::test::node;

namespace {

// RFC 7515 A.3's P-256 key and RFC 8037 A.2's Ed25519 key.
constexpr const char* kP256X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr const char* kP256Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr const char* kEdX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

json rsa_jwk() { return json{{"kty", "RSA"}, {"kid", "r"}, {"n", node::kRsa2048N}, {"e", node::kRsa2048E}}; }
json p256_jwk() { return json{{"kty", "EC"}, {"crv", "P-256"}, {"x", kP256X}, {"y", kP256Y}}; }
json p384_jwk() { return json{{"kty", "EC"}, {"crv", "P-384"}, {"x", node::kP384X}, {"y", node::kP384Y}}; }
json ed_jwk() { return json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", kEdX}}; }

json with(json jwk, const char* name, json value) {
  jwk[name] = std::move(value);
  return jwk;
}

json without(json jwk, const char* name) {
  jwk.erase(name);
  return jwk;
}

}  // namespace

TEST_CASE("RSA, EC and OKP public JWKs are read with their kid and alg", "[jwk][rfc7517][rfc7518][rfc8037]") {
  auto rsa = Jwk::create(test::to_value(rsa_jwk()));
  REQUIRE_OK(rsa);
  CHECK(rsa->type() == JwkType::rsa);
  CHECK(rsa->kid() == std::optional<std::string>("r"));
  CHECK_FALSE(rsa->alg().has_value());
  auto ec = Jwk::create(test::to_value(with(p256_jwk(), "alg", "ES256")));
  REQUIRE_OK(ec);
  CHECK(ec->type() == JwkType::ec);
  CHECK_FALSE(ec->kid().has_value());
  CHECK(ec->alg() == std::optional<std::string>("ES256"));
  REQUIRE_OK(Jwk::create(test::to_value(p384_jwk())));
  auto okp = Jwk::create(test::to_value(ed_jwk()));
  REQUIRE_OK(okp);
  CHECK(okp->type() == JwkType::okp);
}

TEST_CASE("each alg fits only its key type and curve", "[jwk][rfc7518][rfc8037]") {
  const Jwk rsa = *Jwk::create(test::to_value(rsa_jwk()));
  const Jwk p256 = *Jwk::create(test::to_value(p256_jwk()));
  const Jwk p384 = *Jwk::create(test::to_value(p384_jwk()));
  const Jwk ed = *Jwk::create(test::to_value(ed_jwk()));
  for (JwsAlg alg : {JwsAlg::rs256, JwsAlg::rs384, JwsAlg::rs512, JwsAlg::ps256, JwsAlg::ps384, JwsAlg::ps512}) {
    CHECK(rsa.fits(alg));
    CHECK_FALSE(p256.fits(alg));
    CHECK_FALSE(ed.fits(alg));
  }
  CHECK(p256.fits(JwsAlg::es256));
  CHECK_FALSE(p256.fits(JwsAlg::es384));
  CHECK(p384.fits(JwsAlg::es384));
  CHECK_FALSE(p384.fits(JwsAlg::es256));
  CHECK_FALSE(rsa.fits(JwsAlg::es256));
  CHECK(ed.fits(JwsAlg::eddsa));
  CHECK_FALSE(ed.fits(JwsAlg::es256));
  CHECK_FALSE(rsa.fits(JwsAlg::eddsa));
}

TEST_CASE("a JWK with an alg member fits only that alg", "[jwk][rfc7517]") {
  auto rs256_only = Jwk::create(test::to_value(with(rsa_jwk(), "alg", "RS256")));
  REQUIRE_OK(rs256_only);
  CHECK(rs256_only->fits(JwsAlg::rs256));
  CHECK_FALSE(rs256_only->fits(JwsAlg::ps256));
  CHECK_FALSE(rs256_only->fits(JwsAlg::rs512));
  auto odd = Jwk::create(test::to_value(with(rsa_jwk(), "alg", "RSA-OAEP")));
  REQUIRE_OK(odd);
  CHECK_FALSE(odd->fits(JwsAlg::rs256));
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "alg", 256))), codes::invalid_key);
  REQUIRE_ERROR(rs256_only->verify(JwsAlg::ps256, "input", std::string(256, 'x')), codes::invalid_signature);
}

TEST_CASE("a JWK with private key members is refused", "[jwk][rfc7517][rfc7518]") {
  for (const char* name : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
    INFO(name);
    REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), name, "AQAB"))), codes::invalid_key);
  }
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "d", "jpsQnnGQmL-YBIffH1136cLSG9IPKE7N6D6AvAGPxN4"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(ed_jwk(), "d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(json{{"kty", "oct"}, {"k", "c2VjcmV0"}})), codes::invalid_key);
  // Even a null "d" is a private member name.
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "d", nullptr))), codes::invalid_key);
}

TEST_CASE("use must be sig and key_ops must include verify when present", "[jwk][rfc7517]") {
  REQUIRE_OK(Jwk::create(test::to_value(with(rsa_jwk(), "use", "sig"))));
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "use", "enc"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "use", json::array({"sig"})))), codes::invalid_key);
  REQUIRE_OK(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array({"verify"})))));
  REQUIRE_OK(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array({"encrypt", "verify"})))));
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array({"encrypt"})))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array()))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", "verify"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array({"verify", "verify"})))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "key_ops", json::array({"verify", 1})))), codes::invalid_key);
}

TEST_CASE("RSA JWKs need n and e as base64url and at least 2048 bits", "[jwk][rfc7518]") {
  REQUIRE_ERROR(Jwk::create(test::to_value(json{{"kty", "RSA"}, {"n", node::kRsa1024N}, {"e", node::kRsa1024E}})), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(rsa_jwk(), "n"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(rsa_jwk(), "e"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "e", 65537))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "e", "AQAB="))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "n", std::string(node::kRsa2048N) + "=="))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "e", "AQAA"))), codes::invalid_key);  // e = 65536, even
}

TEST_CASE("EC JWKs need crv P-256 or P-384 and a full-length point on the curve", "[jwk][rfc7518]") {
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "crv", "P-521"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "crv", "secp256k1"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "crv", "P-384"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(p256_jwk(), "crv"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(p256_jwk(), "y"))), codes::invalid_key);
  // 31 octets (leading zero dropped) and 33 octets: RFC 7518 §6.2.1.2 wants the full size.
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "x", "83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "x", "AH_Nzidw9sRdQYPL7m_bS3tYBzM1e-nvE7rPbjx70VRF"))), codes::invalid_key);
  // y of A.3 with its last bit flipped: off the curve.
  REQUIRE_ERROR(Jwk::create(test::to_value(with(p256_jwk(), "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4"))), codes::invalid_key);
}

TEST_CASE("OKP JWKs need crv Ed25519 and a 32-octet x", "[jwk][rfc8037]") {
  REQUIRE_ERROR(Jwk::create(test::to_value(with(ed_jwk(), "crv", "X25519"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(ed_jwk(), "crv", "Ed448"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(ed_jwk(), "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(ed_jwk(), "x"))), codes::invalid_key);
}

TEST_CASE("a JWK must be an object with a known kty", "[jwk][rfc7517]") {
  REQUIRE_ERROR(Jwk::create(test::to_value(json::array({rsa_jwk()}))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(json("RSA"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(without(rsa_jwk(), "kty"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "kty", "rsa"))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "kty", 1))), codes::invalid_key);
  REQUIRE_ERROR(Jwk::create(test::to_value(with(rsa_jwk(), "kid", 7))), codes::invalid_key);
}

TEST_CASE("a JWK Set keeps the usable keys and ignores the others with a reason", "[jwk][rfc7517]") {
  json set = {{"keys", json::array({
      rsa_jwk(),
      json{{"kty", "oct"}, {"kid", "secret"}, {"k", "c2VjcmV0"}},
      json{{"kty", "EC"}, {"kid", "p521"}, {"crv", "P-521"}, {"x", "AA"}, {"y", "AA"}},
      json{{"kty", "RSA"}, {"kid", "small"}, {"n", node::kRsa1024N}, {"e", node::kRsa1024E}},
      json{{"kty", "RSA"}, {"kid", "enc"}, {"use", "enc"}, {"n", node::kRsa2048N}, {"e", "AQAB"}},
      json{{"kty", "PQC"}, {"kid", "future"}},
      json("not a key"),
      with(ed_jwk(), "kid", "ed"),
  })}};
  auto jwks = Jwks::create(test::to_value(set));
  REQUIRE_OK(jwks);
  REQUIRE(jwks->keys().size() == 2);
  CHECK(jwks->keys()[0].kid() == std::optional<std::string>("r"));
  CHECK(jwks->keys()[1].kid() == std::optional<std::string>("ed"));
  REQUIRE(jwks->ignored().size() == 6);
  CHECK(jwks->ignored()[0].kid == std::optional<std::string>("secret"));
  CHECK(jwks->ignored()[2].reason.description.find("2048") != std::string::npos);
  CHECK_FALSE(jwks->ignored()[5].kid.has_value());
  for (const IgnoredJwk& ignored : jwks->ignored()) CHECK(ignored.reason.code == std::string(codes::invalid_key));
}

TEST_CASE("a JWK Set is an object with a keys array", "[jwk][rfc7517]") {
  REQUIRE_ERROR(Jwks::create(test::to_value(json::array({rsa_jwk()}))), codes::invalid_response);
  REQUIRE_ERROR(Jwks::create(test::to_value(json::object())), codes::invalid_response);
  REQUIRE_ERROR(Jwks::create(test::to_value(json{{"keys", rsa_jwk()}})), codes::invalid_response);
  auto empty = Jwks::create(test::to_value(json{{"keys", json::array()}}));
  REQUIRE_OK(empty);
  CHECK(empty->keys().empty());
}

TEST_CASE("a JWK Set is parsed from text with repeated member names refused", "[jwk][rfc7517]") {
  auto jwks = Jwks::parse(node::kJwks);
  REQUIRE_OK(jwks);
  CHECK(jwks->keys().size() == 4);
  CHECK(jwks->ignored().empty());
  REQUIRE_FALSE(Jwks::parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + std::string(kEdX) +
                            "\",\"kid\":\"a\",\"kid\":\"b\"}]}").ok());
  REQUIRE_FALSE(Jwks::parse("{\"keys\":[]").ok());
  REQUIRE_FALSE(Jwks::parse("").ok());
  REQUIRE_FALSE(Jwks::parse(std::string(kMaxJwksBytes + 1, ' ')).ok());
}
