// ID token claims (OIDC Core §3.1.3.7, §12.2) behind a valid signature: the harness signs the
// header and payload it is given with its own ES256 key, so the fuzzer reaches every claim rule.
// Input lines: issuer, client_id, nonce (empty: a refresh, no nonce expected), now, max_age
// (not a number: none), access token (empty: none), the JOSE header JSON, then the payload JSON.
#include <nlohmann/json.hpp>

#include "crypto/base64url.hpp"
#include "crypto/ecdsa.hpp"
#include "crypto/sha2.hpp"
#include "fuzz_input.hpp"
#include "protocol/id_token.hpp"

using namespace oauth;

namespace {

struct Signer {
  EcPrivateKey key;
  Jwks jwks;
};

const Signer& signer() {
  static const Signer* s = [] {
    auto key = EcPrivateKey::generate_p256();
    fuzz::require(key.ok());
    nlohmann::json jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"kid", "fuzz"},
                          {"x", base64url_encode(key->public_key().x())}, {"y", base64url_encode(key->public_key().y())}};
    auto jwks = Jwks::parse(nlohmann::json{{"keys", nlohmann::json::array({jwk})}}.dump());
    fuzz::require(jwks.ok());
    return new Signer{std::move(*key), std::move(*jwks)};
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  IdTokenExpectations expect;
  expect.issuer = std::string(in.line());
  expect.client_id = std::string(in.line());
  std::string_view nonce = in.line();
  if (!nonce.empty()) expect.nonce = std::string(nonce);
  expect.now = in.number(0, 99999999999, 1700000000);
  std::int64_t max_age = in.number(0, 999999999, -1);
  if (max_age >= 0) expect.max_age = max_age;
  std::string access_token(in.line());
  if (!access_token.empty()) expect.access_token = access_token;
  std::string_view header = in.line();

  const Signer& s = signer();
  std::string signing_input = base64url_encode(header) + "." + base64url_encode(in.rest());
  auto signature = s.key.sign_digest(sha256(signing_input));
  fuzz::require(signature.ok());
  std::string compact = signing_input + "." + base64url_encode(*signature);

  auto token = validate_id_token(compact, s.jwks, expect);
  if (!token.ok()) {
    fuzz::require_typed(token.error());
    return 0;
  }
  // What a verified token promises.
  const auto& claims = token->claims();
  auto is = [&](const char* name, const std::string& value) {
    const JsonValue* claim = claims.find(name);
    return claim != nullptr && claim->is_string() && claim->text() == value;
  };
  fuzz::require(!token->subject().empty() && is("sub", token->subject()));
  fuzz::require(is("iss", expect.issuer));
  if (expect.nonce) fuzz::require(is("nonce", *expect.nonce));
  fuzz::require(check_refreshed_id_token(*token, *token).ok());
  return 0;
}
