// Test helper: a DPoP proof decoded, its signature checked with the key in its own header (as a
// server does, RFC 9449 §4.3).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/base64url.hpp"
#include "crypto/jwk.hpp"
#include "protocol/url.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

namespace oauth::test {

struct DecodedProof {
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input;
  std::string signature;
};

// A request URL parsed, as a proof takes it.
inline Url url_of(std::string_view text) {
  auto url = parse_url(text);
  REQUIRE_OK(url);
  return std::move(url).value();
}

inline DecodedProof decode_proof(std::string_view proof) {
  const std::size_t first = proof.find('.'), second = proof.find('.', first + 1);
  REQUIRE(second != std::string_view::npos);
  REQUIRE(proof.find('.', second + 1) == std::string_view::npos);
  auto header = base64url_decode(proof.substr(0, first));
  auto claims = base64url_decode(proof.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(proof.substr(second + 1));
  REQUIRE_OK(header);
  REQUIRE_OK(claims);
  REQUIRE_OK(signature);
  return {nlohmann::json::parse(*header), nlohmann::json::parse(*claims), std::string(proof.substr(0, second)),
          *signature};
}

inline Status verify_with_header_key(const DecodedProof& p) {
  auto jwk = Jwk::create(test::to_value(p.header.at("jwk")));
  OAUTH_TRY(jwk);
  return jwk->verify(JwsAlg::es256, p.signing_input, p.signature);
}

// Decoded and verified.
inline DecodedProof verified_proof(std::string_view proof) {
  DecodedProof p = decode_proof(proof);
  REQUIRE_OK(verify_with_header_key(p));
  return p;
}

}  // namespace oauth::test
