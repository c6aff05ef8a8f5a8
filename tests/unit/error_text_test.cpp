#include "core/error_text.hpp"

#include <cstring>
#include <string>

#include "support.hpp"

using namespace oauth;

// The key the compiler computes for a marker and the one the page computes from the table's texts
// (web/error-texts-write.mjs, scripts/error-texts.mjs) must agree: the same vectors as
// tests/node/error-texts.test.mjs.
TEST_CASE("a text's marker is \\x01 and the 6 hex digits of its FNV-1a hash folded to 24 bits") {
  STATIC_REQUIRE(text::fnv1a("", 0) == 0x811c9dc5u);
  STATIC_REQUIRE(text::fnv1a("a", 1) == 0xe40c292cu);
  STATIC_REQUIRE(text::fnv1a("foobar", 6) == 0xbf9cf968u);
  STATIC_REQUIRE(text::key("a", 1) == 0x0c29c8u);  // 0x0c292c ^ 0xe4
  CHECK(std::string(text::Marker<text::key("a", 1)>::value) == "\x01" "0c29c8");
  CHECK(std::string(text::Marker<text::key("foobar", 6)>::value) == "\x01" "9cf9d7");
  CHECK(std::string(text::Marker<0x00000fu>::value) == "\x01" "00000f");
  // UTF-8 bytes, as the generator reads them.
  CHECK(std::string(text::Marker<text::key("RFC 8414 \xc2\xa7" "2", 12)>::value) == "\x01" "6020e3");
}

TEST_CASE("OAUTH_TEXT is the literal itself outside the browser's module") {
  CHECK(std::strcmp(OAUTH_TEXT("the issuer is not an absolute URL"), "the issuer is not an absolute URL") == 0);
  CHECK(std::strcmp(OAUTH_TEXT("a " "b"), "a b") == 0);
}
