#include "session/settings.hpp"

#include <string>

#include "core/error_codes.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

std::string settings_with(const std::string& member, const std::string& uri) {
  std::string json = R"({"issuer":"https://as.example.test","clientId":"c")";
  if (member != "redirectUri") json += R"(,"redirectUri":"https://app.example.test/cb")";
  return json + ",\"" + member + "\":\"" + uri + "\"}";
}

}  // namespace

TEST_CASE("every redirect URI a login may name is checked once, at create", "[session][rfc6749][rfc8252]") {
  auto member = GENERATE(as<std::string>{}, "redirectUri", "popupRedirectUri", "silentRedirectUri");
  INFO(member);
  for (const char* good : {"https://app.example.test/other", "http://127.0.0.1:5173/callback",
                           "http://localhost:8080/cb?x=1"}) {
    INFO(good);
    REQUIRE_OK(parse_client_settings(settings_with(member, good)));
  }
  for (const char* bad : {"https://app.example.test/cb#x", "http://app.example.test/cb", "/cb",
                          "https://user@app.example.test/cb", "not a url"}) {
    INFO(bad);
    auto refused = parse_client_settings(settings_with(member, bad));
    REQUIRE_ERROR(refused, codes::invalid_argument);
    CHECK(refused.error().blame == Blame::local);
    const std::string named = member == "redirectUri" ? "redirect_uri" : member;
    CHECK(refused.error().description ==
          named + " must be an https URL (http only to a loopback host) without a fragment");
  }
}

TEST_CASE("a client without a redirect URI is made: grants without a browser need none", "[session]") {
  auto settings = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"c"})");
  REQUIRE_OK(settings);
  CHECK(settings->client.redirect_uri.empty());
  CHECK_FALSE(settings->allows_redirect_uri(""));
}
