#include "crypto/base64url.hpp"

#include "core/error_codes.hpp"
#include "support.hpp"

using namespace oauth;

TEST_CASE("base64url encodes without padding (RFC 4648 §10 vectors)", "[base64url][rfc4648]") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("foob") == "Zm9vYg");
  CHECK(base64url_encode("fooba") == "Zm9vYmE");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
  CHECK(base64url_encode(std::string("\xfb\xff\xbf", 3)) == "-_-_");
}

TEST_CASE("standard base64 pads for HTTP Basic", "[base64]") {
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode(std::string("\xfb\xff\xbf", 3)) == "+/+/");
}

TEST_CASE("base64url round-trips every length and byte value", "[base64url]") {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes += static_cast<char>((i * 37 + 11) & 0xFF);
    auto decoded = base64url_decode(base64url_encode(bytes));
    REQUIRE_OK(decoded);
    REQUIRE(*decoded == bytes);
  }
}

TEST_CASE("base64url decoding rejects malformed text", "[base64url]") {
  auto [text, why] = GENERATE(table<const char*, const char*>({
      {"Zg==", "padding"},
      {"Zm8=", "padding"},
      {"Zm9v+g", "standard alphabet +"},
      {"Zm9v/g", "standard alphabet /"},
      {"Zm 9v", "space"},
      {"Zm9v\n", "newline"},
      {"Z", "impossible length 1"},
      {"Zm9vY", "impossible length 5"},
      {"Zh", "non-zero trailing bits"},
      {"Zm9", "non-zero trailing bits (2 bytes)"},
  }));
  INFO(why);
  REQUIRE_ERROR(base64url_decode(text), codes::invalid_encoding);
}

TEST_CASE("base64url decoding rejects a NUL inside the text", "[base64url]") {
  REQUIRE_ERROR(base64url_decode(std::string("Zm\0v", 4)), codes::invalid_encoding);
}
