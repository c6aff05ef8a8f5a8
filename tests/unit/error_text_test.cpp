#include "core/error_text.hpp"

#include <cstring>
#include <string>

#include "support.hpp"

using namespace oauth;

// The hash the compiler computes for a marker and the one scripts/error-texts.mjs keys the page's
// table by must agree: the same FNV-1a vectors as tests/node/error-texts.test.mjs.
TEST_CASE("a text's marker is \\x01 and the 8 hex digits of its 32-bit FNV-1a hash") {
  STATIC_REQUIRE(text::fnv1a("", 0) == 0x811c9dc5u);
  STATIC_REQUIRE(text::fnv1a("a", 1) == 0xe40c292cu);
  STATIC_REQUIRE(text::fnv1a("foobar", 6) == 0xbf9cf968u);
  CHECK(std::string(text::Marker<text::fnv1a("a", 1)>::value) == "\x01" "e40c292c");
  CHECK(std::string(text::Marker<0x0000000fu>::value) == "\x01" "0000000f");
  // UTF-8 bytes, as the generator reads them.
  CHECK(std::string(text::Marker<text::fnv1a("RFC 8414 \xc2\xa7" "2", 12)>::value) ==
        "\x01" + std::string("036020e0"));
}

TEST_CASE("OAUTH_TEXT is the literal itself outside the browser's module") {
  CHECK(std::strcmp(OAUTH_TEXT("the issuer is not an absolute URL"), "the issuer is not an absolute URL") == 0);
  CHECK(std::strcmp(OAUTH_TEXT("a " "b"), "a b") == 0);
}
