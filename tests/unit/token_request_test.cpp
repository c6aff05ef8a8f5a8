#include "protocol/token_request.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "protocol/url.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::test_client;
using oauth::test::test_metadata;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr const char* kCode = "c0de/with+odd=chars";

struct Exchange {
  IssuerMetadata metadata = test_metadata();
  Transaction tx;
  std::optional<ValidatedCallback> callback;
};

Exchange ready() {
  Exchange e;
  auto request = build_authorization_request(e.metadata, test_client(), {}, kNow);
  REQUIRE_OK(request);
  e.tx = std::move(request->transaction);
  std::string url = e.tx.redirect_uri + "?code=" + percent_encode(kCode) + "&state=" + e.tx.state;
  auto params = parse_callback_url(url, e.tx.redirect_uri);
  REQUIRE_OK(params);
  auto validated = validate_callback(*params, e.tx, e.metadata, kNow + 1);
  REQUIRE_OK(validated);
  e.callback.emplace(std::move(validated).value());
  return e;
}

FormParams body_of(const HttpRequest& request) {
  auto params = parse_form_params(request.body);
  REQUIRE_OK(params);
  return std::move(params).value();
}

}  // namespace

TEST_CASE("the code exchange posts the code, redirect_uri, verifier and client_id as a form", "[token][rfc6749][rfc7636]") {
  Exchange e = ready();
  auto request = build_authorization_code_request(e.metadata, test_client(), *e.callback, e.tx);
  REQUIRE_OK(request);
  CHECK(request->method == "POST");
  CHECK(request->url == "https://as.example/token");
  CHECK(find_header(request->headers, "content-type") ==
        std::optional<std::string_view>("application/x-www-form-urlencoded"));
  CHECK(find_header(request->headers, "accept") == std::optional<std::string_view>("application/json"));
  CHECK_FALSE(find_header(request->headers, "authorization"));
  CHECK(body_of(*request) == FormParams{{"grant_type", "authorization_code"},
                                    {"code", kCode},
                                    {"redirect_uri", "https://app.example/callback"},
                                    {"code_verifier", std::string(e.tx.verifier.view())},
                                    {"client_id", "spa-client"}});
  CHECK(request->body.find("code=c0de%2Fwith%2Bodd%3Dchars&") != std::string::npos);
}

TEST_CASE("client_secret_basic sends form-encoded credentials in an Authorization header", "[token][rfc6749]") {
  Exchange e = ready();
  ClientConfig client = test_client();
  client.client_id = "my client:1";
  e.tx.client_id = client.client_id;
  auto auth = ClientAuth::client_secret_basic(Secret("s3cr:t+/ é"));
  REQUIRE_OK(auth);
  auto request = build_authorization_code_request(e.metadata, client, *e.callback, e.tx, *auth);
  REQUIRE_OK(request);
  auto header = find_header(request->headers, "Authorization");
  REQUIRE(header);
  CHECK(*header == "Basic " + base64_encode("my%20client%3A1:s3cr%3At%2B%2F%20%C3%A9"));
  auto body = body_of(*request);
  for (const auto& [name, value] : body) {
    CHECK(name != "client_id");
    CHECK(name != "client_secret");
  }
}

TEST_CASE("client_secret_post sends client_id and client_secret in the body", "[token][rfc6749]") {
  Exchange e = ready();
  auto auth = ClientAuth::client_secret_post(Secret("top secret"));
  REQUIRE_OK(auth);
  auto request = build_authorization_code_request(e.metadata, test_client(), *e.callback, e.tx, *auth);
  REQUIRE_OK(request);
  auto body = body_of(*request);
  REQUIRE(body.size() == 6);
  CHECK(body[4] == std::make_pair(std::string("client_id"), std::string("spa-client")));
  CHECK(body[5] == std::make_pair(std::string("client_secret"), std::string("top secret")));
  CHECK_FALSE(find_header(request->headers, "Authorization"));
}

TEST_CASE("a secret client authentication needs a secret", "[token][rfc6749]") {
  auto basic = ClientAuth::client_secret_basic(Secret());
  REQUIRE_ERROR(basic, codes::invalid_argument);
  REQUIRE_ERROR(ClientAuth::client_secret_post(Secret()), codes::invalid_argument);
  CHECK(ClientAuth::none().method() == ClientAuth::Method::none);
}

TEST_CASE("a callback is exchanged only with its own transaction and client", "[token]") {
  Exchange e = ready();
  Exchange other = ready();
  auto mixed = build_authorization_code_request(e.metadata, test_client(), *other.callback, e.tx);
  REQUIRE_ERROR(mixed, codes::invalid_argument);
  CHECK_NO_SECRETS(mixed.error(), kCode, e.tx.verifier.view(), other.tx.verifier.view());

  ClientConfig client = test_client();
  client.redirect_uri = "https://app.example/other";
  REQUIRE_ERROR(build_authorization_code_request(e.metadata, client, *e.callback, e.tx), codes::invalid_argument);
  client = test_client();
  client.client_id = "another";
  REQUIRE_ERROR(build_authorization_code_request(e.metadata, client, *e.callback, e.tx), codes::invalid_argument);
  e.tx.issuer = "https://other.example";
  REQUIRE_ERROR(build_authorization_code_request(e.metadata, test_client(), *e.callback, e.tx), codes::issuer_mismatch);
}

TEST_CASE("the refresh request posts the refresh token, scope and resources", "[token][rfc6749][rfc8707]") {
  Secret refresh("r3fresh+token");
  auto request = build_refresh_request(test_metadata(), test_client(), refresh, std::string("openid profile"),
                                       {"https://api.example/", "https://other.example/"});
  REQUIRE_OK(request);
  CHECK(request->method == "POST");
  CHECK(request->url == "https://as.example/token");
  CHECK(request->body ==
        "grant_type=refresh_token&refresh_token=r3fresh%2Btoken&scope=openid%20profile&"
        "resource=https%3A%2F%2Fapi.example%2F&resource=https%3A%2F%2Fother.example%2F&client_id=spa-client");

  auto minimal = build_refresh_request(test_metadata(), test_client(), refresh, std::nullopt, {});
  REQUIRE_OK(minimal);
  CHECK(minimal->body == "grant_type=refresh_token&refresh_token=r3fresh%2Btoken&client_id=spa-client");
}

TEST_CASE("a refresh request with bad input is refused without echoing the token", "[token]") {
  Secret refresh("r3fresh-token-value");
  REQUIRE_ERROR(build_refresh_request(test_metadata(), test_client(), Secret(), std::nullopt, {}),
                codes::invalid_argument);
  auto bad_scope = build_refresh_request(test_metadata(), test_client(), refresh, std::string(" openid"), {});
  REQUIRE_ERROR(bad_scope, codes::invalid_argument);
  CHECK_NO_SECRETS(bad_scope.error(), "r3fresh-token-value");
  REQUIRE_ERROR(build_refresh_request(test_metadata(), test_client(), refresh, std::nullopt, {"no-scheme"}),
                codes::invalid_argument);
}
