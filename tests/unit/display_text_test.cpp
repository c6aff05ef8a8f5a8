#include "protocol/display_text.hpp"

#include <string>

#include "support.hpp"

using namespace oauth;

TEST_CASE("displayable text: letters of any script, punctuation and spaces pass", "[display]") {
  CHECK(is_displayable_text("WDJB-MJHT"));
  CHECK(is_displayable_text("https://as.example/device?user_code=WDJB"));
  CHECK(is_displayable_text("ÄÖÜ ЖЯ 東京 “quoted”"));
  CHECK(is_displayable_text("a\u00a0b"));  // U+00A0 (0xC2 0xA0), the first character after C1
  CHECK(is_displayable_text(""));
}

TEST_CASE("displayable text: C0, DEL and C1 controls are refused", "[display]") {
  for (const std::string& text : {std::string("a\x1b[2J"), std::string("a\nb"), std::string("a\x7f"), std::string("a\0b", 3),
                                  std::string("a\xc2\x9b" "2J"), std::string("a\xc2\x80"), std::string("a\xc2\x9f")}) {
    CAPTURE(text);
    CHECK_FALSE(is_displayable_text(text));
  }
}

TEST_CASE("displayable text: bidirectional formatting characters are refused (CVE-2021-42574)", "[display]") {
  for (const char* text : {"WDJB-\u202eTHJM", "a\u202ab", "a\u202cb", "a\u2066b", "a\u2069b", "a\u200eb", "a\u200fb", "a\u061cb"}) {
    CAPTURE(text);
    CHECK_FALSE(is_displayable_text(text));
  }
  // Their neighbours are ordinary characters.
  for (const char* text : {"a\u2010b", "a\u2065b", "a\u2070b", "a\u202fb", "a\u200db", "a\u061bb"}) {
    CAPTURE(text);
    CHECK(is_displayable_text(text));
  }
}
