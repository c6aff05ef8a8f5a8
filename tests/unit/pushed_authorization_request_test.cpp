#include "protocol/pushed_authorization_request.hpp"

#include "core/error_codes.hpp"
#include <initializer_list>

#include "protocol/client_auth.hpp"
#include "protocol/url.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::json_response;

namespace {

constexpr const char* kRequestUri = "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c";

Result<std::string> process(const HttpResponse& response) {
  ServerMetadata metadata = test::test_server_metadata();
  metadata.pushed_authorization_request_endpoint = "https://as.example/par";
  return process_pushed_authorization_response(response, test::issuer_metadata(metadata), test::test_client());
}

}  // namespace

TEST_CASE("a 201 pushed authorization response gives the URL with client_id and request_uri only",
          "[par][rfc9126]") {
  auto url = process(json_response(201, std::string(R"({"request_uri":")") + kRequestUri + R"(","expires_in":60})"));
  REQUIRE_OK(url);
  CHECK(test::query_param(*url, "client_id") == "spa-client");
  CHECK(test::query_param(*url, "request_uri") == kRequestUri);
  CHECK(test::query_values(*url, "scope").empty());
}

// Found by tests/fuzz/fuzz_par_response.cpp: errors about the body of a 200 said 201, and those
// of the JSON reader and the member checks said no status at all.
TEST_CASE("errors about a 200 or 201 pushed authorization response carry its status", "[par][rfc9126]") {
  const std::string good_uri = std::string(R"("request_uri":")") + kRequestUri + "\"";
  for (int status : {200, 201}) {
    INFO("status " << status);
    for (const HttpResponse& response : {
             json_response(status, "{" + good_uri + R"(,"expires_in":60})", "text/html"),  // not JSON
             json_response(status, "{" + good_uri + R"(,"expires_in":60)"),                // cut short
             json_response(status, R"({"expires_in":60})"),                                // no request_uri
             json_response(status, R"({"request_uri":"a b","expires_in":60})"),            // not visible ASCII
             json_response(status, "{" + good_uri + R"(,"expires_in":"60"})"),             // a string
             json_response(status, "{" + good_uri + R"(,"expires_in":0})"),                // not positive
         }) {
      INFO(response.body);
      auto url = process(response);
      REQUIRE_FALSE(url.ok());
      CHECK(url.error().code == codes::invalid_response);
      CHECK(url.error().blame == Blame::remote);
      CHECK(url.error().http_status == status);
      CHECK_NO_SECRETS(url.error(), kRequestUri);
    }
  }
}

// Found by the backend-for-frontend tests: oidc-provider refused a push authenticated with
// client_secret_basic, whose form had lost client_id (it is an authorization request parameter,
// RFC 6749 §4.1.1, pushed as such, RFC 9126 §2.1).
TEST_CASE("a pushed authorization request carries client_id exactly once, whatever the client authentication",
          "[par][rfc9126]") {
  ServerMetadata metadata = test::test_server_metadata();
  metadata.pushed_authorization_request_endpoint = "https://as.example/par";
  auto basic = ClientAuth::client_secret_basic(Secret(std::string("s3cret")));
  REQUIRE_OK(basic);
  auto post = ClientAuth::client_secret_post(Secret(std::string("s3cret")));
  REQUIRE_OK(post);
  const ClientAuth none = ClientAuth::none();
  for (const ClientAuth* auth : std::initializer_list<const ClientAuth*>{&none, &*basic, &*post}) {
    auto pushed = build_pushed_authorization_request(test::issuer_metadata(metadata), test::test_client(),
                                                     AuthorizationOptions{}, 1000, *auth);
    REQUIRE_OK(pushed);
    std::size_t count = 0;
    std::size_t at = 0;
    const std::string& body = pushed->request.body;
    while ((at = body.find("client_id=spa-client", at)) != std::string::npos) {
      if (at == 0 || body[at - 1] == '&') ++count;
      at += 1;
    }
    CHECK(count == 1);
  }
}
