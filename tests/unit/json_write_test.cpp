#include "json/json_write.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

constexpr JsonSource kLocal{codes::invalid_argument, Blame::local, "the written document"};
const std::string fffd = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Reads back what json_string wrote, through the core's own strict parser.
std::string read_back(std::string_view written) {
  auto doc = parse_json_object("{\"v\":" + std::string(written) + "}", 4096, kLocal);
  INFO(written);
  REQUIRE_OK(doc);
  auto v = require_string(*doc, "v");
  REQUIRE_OK(v);
  return *v;
}

}  // namespace

TEST_CASE("json_string quotes plain text unchanged", "[json][rfc8259]") {
  CHECK(json_string("") == R"("")");
  CHECK(json_string("https://as.example/cb?x=1") == R"("https://as.example/cb?x=1")");
}

TEST_CASE("json_string escapes quotes, backslashes and every control character", "[json][rfc8259]") {
  CHECK(json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_string("\n") == R"("\u000a")");
  CHECK(json_string(std::string("\0", 1)) == R"("\u0000")");
  CHECK(json_string("\x1f") == R"("\u001f")");
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls.push_back(static_cast<char>(c));
  const std::string written = json_string(all_controls);
  for (char c : written) CHECK(static_cast<unsigned char>(c) >= 0x20);  // RFC 8259 §7: none left raw
  CHECK(read_back(written) == all_controls);
}

TEST_CASE("json_string passes well-formed UTF-8 through and reads back exactly", "[json][rfc8259]") {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91 \x7F \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  CHECK(json_string(text) == "\"" + text + "\"");
  CHECK(read_back(json_string(text)) == text);
}

TEST_CASE("json_string replaces each byte of malformed UTF-8 with U+FFFD", "[json][rfc3629]") {
  auto row = GENERATE(table<std::string, std::string>({
      {"\x80", fffd},                               // a lone continuation byte
      {"\xC0\x80", fffd + fffd},                    // overlong NUL
      {"\xE0\x9F\xBF", fffd + fffd + fffd},         // overlong three-byte form
      {"\xED\xA0\x80", fffd + fffd + fffd},         // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"\xF5\x80", fffd + fffd},                    // a lead byte that never occurs
      {"a\xC3", "a" + fffd},                        // truncated at the end
      {"\xE2\x82z", fffd + fffd + "z"},             // truncated before an ASCII byte
  }));
  INFO(test::hex_encode(std::get<0>(row)));
  const std::string written = json_string(std::get<0>(row));
  CHECK(written == "\"" + std::get<1>(row) + "\"");
  CHECK(read_back(written) == std::get<1>(row));
}

TEST_CASE("append_json_integer writes decimal integers, the extremes included", "[json][rfc8259]") {
  auto row = GENERATE(table<std::int64_t, std::string>({
      {0, "0"},
      {7, "7"},
      {1700000000, "1700000000"},
      {-42, "-42"},
      {INT64_MAX, "9223372036854775807"},
      {INT64_MIN, "-9223372036854775808"},
  }));
  std::string out = "x";
  append_json_integer(out, std::get<0>(row));
  CHECK(out == "x" + std::get<1>(row));
}

TEST_CASE("JsonWriter writes a compact document in the order given, commas placed", "[json][rfc8259]") {
  CHECK(JsonWriter().begin_object().end_object().text() == "{}");
  CHECK(JsonWriter().begin_array().end_array().text() == "[]");
  JsonWriter writer;
  writer.begin_object()
      .member("a", "x\"y")
      .member("b", -3)
      .key("c")
      .raw(R"({"d":[1]})")
      .member("e\n", "")
      .member("f", [](JsonWriter& out) { out.begin_array().integer(1).string("2").boolean(false).null().begin_object().end_object().end_array(); })
      .member("g", true)
      .end_object();
  CHECK(writer.text() == R"({"a":"x\"y","b":-3,"c":{"d":[1]},"e\u000a":"","f":[1,"2",false,null,{}],"g":true})");
  auto doc = parse_json_object(writer.text(), 4096, kLocal);
  REQUIRE_OK(doc);
  CHECK(doc->value.size() == 6);
}

TEST_CASE("JsonWriter writes a parsed document back as it was read", "[json][rfc8259]") {
  const std::string text = R"({"z":[1,-2,3.50,1e-7,"s",true,false,null,{"k":{}}],"a":"\u00e9\n","u":18446744073709551615})";
  auto doc = parse_json_object(text, 4096, kLocal);
  REQUIRE_OK(doc);
  // Members in document order, numbers with a fraction as written; strings re-escaped.
  CHECK(JsonWriter().json(doc->value).text() == R"({"z":[1,-2,3.50,1e-7,"s",true,false,null,{"k":{}}],"a":"é\u000a","u":18446744073709551615})");
}
