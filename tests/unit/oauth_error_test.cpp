#include "protocol/oauth_error.hpp"

#include "core/error_codes.hpp"
#include "json/json_write.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::json_response;

TEST_CASE("an RFC 6749 error response keeps the server's error, description and uri", "[oauth-error][rfc6749]") {
  Error e = process_error_response(
      json_response(400, R"({"error":"invalid_request","error_description":"Missing parameter: code",)"
                         R"("error_uri":"https://as.example/docs/errors#invalid_request","extra":1})"),
      "the token endpoint");
  CHECK(e.code == "invalid_request");
  CHECK(e.description == "Missing parameter: code");
  CHECK(e.uri == "https://as.example/docs/errors#invalid_request");
  CHECK(e.blame == Blame::remote);
  CHECK(e.http_status == 400);
}

TEST_CASE("an error body is read whatever its Content-Type says", "[oauth-error][rfc6749]") {
  Error e = process_error_response(json_response(400, R"({"error":"invalid_grant"})", "text/plain"), "the token endpoint");
  CHECK(e.code == "invalid_grant");
  CHECK(e.description.empty());
  Error server = process_error_response(json_response(503, R"({"error":"temporarily_unavailable"})"), "x");
  CHECK(server.code == "temporarily_unavailable");
  CHECK(server.http_status == 503);
}

TEST_CASE("a description or uri outside the allowed characters is dropped", "[oauth-error][rfc6749]") {
  Error e = process_error_response(
      json_response(400, R"({"error":"invalid_grant","error_description":"line\nbreak \"quoted\"",)"
                         R"("error_uri":"https://as.example/a b"})"),
      "the token endpoint");
  CHECK(e.code == "invalid_grant");
  CHECK(e.description.empty());
  CHECK(e.uri.empty());
  Error typed = process_error_response(
      json_response(400, R"({"error":"invalid_grant","error_description":7,"error_uri":["x"]})"), "the token endpoint");
  CHECK(typed.code == "invalid_grant");
  CHECK(typed.description.empty());
}

// The browser's page writes "\x01" and 6 hex digits as one of our own texts (src/core/error_text.hpp):
// the RFC 6749 §5.2 characters leave a server no way to write a marker into a description.
TEST_CASE("a server's description cannot carry a text marker", "[oauth-error][rfc6749]") {
  Error e = process_error_response(
      json_response(400, concat({R"({"error":"invalid_grant","error_description":)", json_string("\x01" "a97f4e x"), "}"})),
      "the token endpoint");
  CHECK(e.code == "invalid_grant");
  CHECK(e.description.empty());
}

TEST_CASE("an error_uri that is not an https URL is dropped: the app may render it as a link", "[oauth-error][rfc6749]") {
  for (const char* uri : {"javascript:alert(1)", "data:text/html,<b>x</b>", "http://as.example/errors", "/errors/x",
                          "https://user@as.example/e"}) {
    CAPTURE(uri);
    Error e = process_error_response(
        json_response(400, concat({R"({"error":"invalid_grant","error_uri":)", json_string(uri), "}"})), "the token endpoint");
    CHECK(e.code == "invalid_grant");
    CHECK(e.uri.empty());
  }
  Error loopback = process_error_response(
      json_response(400, R"({"error":"invalid_grant","error_uri":"http://127.0.0.1:8080/e"})"), "the token endpoint");
  CHECK(loopback.uri == "http://127.0.0.1:8080/e");
}

TEST_CASE("anything that is not an OAuth error is unexpected_status naming only the status", "[oauth-error]") {
  auto [status, body] = GENERATE(table<int, const char*>({
      {500, "<html><body>oops secret-token-123</body></html>"},
      {502, ""},
      {400, R"({"error":42,"note":"secret-token-123"})"},
      {400, R"({"error":"bad\"code","note":"secret-token-123"})"},
      {400, R"({"error":"","note":"secret-token-123"})"},
      {400, R"({"message":"secret-token-123"})"},
      {400, R"({"error":"invalid_grant","error":"invalid_client"})"},
      {400, R"(["secret-token-123"])"},
      {302, R"({"error":"invalid_grant"})"},
      {200, R"({"error":"invalid_grant"})"},
  }));
  INFO(status << " " << body);
  Error e = process_error_response(json_response(status, body), "the token endpoint");
  CHECK(e.code == codes::unexpected_status);
  CHECK(e.description == "the token endpoint answered HTTP " + std::to_string(status));
  CHECK(e.http_status == status);
  CHECK(e.blame == Blame::remote);
  CHECK_NO_SECRETS(e, "secret-token-123");
}

TEST_CASE("an error body over 1 MiB is response_too_large", "[oauth-error]") {
  Error e = process_error_response(json_response(400, std::string(2 * 1024 * 1024, 'x')), "the token endpoint");
  CHECK(e.code == codes::response_too_large);
  CHECK(e.http_status == 400);
}
