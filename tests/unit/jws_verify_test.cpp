// JWS compact verification against a JWK Set: RFC 7515 and RFC 8037 examples, tokens made by
// Node's crypto, and every refusal (header, structure, key selection, signature).
#include "crypto/jws_verify.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "json_value_support.hpp"
#include "support.hpp"
#include "vectors/node_vectors.hpp"

using namespace oauth;
using nlohmann::json;
namespace node = oauth::test::node;

namespace {

constexpr const char* kRfcPayload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

// RFC 7515 Appendix A.2 (RS256) and A.3 (ES256): the JWS and the public JWK.
const std::string kA2Jws = std::string("eyJhbGciOiJSUzI1NiJ9.") + kRfcPayload +
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1"
    "dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzD"
    "wusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe7"
    "7Rw";
const char* kA2JwkN =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pC"
    "gNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg"
    "665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FR"
    "WyuXpoQ";
const std::string kA3Jws = std::string("eyJhbGciOiJFUzI1NiJ9.") + kRfcPayload +
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
// RFC 8037 Appendix A.4: EdDSA over the (non-JSON) payload "Example of Ed25519 signing".
constexpr const char* kA4SigningInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr const char* kA4Signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

Jwks jwks_of(const json& keys) {
  auto jwks = Jwks::create(test::to_value(json{{"keys", keys}}));
  REQUIRE_OK(jwks);
  return std::move(*jwks);
}

Jwks node_jwks() {
  auto jwks = Jwks::parse(node::kJwks);
  REQUIRE_OK(jwks);
  return std::move(*jwks);
}

Result<VerifiedJws> verify(const std::string& token, const Jwks& keys) {
  return verify_jws(token, keys, JwsAlgSet::all_supported());
}

// Replaces one character of part `index` (0 header, 1 payload, 2 signature) by another
// base64url character.
std::string tamper(std::string token, int index, std::size_t offset = 5) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  char& c = token[start + offset];
  c = c == 'A' ? 'B' : 'A';
  return token;
}

std::string part(const std::string& token, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  return token.substr(start, token.find('.', start) - start);
}

std::string unsigned_token(const std::string& header_json, const std::string& signature = "c2ln") {
  return base64url_encode(header_json) + "." + base64url_encode(node::kPayload) + "." + signature;
}

}  // namespace

TEST_CASE("RS256 verifies the RFC 7515 Appendix A.2 JWS with its JWK", "[jws][rfc7515]") {
  const Jwks keys = jwks_of(json::array({json{{"kty", "RSA"}, {"n", kA2JwkN}, {"e", "AQAB"}}}));
  auto jws = verify(kA2Jws, keys);
  REQUIRE_OK(jws);
  CHECK(jws->alg() == JwsAlg::rs256);
  CHECK(test::to_nlohmann(jws->header()) == json{{"alg", "RS256"}});
  CHECK(test::to_nlohmann(jws->payload())["iss"] == "joe");
  CHECK(test::to_nlohmann(jws->payload())["exp"] == 1300819380);
}

TEST_CASE("ES256 verifies the RFC 7515 Appendix A.3 JWS with its JWK", "[jws][rfc7515]") {
  const Jwks keys = jwks_of(json::array({json{{"kty", "EC"}, {"crv", "P-256"},
                                              {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                              {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}}));
  auto jws = verify(kA3Jws, keys);
  REQUIRE_OK(jws);
  CHECK(jws->alg() == JwsAlg::es256);
  CHECK(test::to_nlohmann(jws->payload())["http://example.com/is_root"] == true);
}

TEST_CASE("EdDSA verifies the RFC 8037 Appendix A.4 signature with its JWK", "[jws][rfc8037]") {
  const json jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};
  auto key = Jwk::create(test::to_value(jwk));
  REQUIRE_OK(key);
  auto signature = base64url_decode(kA4Signature);
  REQUIRE_OK(signature);
  REQUIRE_OK(key->verify(JwsAlg::eddsa, kA4SigningInput, *signature));
  // Through verify_jws the signature holds too; only then is the non-JSON payload refused.
  auto jws = verify(std::string(kA4SigningInput) + "." + kA4Signature, jwks_of(json::array({jwk})));
  REQUIRE_ERROR(jws, codes::invalid_jws);
  CHECK(jws.error().description.find("payload") != std::string::npos);
}

TEST_CASE("tokens signed by Node with every supported alg verify against the JWKS", "[jws][rfc7518][rfc8037]") {
  const Jwks keys = node_jwks();
  struct Case { const char* token; JwsAlg alg; };
  for (const Case& c : {Case{node::kJwsRs256, JwsAlg::rs256}, Case{node::kJwsRs384, JwsAlg::rs384},
                        Case{node::kJwsRs512, JwsAlg::rs512}, Case{node::kJwsPs256, JwsAlg::ps256},
                        Case{node::kJwsPs384, JwsAlg::ps384}, Case{node::kJwsPs512, JwsAlg::ps512},
                        Case{node::kJwsEs256, JwsAlg::es256}, Case{node::kJwsEs384, JwsAlg::es384},
                        Case{node::kJwsEdDsa, JwsAlg::eddsa}, Case{node::kJwsRs256NoKid, JwsAlg::rs256}}) {
    INFO(jws_alg_name(c.alg));
    auto jws = verify(c.token, keys);
    REQUIRE_OK(jws);
    CHECK(jws->alg() == c.alg);
    CHECK(test::to_nlohmann(jws->payload())["sub"] == "alice");
    CHECK(test::to_nlohmann(jws->header())["alg"] == std::string(jws_alg_name(c.alg)));
  }
}

TEST_CASE("a tampered header, payload or signature is refused", "[jws][rfc7515]") {
  const Jwks keys = node_jwks();
  for (const char* token : {node::kJwsRs256, node::kJwsPs256, node::kJwsEs256, node::kJwsEs384, node::kJwsEdDsa}) {
    INFO(part(token, 0));
    REQUIRE_ERROR(verify(tamper(token, 1), keys), codes::invalid_signature);
    REQUIRE_ERROR(verify(tamper(token, 1, part(token, 1).size() - 3), keys), codes::invalid_signature);
    REQUIRE_ERROR(verify(tamper(token, 2), keys), codes::invalid_signature);
    // A header change that still parses: a member added, same alg and kid.
    json header = json::parse(base64url_decode(part(token, 0)).value());
    header["x"] = "y";
    const std::string edited = base64url_encode(header.dump()) + std::string(token).substr(part(token, 0).size());
    REQUIRE_ERROR(verify(edited, keys), codes::invalid_signature);
  }
}

TEST_CASE("a token checked against another key with the same kid is refused", "[jws][rfc7515]") {
  auto other = Jwks::parse(node::kJwksOtherRsaSameKid);
  REQUIRE_OK(other);
  REQUIRE_ERROR(verify(node::kJwsRs256, *other), codes::invalid_signature);
  REQUIRE_ERROR(verify(node::kJwsPs256, *other), codes::invalid_signature);
  REQUIRE_ERROR(verify(kA2Jws, *other), codes::invalid_signature);
}

TEST_CASE("a kid that no JWKS key has is unknown_kid, so the JWKS can be refetched", "[jws][rfc7515]") {
  const Jwks keys = node_jwks();
  REQUIRE_ERROR(verify(node::kJwsUnknownKid, keys), codes::unknown_kid);
  // kid matching is exact (case-sensitive).
  REQUIRE_ERROR(verify(unsigned_token(R"({"alg":"RS256","kid":"RSA-1"})"), keys), codes::unknown_kid);
  // No kid and no key that fits the alg: also worth one refetch.
  REQUIRE_ERROR(verify(kA2Jws, jwks_of(json::array())), codes::unknown_kid);
}

TEST_CASE("an alg that does not fit the key with the token's kid is refused", "[jws][rfc7518]") {
  const Jwks keys = node_jwks();
  for (const char* token : {node::kJwsRs256KidOfP256, node::kJwsEs256KidOfP384, node::kJwsPs256WithRsaKeyAsEs256}) {
    auto r = verify(token, keys);
    REQUIRE_ERROR(r, codes::invalid_signature);
    CHECK(r.error().description.find("does not fit") != std::string::npos);
  }
  // The JWK's own alg member restricts it: p384-1 says ES384 only; rsa-1 with alg RS256 refuses PS256.
  json set = json::parse(node::kJwks);
  set["keys"][0]["alg"] = "RS256";
  auto restricted = Jwks::create(test::to_value(set));
  REQUIRE_OK(restricted);
  REQUIRE_OK(verify(node::kJwsRs256, *restricted));
  REQUIRE_ERROR(verify(node::kJwsPs256, *restricted), codes::invalid_signature);
}

TEST_CASE("alg none, HS256 and unknown algs are refused before any key is used", "[jws][rfc7515][rfc8725]") {
  const Jwks keys = node_jwks();
  const std::string payload = base64url_encode(node::kPayload);
  REQUIRE_ERROR(verify(base64url_encode(R"({"alg":"none"})") + "." + payload + ".", keys), codes::unsupported_alg);
  REQUIRE_ERROR(verify(base64url_encode(R"({"alg":"none","kid":"rsa-1"})") + "." + payload + ".", keys),
                codes::unsupported_alg);
  for (const char* alg : {"None", "NONE", "nOnE", "rs256", "ES512", "RS1", "PS256 ", "EdDSA\\u0000", "Ed25519", "ES256K", ""}) {
    INFO(alg);
    REQUIRE_ERROR(verify(unsigned_token(std::string(R"({"alg":")") + alg + R"(","kid":"rsa-1"})"), keys),
                  codes::unsupported_alg);
  }
  // HS256 keyed with the RSA public key (PEM, or the modulus octets): the algorithm-confusion forgery.
  REQUIRE_ERROR(verify(node::kJwsHs256WithRsaPem, keys), codes::unsupported_alg);
  REQUIRE_ERROR(verify(node::kJwsHs256WithRsaJwkN, keys), codes::unsupported_alg);
  for (const char* alg : {"HS384", "HS512"})
    REQUIRE_ERROR(verify(unsigned_token(std::string(R"({"alg":")") + alg + R"("})"), keys), codes::unsupported_alg);
  // alg missing or not a string.
  REQUIRE_ERROR(verify(unsigned_token(R"({"kid":"rsa-1"})"), keys), codes::invalid_jws);
  REQUIRE_ERROR(verify(unsigned_token(R"({"alg":["RS256"],"kid":"rsa-1"})"), keys), codes::invalid_jws);
  REQUIRE_ERROR(verify(unsigned_token(R"({"alg":null})"), keys), codes::invalid_jws);
}

TEST_CASE("an alg outside the client's allowed set is refused", "[jws][oidc]") {
  const Jwks keys = node_jwks();
  REQUIRE_OK(verify_jws(node::kJwsRs256, keys, JwsAlgSet::of({JwsAlg::rs256})));
  REQUIRE_ERROR(verify_jws(node::kJwsPs256, keys, JwsAlgSet::of({JwsAlg::rs256})), codes::unsupported_alg);
  REQUIRE_ERROR(verify_jws(node::kJwsEs256, keys, JwsAlgSet::of({JwsAlg::rs256, JwsAlg::es384})), codes::unsupported_alg);
  REQUIRE_ERROR(verify_jws(node::kJwsRs256, keys, JwsAlgSet::of({})), codes::invalid_argument);
}

TEST_CASE("an ES256 signature in DER form is refused", "[jws][rfc7518]") {
  auto r = verify(node::kJwsEs256Der, node_jwks());
  REQUIRE_ERROR(r, codes::invalid_signature);
  CHECK(r.error().description.find("r||s") != std::string::npos);
}

TEST_CASE("a token whose kid names a JWKS key too short to use is refused with the reason", "[jws][rfc7518]") {
  auto keys = Jwks::parse(node::kJwksWithSmallRsa);
  REQUIRE_OK(keys);
  CHECK(keys->keys().empty());
  auto r = verify(node::kJwsRs1024, *keys);
  REQUIRE_ERROR(r, codes::invalid_key);
  CHECK(r.error().description.find("2048") != std::string::npos);
}

TEST_CASE("repeated member names in the header or the payload are refused", "[jws][rfc7515][rfc7519]") {
  const Jwks keys = node_jwks();
  REQUIRE_ERROR(verify(node::kJwsDuplicateAlg, keys), codes::invalid_jws);
  REQUIRE_ERROR(verify(node::kJwsDuplicateKid, keys), codes::invalid_jws);
  REQUIRE_ERROR(verify(node::kJwsDuplicateClaim, keys), codes::invalid_jws);
  REQUIRE_ERROR(verify(node::kJwsDuplicateNestedClaim, keys), codes::invalid_jws);
  // The same name in sibling objects is not a repeat.
  auto siblings = verify(node::kJwsSameNameInSiblingObjects, keys);
  REQUIRE_OK(siblings);
  CHECK(test::to_nlohmann(siblings->payload())["c"][1]["x"] == 4);
}

TEST_CASE("crit, jku, jwk, x5u and x5c headers are refused even when the signature holds", "[jws][rfc7515][oidc]") {
  const Jwks keys = node_jwks();
  for (const char* token : {node::kJwsCrit, node::kJwsJku, node::kJwsEmbeddedJwk, node::kJwsX5u, node::kJwsX5c}) {
    INFO(part(token, 0));
    REQUIRE_ERROR(verify(token, keys), codes::invalid_jws);
  }
  REQUIRE_ERROR(verify(unsigned_token(R"({"alg":"RS256","kid":"rsa-1","crit":[]})"), keys), codes::invalid_jws);
}

TEST_CASE("a JWS has exactly three strict base64url parts", "[jws][rfc7515]") {
  const Jwks keys = node_jwks();
  const std::string token = node::kJwsRs256;
  const std::string h = part(token, 0), p = part(token, 1), s = part(token, 2);
  struct Case { const char* id; std::string token; };
  const std::vector<Case> cases = {
      {"four parts", token + "." + s},
      {"five parts (a JWE)", h + "." + p + "." + s + ".AA.AA"},
      {"two parts", h + "." + p},
      {"one part", h},
      {"empty", ""},
      {"dots only", ".."},
      {"empty header", "." + p + "." + s},
      {"padding in the header", h + "=." + p + "." + s},
      {"padding in the payload", h + "." + p + "==." + s},
      {"padding in the signature", h + "." + p + "." + s + "="},
      {"whitespace in the header", h.substr(0, 4) + " " + h.substr(4) + "." + p + "." + s},
      {"newline in the signature", h + "." + p + "." + s.substr(0, 10) + "\n" + s.substr(10)},
      {"standard base64 alphabet", h + "." + p + "." + s.substr(0, 10) + "+/" + s.substr(12)},
      {"header that is a JSON array", base64url_encode(R"(["RS256"])") + "." + p + "." + s},
      {"header that is not JSON", base64url_encode("alg=RS256") + "." + p + "." + s},
      {"kid that is not a string", base64url_encode(R"({"alg":"RS256","kid":1})") + "." + p + "." + s},
      {"larger than the limit", h + "." + std::string(kMaxJwsBytes, 'A') + "." + s},
  };
  for (const Case& c : cases) {
    INFO(c.id);
    REQUIRE_ERROR(verify(c.token, keys), codes::invalid_jws);
  }
  // A payload that is not a JSON object, validly signed.
  REQUIRE_ERROR(verify(node::kJwsPayloadNotObject, keys), codes::invalid_jws);
}

TEST_CASE("without a kid the token needs exactly one fitting key", "[jws][rfc7515]") {
  json set = json::parse(node::kJwks);
  REQUIRE_OK(verify(node::kJwsRs256NoKid, *Jwks::create(test::to_value(set))));
  set["keys"].push_back(json::parse(node::kJwksOtherRsaSameKid)["keys"][0]);
  auto two_rsa = Jwks::create(test::to_value(set));
  REQUIRE_OK(two_rsa);
  REQUIRE_ERROR(verify(node::kJwsRs256NoKid, *two_rsa), codes::invalid_jws);
  // With the kid, both rsa-1 keys are candidates and the right one verifies.
  REQUIRE_OK(verify(node::kJwsRs256, *two_rsa));
}

TEST_CASE("at most 4 keys sharing the token's kid are tried; more are refused, not each paid a check", "[jws][rfc7515]") {
  const json other = json::parse(node::kJwksOtherRsaSameKid)["keys"][0];
  json set = json::parse(node::kJwks);
  for (int i = 0; i < 3; ++i) set["keys"].push_back(other);
  auto four = Jwks::create(test::to_value(set));
  REQUIRE_OK(four);
  REQUIRE_OK(verify(node::kJwsRs256, *four));  // the right key is one of the four rsa-1 keys
  set["keys"].push_back(other);
  auto five = Jwks::create(test::to_value(set));
  REQUIRE_OK(five);
  REQUIRE_ERROR(verify(node::kJwsRs256, *five), codes::invalid_key);
  // Keys of the same kid that do not fit the alg are not counted.
  REQUIRE_ERROR(verify(node::kJwsRs256KidOfP256, *five), codes::invalid_signature);
}

TEST_CASE("error descriptions never quote the token or the key", "[jws]") {
  const Jwks keys = node_jwks();
  const std::string pieces[] = {"rsa-1", "alice", "issuer.example", part(node::kJwsRs256, 2).substr(0, 12),
                                std::string(node::kRsa2048N).substr(0, 12)};
  for (const std::string& token :
       {tamper(node::kJwsRs256, 2), std::string(node::kJwsUnknownKid), std::string(node::kJwsCrit),
        std::string(node::kJwsDuplicateClaim), std::string(node::kJwsHs256WithRsaPem), std::string(node::kJwsEs256Der),
        std::string(node::kJwsRs256KidOfP256), std::string(node::kJwsRs256) + "."}) {
    auto r = verify(token, keys);
    REQUIRE_FALSE(r.ok());
    for (const std::string& piece : pieces) CHECK(r.error().description.find(piece) == std::string::npos);
    CHECK(r.error().blame == Blame::remote);
  }
}
