#include "protocol/dpop_nonce_cache.hpp"

#include "protocol/www_authenticate.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

HttpResponse with_nonce(int status, std::string nonce, HttpHeaders extra = {}) {
  extra.emplace_back("dpop-nonce", std::move(nonce));
  return HttpResponse(status, std::move(extra), "");
}

}  // namespace

TEST_CASE("invalid_token counts only as a Bearer or DPoP challenge's error", "[www-authenticate][rfc6750]") {
  CHECK(is_invalid_token_challenge(R"(Bearer error="invalid_token", error_description="revoked")"));
  CHECK(is_invalid_token_challenge(R"(DPoP algs="ES256", error=invalid_token)"));
  CHECK(is_invalid_token_challenge(R"(Basic realm="x", bearer error="invalid_token")"));
  CHECK_FALSE(is_invalid_token_challenge(R"(Bearer realm="see error=invalid_token")"));
  CHECK_FALSE(is_invalid_token_challenge(R"(Basic error=invalid_token)"));
  CHECK_FALSE(is_invalid_token_challenge(R"(Bearer error="insufficient_scope", DPoP error="use_dpop_nonce")"));
  CHECK_FALSE(is_invalid_token_challenge(R"(Bearer error="invalid_token_x")"));
  CHECK_FALSE(is_invalid_token_challenge(""));
}

TEST_CASE("a nonce is remembered for the response's origin only", "[dpop][rfc9449]") {
  DpopNonceCache cache;
  CHECK(cache.observe("https://as.example/token", with_nonce(400, "n-as")));
  CHECK(cache.nonce_for("https://as.example/other?x") == "n-as");
  CHECK(cache.nonce_for("HTTPS://AS.EXAMPLE:443/par") == "n-as");
  CHECK(cache.nonce_for("https://api.example/me").empty());
  CHECK(cache.nonce_for("https://as.example:8443/token").empty());
}

TEST_CASE("a new nonce from an origin replaces the old one", "[dpop][rfc9449]") {
  DpopNonceCache cache;
  CHECK(cache.observe("https://as.example/token", with_nonce(400, "first")));
  CHECK(cache.observe("https://as.example/token", with_nonce(200, "second")));
  CHECK(cache.nonce_for("https://as.example/token") == "second");
  CHECK(cache.size() == 1);
}

TEST_CASE("a response without a valid nonce keeps the old one", "[dpop][rfc9449]") {
  DpopNonceCache cache;
  CHECK(cache.observe("https://as.example/token", with_nonce(400, "kept")));
  CHECK_FALSE(cache.observe("https://as.example/token", HttpResponse(200, {}, "")));
  CHECK_FALSE(cache.observe("https://as.example/token", with_nonce(200, "has space")));
  CHECK_FALSE(cache.observe("https://as.example/token", with_nonce(200, "")));
  CHECK(cache.nonce_for("https://as.example/token") == "kept");
}

TEST_CASE("the nonce cache holds a bounded number of origins, dropping the oldest", "[dpop][rfc9449]") {
  DpopNonceCache cache;
  for (std::size_t i = 0; i <= kMaxDpopNonceOrigins; ++i)
    CHECK(cache.observe("https://host" + std::to_string(i) + ".example/", with_nonce(200, "n" + std::to_string(i))));
  CHECK(cache.size() == kMaxDpopNonceOrigins);
  CHECK(cache.nonce_for("https://host0.example/").empty());
  CHECK(cache.nonce_for("https://host1.example/") == "n1");
  CHECK(cache.nonce_for("https://host" + std::to_string(kMaxDpopNonceOrigins) + ".example/") ==
        "n" + std::to_string(kMaxDpopNonceOrigins));
}

TEST_CASE("a 400 use_dpop_nonce is the token endpoint's nonce demand", "[dpop][rfc9449]") {
  HttpHeaders json_type = {{"Content-Type", "application/json"}};
  CHECK(is_token_endpoint_nonce_demand(HttpResponse(400, json_type, R"({"error":"use_dpop_nonce"})")));
  CHECK_FALSE(is_token_endpoint_nonce_demand(HttpResponse(400, json_type, R"({"error":"invalid_grant"})")));
  CHECK_FALSE(is_token_endpoint_nonce_demand(HttpResponse(401, json_type, R"({"error":"use_dpop_nonce"})")));
  CHECK_FALSE(is_token_endpoint_nonce_demand(HttpResponse(400, json_type, "not json")));
}

TEST_CASE("a 401 with a DPoP use_dpop_nonce challenge is the resource's nonce demand", "[dpop][rfc9449]") {
  auto challenge = [](int status, std::string value) {
    return HttpResponse(status, {{"WWW-Authenticate", std::move(value)}}, "");
  };
  CHECK(is_resource_nonce_demand(challenge(401, R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof")")));
  CHECK(is_resource_nonce_demand(challenge(401, R"(Bearer realm="api", DPoP algs="ES256", error="use_dpop_nonce")")));
  CHECK(is_resource_nonce_demand(challenge(401, R"(dpop ERROR=use_dpop_nonce)")));
  CHECK_FALSE(is_resource_nonce_demand(challenge(401, R"(Bearer error="use_dpop_nonce")")));
  CHECK_FALSE(is_resource_nonce_demand(challenge(401, R"(DPoP error="invalid_token")")));
  CHECK_FALSE(is_resource_nonce_demand(challenge(403, R"(DPoP error="use_dpop_nonce")")));
  CHECK_FALSE(is_resource_nonce_demand(HttpResponse(401, {}, "")));
}

TEST_CASE("WWW-Authenticate challenges are split into schemes and parameters", "[rfc9110]") {
  auto c = parse_www_authenticate(R"(Basic realm="a, b", Bearer, DPoP algs="ES256 PS256", error="x\"y" , Negotiate abc+/==)");
  REQUIRE(c.size() == 4);
  CHECK(c[0].scheme == "Basic");
  REQUIRE(c[0].params.size() == 1);
  CHECK(c[0].params[0].second == "a, b");
  CHECK(c[1].scheme == "Bearer");
  CHECK(c[1].params.empty());
  CHECK(c[2].scheme == "DPoP");
  REQUIRE(c[2].params.size() == 2);
  CHECK(c[2].params[0] == std::make_pair(std::string("algs"), std::string("ES256 PS256")));
  CHECK(c[2].params[1] == std::make_pair(std::string("error"), std::string("x\"y")));
  CHECK(c[3].scheme == "Negotiate");
  CHECK(challenge_param(c, "dpop", "ERROR") == std::optional<std::string>("x\"y"));
  CHECK_FALSE(challenge_param(c, "Bearer", "error"));
}

TEST_CASE("a malformed challenge list yields only what was well formed", "[rfc9110]") {
  CHECK(parse_www_authenticate(R"(DPoP error="unterminated)").empty());
  auto c = parse_www_authenticate(R"(Bearer error="a", DPoP error=@bad)");
  REQUIRE(c.size() == 1);
  CHECK(c[0].scheme == "Bearer");
  CHECK(parse_www_authenticate("").empty());
  CHECK(parse_www_authenticate(" , ,").empty());
}

TEST_CASE("a quoted-string with a control character is malformed; a tab is text", "[rfc9110]") {
  CHECK(parse_www_authenticate("DPoP error=\"a\x01b\"").empty());
  CHECK(parse_www_authenticate("DPoP error=\"a\\\x01b\"").empty());  // not even as a quoted-pair
  auto c = parse_www_authenticate("Bearer error=\"a\", DPoP error=\"x\x7fy\"");
  REQUIRE(c.size() == 1);
  CHECK(c[0].scheme == "Bearer");
  c = parse_www_authenticate("DPoP error=\"a\tb\", nonce=\"\xc3\xa9\"");
  REQUIRE(c.size() == 1);
  REQUIRE(c[0].params.size() == 2);
  CHECK(c[0].params[0].second == "a\tb");
  CHECK(c[0].params[1].second == "\xc3\xa9");  // obs-text passes as bytes
}
