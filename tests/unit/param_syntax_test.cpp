#include "protocol/param_syntax.hpp"

#include "support.hpp"

using namespace oauth;

TEST_CASE("a scope is single-space-separated tokens of NQCHAR", "[params][rfc6749]") {
  CHECK(is_valid_scope("openid"));
  CHECK(is_valid_scope("openid profile https://api.example/read"));
  CHECK(is_valid_scope("!#[]~"));
  CHECK_FALSE(is_valid_scope(""));
  CHECK_FALSE(is_valid_scope(" openid"));
  CHECK_FALSE(is_valid_scope("openid "));
  CHECK_FALSE(is_valid_scope("openid  profile"));
  CHECK_FALSE(is_valid_scope("open\"id"));
  CHECK_FALSE(is_valid_scope("open\\id"));
  CHECK_FALSE(is_valid_scope("openid\tprofile"));
  CHECK_FALSE(is_valid_scope("caf\xc3\xa9"));
}

TEST_CASE("scope tokens are matched whole", "[params][rfc6749]") {
  CHECK(scope_has_token("openid", "openid"));
  CHECK(scope_has_token("profile openid email", "openid"));
  CHECK(scope_has_token("profile openid", "openid"));
  CHECK_FALSE(scope_has_token("openidx profile", "openid"));
  CHECK_FALSE(scope_has_token("xopenid", "openid"));
  CHECK_FALSE(scope_has_token("", "openid"));
}

TEST_CASE("a resource is an absolute URI without a fragment", "[params][rfc8707]") {
  CHECK(is_valid_resource("https://api.example/"));
  CHECK(is_valid_resource("https://api.example/v1?x=1"));
  CHECK(is_valid_resource("urn:example:api"));
  CHECK_FALSE(is_valid_resource("https://api.example/#frag"));
  CHECK_FALSE(is_valid_resource("/relative"));
  CHECK_FALSE(is_valid_resource("api.example"));
  CHECK_FALSE(is_valid_resource("https:"));
  CHECK_FALSE(is_valid_resource("https://api.example/a b"));
  CHECK_FALSE(is_valid_resource(""));
  // RFC 3986 §2: only URI characters, and well-formed percent-encodings.
  CHECK(is_valid_resource("https://api.example/a%20b/~user;v=1?q=(x)&r=[y]!$'*+,@"));
  for (const char* outside : {"<", ">", "{", "}", "|", "^", "`", "\\", "\"", "\x7f", "\xc3\xa9"}) {
    INFO(outside);
    CHECK_FALSE(is_valid_resource(std::string("https://api.example/") + outside));
  }
  CHECK_FALSE(is_valid_resource("https://api.example/%zz"));
  CHECK_FALSE(is_valid_resource("https://api.example/%2"));
  CHECK_FALSE(is_valid_resource("https://api.example/%"));
}

TEST_CASE("error, error_description and error_uri keep to their character sets", "[params][rfc6749]") {
  CHECK(is_valid_error_code("access_denied"));
  CHECK(is_valid_error_code("a b!"));
  CHECK_FALSE(is_valid_error_code(""));
  CHECK_FALSE(is_valid_error_code("bad\"quote"));
  CHECK_FALSE(is_valid_error_code("back\\slash"));
  CHECK_FALSE(is_valid_error_code("new\nline"));
  CHECK_FALSE(is_valid_error_code("caf\xc3\xa9"));
  CHECK(is_valid_error_description("The user said no."));
  CHECK_FALSE(is_valid_error_description("<script>\"x\"</script>"));
  CHECK(is_valid_error_uri("https://as.example/errors/denied"));
  CHECK_FALSE(is_valid_error_uri("https://as.example/a b"));
}
