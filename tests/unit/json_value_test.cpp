#include "json/json_value.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

JsonValue parse(std::string_view text) {
  auto doc = parse_json_object(text, 1 << 20, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_OK(doc);
  return std::move(doc->value);
}

}  // namespace

TEST_CASE("a parsed object keeps its members in document order", "[json]") {
  JsonValue doc = parse(R"({"z":1,"a":"x","m":[true,null]})");
  CHECK(doc.names() == std::vector<std::string>{"z", "a", "m"});
  REQUIRE(doc.find("m") != nullptr);
  const JsonValue& m = *doc.find("m");
  REQUIRE(m.is_array());
  REQUIRE(m.size() == 2);
  CHECK(m.items()[0].is_boolean());
  CHECK(m.items()[0].as_boolean());
  CHECK(m.items()[1].is_null());
  CHECK(doc.find("a")->text() == "x");
  CHECK(doc.find("absent") == nullptr);
  CHECK(m.find("0") == nullptr);  // not an object: no members
}

TEST_CASE("each value has one kind, and the readers of other kinds see nothing", "[json]") {
  JsonValue doc = parse(R"({"n":null,"b":false,"i":-7,"d":2.5,"s":"2.5","a":[],"o":{}})");
  const std::pair<const char*, JsonKind> kinds[] = {{"n", JsonKind::null},    {"b", JsonKind::boolean},
                                                    {"i", JsonKind::integer}, {"d", JsonKind::number},
                                                    {"s", JsonKind::string},  {"a", JsonKind::array},
                                                    {"o", JsonKind::object}};
  for (const auto& [name, kind] : kinds) {
    INFO(name);
    CHECK(doc.find(name)->kind() == kind);
  }
  CHECK(doc.find("i")->as_integer() == -7);
  CHECK(doc.find("s")->as_integer() == 0);
  CHECK_FALSE(doc.find("i")->as_boolean());
  CHECK(doc.find("i")->text().empty());
  CHECK(doc.find("d")->text() == "2.5");
}

TEST_CASE("values built by hand equal the same values parsed", "[json]") {
  JsonValue built = JsonValue::object();
  built.add("iss", JsonValue::string("https://as.example.test"));
  JsonValue& aud = built.add("aud", JsonValue::array());
  aud.push_back(JsonValue::string("spa"));
  aud.push_back(JsonValue::integer(1));
  built.add("exp", JsonValue::number("1.5e3"));
  CHECK(built == parse(R"({"iss":"https://as.example.test","aud":["spa",1],"exp":1.5e3})"));
  CHECK(built != parse(R"({"iss":"https://as.example.test","aud":["spa",2],"exp":1.5e3})"));
  CHECK(built != parse(R"({"iss":"https://as.example.test","aud":["spa",1],"exp":1500})"));
  CHECK(JsonValue::string("1") != JsonValue::number("1"));
  CHECK(JsonValue() == JsonValue());
  CHECK(JsonValue::boolean(false) != JsonValue());
}

TEST_CASE("copies are deep", "[json]") {
  JsonValue original = parse(R"({"a":{"b":["c"]}})");
  JsonValue copy = original;
  copy.items()[0].items()[0].items()[0].text() = "changed";
  CHECK(original.find("a")->find("b")->items()[0].text() == "c");
  CHECK(copy != original);
}

TEST_CASE("repeated texts are found at any position and any count", "[json]") {
  CHECK_FALSE(has_repeated_text({}));
  CHECK_FALSE(has_repeated_text({"a", "b", "c"}));
  CHECK(has_repeated_text({"a", "b", "a"}));
  CHECK(has_repeated_text({"x", "y", "z", "y"}));
  CHECK_FALSE(has_repeated_text({"a", "A", "a "}));
}

TEST_CASE("an object with many members is checked for repeats quickly, whatever its size", "[json]") {
  // 50,000 distinct names, then the same with the first repeated at the end: n log n, not n².
  std::string text = "{";
  for (int i = 0; i < 50000; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  std::string repeated = text + "\"k0\":0}";
  text.back() = '}';
  JsonValue doc = parse(text);
  CHECK(doc.size() == 50000);
  CHECK(doc.find("k49999")->as_integer() == 49999);
  auto refused = parse_json_object(repeated, 1 << 20, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_ERROR(refused, codes::invalid_response);
  CHECK(refused.error().description == "the test document repeats a member name");
}

TEST_CASE("a document of more than 65,536 values is too large, whatever its byte size", "[json]") {
  // The byte limit is the caller's; the value limit bounds what parsing builds in memory.
  auto array_of = [](std::size_t n) {
    std::string text = "{\"a\":[";
    for (std::size_t i = 0; i < n; ++i) text += i ? ",0" : "0";
    return text + "]}";
  };
  // The root, the array and its elements: 65,536 values in all, then one more.
  const std::string fits = array_of(kMaxJsonValues - 2);
  const std::string over = array_of(kMaxJsonValues - 1);
  auto ok = parse_json_object(fits, 1 << 20, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_OK(ok);
  CHECK(ok->value.find("a")->size() == kMaxJsonValues - 2);
  auto remote = parse_json_object(over, 1 << 20, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_ERROR(remote, codes::response_too_large);
  CHECK(remote.error().description == "the test document holds more than 65536 values");
  auto local = parse_json_object(over, 1 << 20, {codes::invalid_argument, Blame::local, "the stored document"});
  REQUIRE_ERROR(local, codes::invalid_argument);
  // A syntax error after exactly the limit is still a syntax error.
  auto broken = parse_json_object(fits.substr(0, fits.size() - 1), 1 << 20, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_ERROR(broken, codes::invalid_response);
  CHECK(broken.error().description == "the test document is not valid JSON");
}
