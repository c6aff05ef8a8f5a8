#include "protocol/metadata.hpp"

#include <nlohmann/json.hpp>

#include "core/error_codes.hpp"
#include "protocol/limits.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::json_response;

namespace {

std::string document(const std::string& issuer = "https://as.example", const std::string& extra = "") {
  return R"({"issuer":")" + issuer + R"(","authorization_endpoint":")" + issuer + R"(/authorize",)" +
         R"("token_endpoint":")" + issuer + R"(/token","jwks_uri":")" + issuer + R"(/jwks")" + extra + "}";
}

}  // namespace

TEST_CASE("the discovery request is a GET of the issuer's openid-configuration", "[metadata][oidc-discovery]") {
  auto request = build_discovery_request("https://as.example");
  REQUIRE_OK(request);
  CHECK(request->method == "GET");
  CHECK(request->url == "https://as.example/.well-known/openid-configuration");
  CHECK(request->headers == HttpHeaders{{"Accept", "application/json"}});
  CHECK(request->body.empty());
}

TEST_CASE("the discovery URL drops one trailing slash and keeps the issuer's path", "[metadata][oidc-discovery]") {
  CHECK(build_discovery_request("https://as.example/")->url == "https://as.example/.well-known/openid-configuration");
  CHECK(build_discovery_request("https://as.example/tenant/1")->url ==
        "https://as.example/tenant/1/.well-known/openid-configuration");
  CHECK(build_discovery_request("http://127.0.0.1:3000")->url ==
        "http://127.0.0.1:3000/.well-known/openid-configuration");
}

TEST_CASE("an issuer must be https unless its host is loopback", "[metadata][rfc8414]") {
  auto insecure = build_discovery_request("http://as.example");
  REQUIRE_ERROR(insecure, codes::insecure_issuer);
  CHECK(insecure.error().blame == Blame::local);
  REQUIRE_OK(build_discovery_request("http://localhost:8080"));
  REQUIRE_OK(build_discovery_request("http://[::1]:8080"));
  REQUIRE_ERROR(build_discovery_request("ftp://as.example"), codes::insecure_issuer);
}

TEST_CASE("an issuer with a query, a fragment or no host is refused", "[metadata][rfc8414]") {
  REQUIRE_ERROR(build_discovery_request("https://as.example?tenant=1"), codes::invalid_argument);
  REQUIRE_ERROR(build_discovery_request("https://as.example#x"), codes::invalid_argument);
  REQUIRE_ERROR(build_discovery_request("as.example"), codes::invalid_argument);
  REQUIRE_ERROR(build_discovery_request("https://user@as.example"), codes::invalid_argument);
}

TEST_CASE("a valid discovery document yields every member we keep", "[metadata][rfc8414][oidc-discovery]") {
  std::string extra = R"(,"userinfo_endpoint":"https://as.example/me","revocation_endpoint":"https://as.example/revoke",)"
                      R"("introspection_endpoint":"https://as.example/introspect","end_session_endpoint":"https://as.example/logout",)"
                      R"("device_authorization_endpoint":"https://as.example/device",)"
                      R"("pushed_authorization_request_endpoint":"https://as.example/par",)"
                      R"("require_pushed_authorization_requests":false,)"
                      R"("authorization_response_iss_parameter_supported":true,)"
                      R"("code_challenge_methods_supported":["S256"],"dpop_signing_alg_values_supported":["ES256"],)"
                      R"("id_token_signing_alg_values_supported":["RS256","ES256"],)"
                      R"("token_endpoint_auth_methods_supported":["none"],"grant_types_supported":["authorization_code"],)"
                      R"("response_types_supported":["code"],"scopes_supported":["openid","profile"],)"
                      R"("subject_types_supported":["public"],"claims_supported":["sub"],"x_vendor":{"nested":[1]})";
  auto m = process_metadata_response(json_response(200, document("https://as.example", extra)), "https://as.example");
  REQUIRE_OK(m);
  CHECK((*m)->issuer == "https://as.example");
  CHECK((*m)->authorization_endpoint == "https://as.example/authorize");
  CHECK((*m)->token_endpoint == "https://as.example/token");
  CHECK((*m)->jwks_uri == "https://as.example/jwks");
  CHECK((*m)->userinfo_endpoint == "https://as.example/me");
  CHECK((*m)->revocation_endpoint == "https://as.example/revoke");
  CHECK((*m)->introspection_endpoint == "https://as.example/introspect");
  CHECK((*m)->end_session_endpoint == "https://as.example/logout");
  CHECK((*m)->device_authorization_endpoint == "https://as.example/device");
  CHECK((*m)->pushed_authorization_request_endpoint == "https://as.example/par");
  CHECK_FALSE((*m)->require_pushed_authorization_requests);
  CHECK((*m)->authorization_response_iss_parameter_supported);
  CHECK(*(*m)->code_challenge_methods_supported == std::vector<std::string>{"S256"});
  CHECK(*(*m)->dpop_signing_alg_values_supported == std::vector<std::string>{"ES256"});
  CHECK(*(*m)->id_token_signing_alg_values_supported == std::vector<std::string>{"RS256", "ES256"});
  CHECK(*(*m)->token_endpoint_auth_methods_supported == std::vector<std::string>{"none"});
  CHECK(*(*m)->grant_types_supported == std::vector<std::string>{"authorization_code"});
  CHECK(*(*m)->response_types_supported == std::vector<std::string>{"code"});
  CHECK(*(*m)->scopes_supported == std::vector<std::string>{"openid", "profile"});
}

TEST_CASE("absent optional members stay empty and absent flags are false", "[metadata][rfc8414]") {
  auto m = process_metadata_response(json_response(200, document()), "https://as.example");
  REQUIRE_OK(m);
  CHECK((*m)->userinfo_endpoint.empty());
  CHECK_FALSE((*m)->authorization_response_iss_parameter_supported);
  CHECK_FALSE((*m)->require_pushed_authorization_requests);
  CHECK_FALSE((*m)->code_challenge_methods_supported);
  CHECK_FALSE((*m)->scopes_supported);
}

TEST_CASE("metadata naming a different issuer is refused", "[metadata][rfc8414][mix-up]") {
  auto other = process_metadata_response(json_response(200, document("https://evil.example")), "https://as.example");
  REQUIRE_ERROR(other, codes::issuer_mismatch);
  CHECK(other.error().blame == Blame::remote);
  // Identical means identical: no normalisation of a trailing slash or of case.
  REQUIRE_ERROR(process_metadata_response(json_response(200, document("https://as.example/")), "https://as.example"),
                codes::issuer_mismatch);
  REQUIRE_ERROR(process_metadata_response(json_response(200, document("https://AS.example")), "https://as.example"),
                codes::issuer_mismatch);
}

TEST_CASE("metadata becomes the issuer's in one place, which refuses another issuer", "[metadata][rfc8414][mix-up]") {
  // The builders take IssuerMetadata: none compares issuers again.
  auto same = IssuerMetadata::of_issuer(oauth::test::test_server_metadata(), "https://as.example");
  REQUIRE_OK(same);
  CHECK((*same)->issuer == "https://as.example");
  auto other = IssuerMetadata::of_issuer(oauth::test::test_server_metadata(), "https://other.example");
  REQUIRE_ERROR(other, codes::issuer_mismatch);
  CHECK(other.error().blame == Blame::remote);
  CHECK(other.error().description ==
        "the discovery document names issuer \"https://as.example\", expected \"https://other.example\"");
  REQUIRE_ERROR(IssuerMetadata::of_issuer(oauth::test::test_server_metadata(), "https://as.example/"),
                codes::issuer_mismatch);
}

// A server's text in an error holds no controls (as RFC 6749 §5.2 keeps them out of error_description).
TEST_CASE("a mismatched issuer is quoted in the error only when it is short printable text", "[metadata][rfc8414]") {
  for (const char* issuer : {"https://evil.example", "https://\xC3\xA4vil.example/\xC3\xA9"}) {
    auto plain = process_metadata_response(json_response(200, document(issuer)), "https://as.example");
    REQUIRE_ERROR(plain, codes::issuer_mismatch);
    CHECK(plain.error().description.find(std::string("\"") + issuer + "\"") != std::string::npos);
  }
  for (const char* issuer : {R"(https://evil.example/\n[ok] logged in)", R"(https://evil.example/\u001b[2J)",
                             R"(https://evil.example/\u009b2J)", R"(https://evil.example/\")"}) {
    auto hidden = process_metadata_response(json_response(200, document(issuer)), "https://as.example");
    REQUIRE_ERROR(hidden, codes::issuer_mismatch);
    CHECK(hidden.error().description.find("evil") == std::string::npos);
  }
}

TEST_CASE("metadata over http for a non-loopback host is refused", "[metadata][rfc8414]") {
  auto insecure = process_metadata_response(json_response(200, document("http://as.example")), "http://as.example");
  REQUIRE_ERROR(insecure, codes::insecure_issuer);
  REQUIRE_OK(process_metadata_response(json_response(200, document("http://127.0.0.1:3000")), "http://127.0.0.1:3000"));
}

TEST_CASE("a discovery answer other than 200 is unexpected_status", "[metadata][rfc8414]") {
  auto e = process_metadata_response(json_response(404, "<html>not found</html>", "text/html"), "https://as.example");
  REQUIRE_ERROR(e, codes::unexpected_status);
  CHECK(e.error().http_status == 404);
  CHECK(e.error().description.find("404") != std::string::npos);
  CHECK(e.error().description.find("html") == std::string::npos);
}

TEST_CASE("a discovery document over 1 MiB is response_too_large", "[metadata]") {
  std::string big = document("https://as.example", R"(,"padding":")" + std::string(2 * 1024 * 1024, 'x') + "\"");
  REQUIRE_ERROR(process_metadata_response(json_response(200, big), "https://as.example"), codes::response_too_large);
  auto padded = [](std::size_t n) {
    return document("https://as.example", R"(,"padding":")" + std::string(n, 'x') + "\"");
  };
  std::string at_limit = padded(kMaxResponseBodyBytes - padded(0).size());
  REQUIRE(at_limit.size() == kMaxResponseBodyBytes);
  REQUIRE_OK(process_metadata_response(json_response(200, at_limit), "https://as.example"));
  REQUIRE_ERROR(process_metadata_response(json_response(200, at_limit + " "), "https://as.example"),
                codes::response_too_large);
}

TEST_CASE("a discovery document that is not one JSON object is invalid_metadata", "[metadata][rfc8259]") {
  auto body = GENERATE(as<std::string>{}, "", "not json", "[]", R"({"issuer":"https://as.example")",
                       R"({"issuer":"https://as.example","issuer":"https://as.example","token_endpoint":"https://as.example/t"})",
                       R"({"issuer":"https://evil.example","token_endpoint":"https://as.example/t","issuer":"https://as.example"})");
  INFO(body);
  REQUIRE_ERROR(process_metadata_response(json_response(200, body), "https://as.example"), codes::invalid_metadata);
}

TEST_CASE("endpoints must be absolute https URLs without a fragment", "[metadata][rfc8414]") {
  auto [member, value] = GENERATE(table<const char*, const char*>({
      {"token_endpoint", "http://as.example/token"},
      {"token_endpoint", "/token"},
      {"token_endpoint", "https://as.example/token#f"},
      {"authorization_endpoint", "https://user@as.example/authorize"},
      {"jwks_uri", "javascript:alert(1)"},
      {"userinfo_endpoint", ""},
      {"revocation_endpoint", "http://as.example/revoke"},
      {"end_session_endpoint", "https://as.example/logout#x"},
      {"device_authorization_endpoint", "as.example/device"},
      {"pushed_authorization_request_endpoint", "http://10.0.0.1/par"},
      {"introspection_endpoint", "https://as example/"},
  }));
  INFO(member << " = " << value);
  nlohmann::json doc = nlohmann::json::parse(document());
  doc[member] = value;
  auto m = process_metadata_response(json_response(200, doc.dump()), "https://as.example");
  REQUIRE_ERROR(m, codes::invalid_metadata);
  CHECK(m.error().description.find(member) != std::string::npos);
}

TEST_CASE("endpoints may keep a query and may be http to a loopback host", "[metadata][rfc8414]") {
  std::string body = R"({"issuer":"https://as.example","token_endpoint":"http://localhost:9000/token?tenant=a"})";
  auto m = process_metadata_response(json_response(200, body), "https://as.example");
  REQUIRE_OK(m);
  CHECK((*m)->token_endpoint == "http://localhost:9000/token?tenant=a");
  CHECK((*m)->authorization_endpoint.empty());
}

TEST_CASE("members of the wrong type are invalid_metadata naming the member", "[metadata][rfc8414]") {
  auto [member, json_value] = GENERATE(table<const char*, const char*>({
      {"issuer", "42"},
      {"token_endpoint", "[\"https://as.example/token\"]"},
      {"jwks_uri", "null"},
      {"code_challenge_methods_supported", "\"S256\""},
      {"scopes_supported", "[\"openid\", 7]"},
      {"require_pushed_authorization_requests", "\"true\""},
      {"authorization_response_iss_parameter_supported", "1"},
      {"grant_types_supported", "{}"},
  }));
  INFO(member << " = " << json_value);
  nlohmann::json doc = nlohmann::json::parse(document());
  doc[member] = nlohmann::json::parse(json_value);
  auto m = process_metadata_response(json_response(200, doc.dump()), "https://as.example");
  REQUIRE_ERROR(m, codes::invalid_metadata);
  CHECK(m.error().description.find(member) != std::string::npos);
}

TEST_CASE("metadata without issuer or token_endpoint is invalid_metadata", "[metadata][rfc8414]") {
  REQUIRE_ERROR(process_metadata_response(json_response(200, R"({"token_endpoint":"https://as.example/t"})"),
                                          "https://as.example"),
                codes::invalid_metadata);
  auto no_token = process_metadata_response(json_response(200, R"({"issuer":"https://as.example"})"),
                                            "https://as.example");
  REQUIRE_ERROR(no_token, codes::invalid_metadata);
  CHECK(no_token.error().description.find("token_endpoint") != std::string::npos);
}

TEST_CASE("PKCE is refused only when the server lists methods without S256", "[metadata][pkce][rfc9700]") {
  ServerMetadata m = oauth::test::test_server_metadata();
  m.code_challenge_methods_supported.reset();
  REQUIRE_OK(check_pkce_s256_supported(m));  // absent: allowed (see metadata.hpp)
  m.code_challenge_methods_supported = std::vector<std::string>{"plain", "S256"};
  REQUIRE_OK(check_pkce_s256_supported(m));
  m.code_challenge_methods_supported = std::vector<std::string>{"plain"};
  REQUIRE_ERROR(check_pkce_s256_supported(m), codes::pkce_not_supported);
  m.code_challenge_methods_supported = std::vector<std::string>{"s256"};
  REQUIRE_ERROR(check_pkce_s256_supported(m), codes::pkce_not_supported);
  m.code_challenge_methods_supported = std::vector<std::string>{};
  REQUIRE_ERROR(check_pkce_s256_supported(m), codes::pkce_not_supported);
}
