// One token request from its DPoP proof to its final answer (session/token_exchange.hpp): the proof
// (RFC 9449 §4), the one use_dpop_nonce retry (§8) and the token-type check (§5), without a Client.
#include "core/error_codes.hpp"
#include "protocol/dpop_proof.hpp"
#include "session/token_exchange.hpp"
#include "dpop_support.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

HttpRequest token_request() {
  HttpRequest r;
  r.method = "POST";
  r.url = "https://as.example.test/token";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "grant_type=client_credentials";
  return r;
}

HttpResponse answer(int status, std::string body, const char* nonce = nullptr) {
  HttpHeaders headers = {{"Content-Type", "application/json"}};
  if (nonce) headers.emplace_back("DPoP-Nonce", nonce);
  return HttpResponse(status, std::move(headers), std::move(body));
}

const char* kNonceDemand = R"({"error":"use_dpop_nonce"})";

const std::string* dpop_header(const HttpRequest& r) {
  for (const auto& [name, value] : r.headers)
    if (name == "DPoP") return &value;
  return nullptr;
}

DpopKey new_key() {
  auto key = DpopKey::generate();
  REQUIRE_OK(key);
  return std::move(*key);
}

// An exchange started with a key: its request sent at 1000 with a proof.
struct Proved {
  const DpopKey key = new_key();
  TokenExchange exchange;
  DpopNonceCache nonces;
  HttpRequest sent = token_request();
  Proved() { REQUIRE_OK(exchange.start(sent, &key, nonces, 1000)); }
};

}  // namespace

TEST_CASE("token exchange without a key: no proof, no retry, and a DPoP token is refused", "[token-exchange][rfc9449]") {
  TokenExchange exchange;
  DpopNonceCache nonces;
  HttpRequest sent = token_request();
  REQUIRE_OK(exchange.start(sent, nullptr, nonces, 1000));
  CHECK(dpop_header(sent) == nullptr);
  CHECK_FALSE(exchange.proved());
  CHECK(exchange.waiting());
  // A nonce demand to a request without a proof is the server's error, read by the caller.
  auto final_answer = exchange.answer(answer(400, kNonceDemand, "n-1"), nullptr, nonces, 1001);
  REQUIRE_OK(final_answer);
  CHECK_FALSE(final_answer->has_value());
  CHECK_FALSE(exchange.waiting());
  CHECK(nonces.size() == 0);
  REQUIRE_OK(exchange.check_token_type(TokenType::bearer, false));
  REQUIRE_ERROR(exchange.check_token_type(TokenType::dpop, true), codes::unsupported_token_type);
}

TEST_CASE("token exchange with a key: a proof, then one retry with the demanded nonce, then the answer is final",
          "[token-exchange][rfc9449]") {
  Proved p;
  REQUIRE(dpop_header(p.sent));
  test::DecodedProof first = test::verified_proof(*dpop_header(p.sent));
  CHECK(first.claims.at("htu") == "https://as.example.test/token");
  CHECK(first.claims.at("iat") == 1000);
  CHECK_FALSE(first.claims.contains("nonce"));
  CHECK(p.exchange.proved());

  auto retry = p.exchange.answer(answer(400, kNonceDemand, "n-1"), &p.key, p.nonces, 1001);
  REQUIRE_OK(retry);
  REQUIRE(retry->has_value());
  CHECK(p.exchange.waiting());
  CHECK((*retry)->body == p.sent.body);
  test::DecodedProof second = test::verified_proof(*dpop_header(**retry));
  CHECK(second.claims.at("nonce") == "n-1");
  CHECK(second.claims.at("iat") == 1001);
  CHECK(second.claims.at("jti") != first.claims.at("jti"));

  // §8: once only; a second demand is final (the caller reports it), its nonce still kept (§8.2).
  auto again = p.exchange.answer(answer(400, kNonceDemand, "n-2"), &p.key, p.nonces, 1002);
  REQUIRE_OK(again);
  CHECK_FALSE(again->has_value());
  CHECK_FALSE(p.exchange.waiting());
  CHECK(p.nonces.nonce_for("https://as.example.test/token") == "n-2");

  // The next exchange starts afresh: its proof carries the held nonce, and it may be retried again.
  HttpRequest next = token_request();
  REQUIRE_OK(p.exchange.start(next, &p.key, p.nonces, 1100));
  CHECK(test::verified_proof(*dpop_header(next)).claims.at("nonce") == "n-2");
  auto retried = p.exchange.answer(answer(400, kNonceDemand, "n-3"), &p.key, p.nonces, 1101);
  REQUIRE_OK(retried);
  CHECK(retried->has_value());
}

TEST_CASE("token exchange: a demand without a valid nonce, or another answer, is final", "[token-exchange][rfc9449]") {
  Proved p;
  auto no_nonce = p.exchange.answer(answer(400, kNonceDemand), &p.key, p.nonces, 1001);
  REQUIRE_OK(no_nonce);
  CHECK_FALSE(no_nonce->has_value());

  p.sent = token_request();
  REQUIRE_OK(p.exchange.start(p.sent, &p.key, p.nonces, 1000));
  auto tokens = p.exchange.answer(answer(200, R"({"access_token":"at","token_type":"DPoP"})", "n-9"), &p.key, p.nonces, 1001);
  REQUIRE_OK(tokens);
  CHECK_FALSE(tokens->has_value());
  CHECK(p.nonces.nonce_for("https://as.example.test/token") == "n-9");  // §8.2: kept from any answer
}

TEST_CASE("token exchange: the retry needs the key still held", "[token-exchange][rfc9449]") {
  Proved p;
  REQUIRE_ERROR(p.exchange.answer(answer(400, kNonceDemand, "n-1"), nullptr, p.nonces, 1001), codes::dpop_key_lost);
  CHECK_FALSE(p.exchange.waiting());
}

TEST_CASE("token exchange: the token type of the final answer against the proof sent (RFC 9449 §5)",
          "[token-exchange][rfc9449]") {
  Proved p;
  REQUIRE_OK(p.exchange.check_token_type(TokenType::dpop, false));
  REQUIRE_ERROR(p.exchange.check_token_type(TokenType::bearer, false), codes::unsupported_token_type);
  REQUIRE_OK(p.exchange.check_token_type(TokenType::bearer, true));  // dpopAllowBearer
  p.exchange.end();
  CHECK_FALSE(p.exchange.proved());
}
