#include "protocol/token_response.hpp"

#include "core/error_codes.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::json_response;

namespace {

constexpr const char* kAccess = "at-2YotnFZFEjr1zCsicMWpAA";
constexpr const char* kRefresh = "rt-tGzv3JOkF0XG5Qx2TlKWIA";
constexpr const char* kIdToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";

std::string token_body(const std::string& extra = "") {
  return std::string(R"({"access_token":")") + kAccess + R"(","token_type":"Bearer","expires_in":3600,)" +
         R"("refresh_token":")" + kRefresh + R"(","id_token":")" + kIdToken + R"(","scope":"openid profile")" +
         extra + "}";
}

// Every error must leave the tokens of the response out of its text.
void check_error(const HttpResponse& response, const char* code) {
  auto result = process_token_response(response);
  REQUIRE_ERROR(result, code);
  CHECK(result.error().blame == Blame::remote);
  CHECK(result.error().http_status == response.status);
  CHECK_NO_SECRETS(result.error(), kAccess, kRefresh, kIdToken);
}

}  // namespace

TEST_CASE("a 200 JSON token response yields its tokens", "[token-response][rfc6749]") {
  auto tokens = process_token_response(json_response(200, token_body(R"(,"unknown_member":{"x":[1]})")));
  REQUIRE_OK(tokens);
  CHECK(tokens->access_token.view() == kAccess);
  CHECK(tokens->token_type == "Bearer");
  CHECK(tokens->expires_in == std::optional<std::int64_t>(3600));
  REQUIRE(tokens->refresh_token);
  CHECK(tokens->refresh_token->view() == kRefresh);
  REQUIRE(tokens->id_token);
  CHECK(tokens->id_token->view() == kIdToken);
  CHECK(tokens->scope == std::optional<std::string>("openid profile"));
}

TEST_CASE("only access_token and token_type are required", "[token-response][rfc6749]") {
  auto tokens = process_token_response(json_response(200, R"({"access_token":"a","token_type":"bearer"})"));
  REQUIRE_OK(tokens);
  CHECK_FALSE(tokens->expires_in);
  CHECK_FALSE(tokens->refresh_token);
  CHECK_FALSE(tokens->id_token);
  CHECK_FALSE(tokens->scope);
}

TEST_CASE("token_type is Bearer or DPoP in any case, normalised", "[token-response][rfc6749][rfc9449]") {
  auto [sent, normalised] = GENERATE(table<const char*, const char*>({
      {"Bearer", "Bearer"}, {"bearer", "Bearer"}, {"BEARER", "Bearer"}, {"DPoP", "DPoP"}, {"dpop", "DPoP"}}));
  auto tokens = process_token_response(
      json_response(200, std::string(R"({"access_token":"a","token_type":")") + sent + "\"}"));
  REQUIRE_OK(tokens);
  CHECK(tokens->token_type == normalised);
}

TEST_CASE("an unknown token_type is unsupported_token_type", "[token-response][rfc6749]") {
  auto type = GENERATE(as<std::string>{}, "mac", "Bearer ", "", "N_A");
  INFO(type);
  check_error(json_response(200, std::string(R"({"access_token":")") + kAccess + R"(","token_type":")" + type + "\"}"),
              codes::unsupported_token_type);
}

TEST_CASE("the token response must be labelled application/json", "[token-response][rfc6749]") {
  REQUIRE_OK(process_token_response(json_response(200, token_body(), "application/json; charset=UTF-8")));
  REQUIRE_OK(process_token_response(json_response(200, token_body(), "Application/JSON")));
  auto type = GENERATE(as<std::string>{}, "text/html", "text/plain", "application/x-www-form-urlencoded", "");
  INFO(type);
  check_error(json_response(200, token_body(), type), codes::invalid_response);
}

TEST_CASE("a token response that is not one JSON object is invalid_response", "[token-response][rfc8259]") {
  auto body = GENERATE(as<std::string>{}, "", "access_token=abc&token_type=Bearer", "<html></html>", "[]",
                       std::string(R"({"access_token":")") + kAccess + R"(","token_type":"Bearer")");
  INFO(body);
  check_error(json_response(200, body), codes::invalid_response);
}

TEST_CASE("a token response with a repeated member is invalid_response", "[token-response][rfc8259]") {
  check_error(json_response(200, token_body(R"(,"access_token":"other")")), codes::invalid_response);
  check_error(json_response(200, token_body(R"(,"token_type":"DPoP")")), codes::invalid_response);
}

TEST_CASE("a token response without a usable access_token is invalid_response", "[token-response][rfc6749]") {
  check_error(json_response(200, R"({"token_type":"Bearer"})"), codes::invalid_response);
  check_error(json_response(200, R"({"access_token":"","token_type":"Bearer"})"), codes::invalid_response);
  check_error(json_response(200, R"({"access_token":42,"token_type":"Bearer"})"), codes::invalid_response);
  check_error(json_response(200, std::string(R"({"access_token":")") + kAccess + "\"}"), codes::invalid_response);
}

TEST_CASE("expires_in must be a non-negative integer, not a string", "[token-response][rfc6749]") {
  auto value = GENERATE(as<std::string>{}, "\"3600\"", "3600.5", "-1", "1e3", "null", "true", "99999999999999");
  INFO(value);
  check_error(json_response(200, std::string(R"({"access_token":")") + kAccess +
                                     R"(","token_type":"Bearer","refresh_token":")" + kRefresh +
                                     R"(","expires_in":)" + value + "}"),
              codes::invalid_response);
  auto zero = process_token_response(json_response(200, R"({"access_token":"a","token_type":"Bearer","expires_in":0})"));
  REQUIRE_OK(zero);
  CHECK(zero->expires_in == std::optional<std::int64_t>(0));
}

TEST_CASE("refresh_token, id_token and scope must be strings", "[token-response][rfc6749]") {
  std::string head = std::string(R"({"access_token":")") + kAccess + R"(","token_type":"Bearer",)";
  check_error(json_response(200, head + R"("refresh_token":1})"), codes::invalid_response);
  check_error(json_response(200, head + R"("refresh_token":""})"), codes::invalid_response);
  check_error(json_response(200, head + R"("id_token":{}})"), codes::invalid_response);
  check_error(json_response(200, head + R"("scope":["openid"]})"), codes::invalid_response);
  check_error(json_response(200, head + R"("scope":"openid  profile"})"), codes::invalid_response);
}

TEST_CASE("a 2 MiB token response is response_too_large", "[token-response]") {
  check_error(json_response(200, token_body(R"(,"pad":")" + std::string(2 * 1024 * 1024, 'x') + "\"")),
              codes::response_too_large);
  check_error(json_response(400, std::string(2 * 1024 * 1024, ' ') + R"({"error":"invalid_grant"})"),
              codes::response_too_large);
}

TEST_CASE("a 400 invalid_grant is passed on with the server's words", "[token-response][rfc6749]") {
  auto result = process_token_response(
      json_response(400, R"({"error":"invalid_grant","error_description":"The code has expired"})"));
  REQUIRE_ERROR(result, "invalid_grant");
  CHECK(result.error().description == "The code has expired");
  CHECK(result.error().http_status == 400);
  CHECK(result.error().blame == Blame::remote);
}

TEST_CASE("a 401 invalid_client is passed on", "[token-response][rfc6749]") {
  HttpResponse response = json_response(401, R"({"error":"invalid_client"})");
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"as\"");
  auto result = process_token_response(response);
  REQUIRE_ERROR(result, "invalid_client");
  CHECK(result.error().http_status == 401);
}

TEST_CASE("a 500 HTML page is unexpected_status and its body is not echoed", "[token-response]") {
  std::string page = std::string("<html><body>Internal error while redeeming ") + kAccess + "</body></html>";
  auto result = process_token_response(json_response(500, page, "text/html"));
  REQUIRE_ERROR(result, codes::unexpected_status);
  CHECK(result.error().description == "the token endpoint answered HTTP 500");
  CHECK(result.error().http_status == 500);
  CHECK_NO_SECRETS(result.error(), kAccess, "html");
}

TEST_CASE("a 201 or 204 is not a token response", "[token-response]") {
  check_error(json_response(201, token_body()), codes::unexpected_status);
  check_error(json_response(204, ""), codes::unexpected_status);
}
