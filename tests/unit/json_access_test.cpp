#include "json/json_access.hpp"

#include <climits>

#include "core/error_codes.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

constexpr JsonSource kRemote{codes::invalid_response, Blame::remote, "the test document"};
constexpr JsonSource kLocal{codes::invalid_argument, Blame::local, "the stored document"};

JsonObject parse_ok(std::string_view text) {
  auto doc = parse_json_object(text, 4096, kRemote);
  INFO(text);
  REQUIRE_OK(doc);
  return std::move(doc).value();
}

}  // namespace

TEST_CASE("parses a JSON object and reads its typed members", "[json]") {
  auto doc = parse_ok(R"({"s":"text","n":42,"b":true,"a":["x","y"]})");
  auto s = get_string(doc, "s");
  REQUIRE_OK(s);
  CHECK(**s == "text");
  auto n = get_integer(doc, "n", 0, 100);
  REQUIRE_OK(n);
  CHECK(**n == 42);
  auto b = get_bool(doc, "b");
  REQUIRE_OK(b);
  CHECK(**b);
  auto a = get_string_array(doc, "a");
  REQUIRE_OK(a);
  CHECK(**a == std::vector<std::string>{"x", "y"});
}

TEST_CASE("absent optional members are nullopt, absent required members an error", "[json]") {
  auto doc = parse_ok("{}");
  auto s = get_string(doc, "missing");
  REQUIRE_OK(s);
  CHECK_FALSE(s->has_value());
  auto n = get_integer(doc, "missing", 0, 1);
  REQUIRE_OK(n);
  CHECK_FALSE(n->has_value());
  auto required = require_string(doc, "name");
  REQUIRE_ERROR(required, codes::invalid_response);
  CHECK(required.error().description.find("name") != std::string::npos);
  REQUIRE_ERROR(require_integer(doc, "count", 0, 1), codes::invalid_response);
}

TEST_CASE("text that is not a JSON object is refused", "[json][rfc8259]") {
  auto text = GENERATE(as<std::string>{}, "", "not json", "[1,2]", "\"string\"", "42", "null", "{\"a\":1",
                       "{\"a\":1} trailing", "{\"a\":1,}", "{'a':1}", "{\"a\":1 /* comment */}",
                       std::string("{\"a\":\"\xff\xfe\"}"));
  INFO(text);
  auto doc = parse_json_object(text, 4096, kRemote);
  REQUIRE_ERROR(doc, codes::invalid_response);
  CHECK(doc.error().blame == Blame::remote);
}

TEST_CASE("punctuation out of place is refused at every depth", "[json][rfc8259]") {
  // The grammar of RFC 8259 §2-5, driven over nlohmann's tokens (document_parser.hpp).
  auto text = GENERATE(as<std::string>{}, "{\"a\":1]", "{\"a\":[1}}", "{\"a\":[1,]}", "{\"a\":[,1]}",
                       "{\"a\":[1 2]}", "{\"a\" 1}", "{1:2}", "{\"a\":1,,\"b\":2}", "{,}", "{\"a\":}",
                       "{\"a\":{\"b\":1}}}", "{\"a\":{\"b\":1}", "{\"a\":1:2}", "{\"a\":[]]}", "{:1}",
                       "{\"a\",\"b\"}", "{\"a\":{\"b\":[{\"c\":1},]}}", "{\"a\":1}]");
  INFO(text);
  auto doc = parse_json_object(text, 4096, kRemote);
  REQUIRE_ERROR(doc, codes::invalid_response);
  CHECK(doc.error().description == "the test document is not valid JSON");
}

TEST_CASE("a NUL byte anywhere refuses the document, not only ends it", "[json][rfc8259]") {
  // nlohmann's lexer reads a NUL as the end of its input: the text after it would be ignored.
  for (std::string_view text : {std::string_view("{\"a\":1}\0{\"a\":2}", 15), std::string_view("{\"a\":1\0}", 8),
                                std::string_view("{\"a\":\"x\0y\"}", 11)}) {
    INFO(text.size());
    auto doc = parse_json_object(text, 4096, kRemote);
    REQUIRE_ERROR(doc, codes::invalid_response);
    CHECK(doc.error().description == "the test document is not valid JSON");
  }
}

TEST_CASE("duplicate member names are refused at every depth", "[json][rfc8259]") {
  auto text = GENERATE(as<std::string>{}, R"({"a":1,"a":1})", R"({"a":1,"b":2,"a":"x"})",
                       R"({"outer":{"k":1,"k":2}})", R"({"list":[{"k":1},{"k":1,"k":2}]})",
                       R"({"a":1,"\u0061":2})");
  INFO(text);
  auto doc = parse_json_object(text, 4096, kRemote);
  REQUIRE_ERROR(doc, codes::invalid_response);
  CHECK(doc.error().description.find("repeats") != std::string::npos);
}

TEST_CASE("the same name in sibling or nested objects is not a duplicate", "[json][rfc8259]") {
  parse_ok(R"({"k":{"k":1},"list":[{"k":1},{"k":2}],"o":{"k":{"k":3}}})");
}

TEST_CASE("a document over the size limit is response_too_large when remote", "[json]") {
  std::string text = "{\"a\":\"" + std::string(5000, 'x') + "\"}";
  auto remote = parse_json_object(text, 4096, kRemote);
  REQUIRE_ERROR(remote, codes::response_too_large);
  CHECK(remote.error().blame == Blame::remote);
  auto local = parse_json_object(text, 4096, kLocal);
  REQUIRE_ERROR(local, codes::invalid_argument);
  CHECK(local.error().blame == Blame::local);
  REQUIRE_OK(parse_json_object(text, text.size(), kRemote));
}

TEST_CASE("nesting deeper than the limit is refused", "[json]") {
  std::string deep_ok = "{\"a\":" + std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']') + "}";
  REQUIRE_OK(parse_json_object(deep_ok, 4096, kRemote));
  std::string too_deep = "{\"a\":" + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}";
  REQUIRE_ERROR(parse_json_object(too_deep, 4096, kRemote), codes::invalid_response);
}

TEST_CASE("the document built is the one nlohmann's own parser builds", "[json][rfc8259]") {
  auto text = GENERATE(as<std::string>{}, R"({})", R"({"a":[]})", R"({"a":{}})",
                       R"({"n":null,"t":true,"f":false,"i":-42,"u":18446744073709551615,"d":1.5e-3,"s":"x\u00e9\n"})",
                       R"({"a":[[1,[2,[3,{"k":[4,{"z":null}]}]]],{"b":[{},[]]}],"c":{"d":{"e":"f"}}})",
                       R"({"list":[1,"two",3.0,[true,false],{"k":"v"},null]})");
  INFO(text);
  auto doc = parse_ok(text);
  const nlohmann::json oracle = nlohmann::json::parse(text);
  // Numbers with a fraction or exponent are kept as their text (json_decimal.hpp): to_nlohmann
  // reads that text as nlohmann would.
  CHECK(test::to_nlohmann(doc.value) == oracle);
  CHECK(test::to_nlohmann(doc.value).dump() == oracle.dump());
}

TEST_CASE("too deep nesting is reported as such, before the rest is read", "[json]") {
  // The rest of the text is not valid JSON: the parse stops at the depth limit.
  std::string too_deep = "{\"a\":" + std::string(kMaxJsonDepth + 5, '[') + "!";
  auto doc = parse_json_object(too_deep, 4096, kRemote);
  REQUIRE_ERROR(doc, codes::invalid_response);
  CHECK(doc.error().description.find("nests deeper") != std::string::npos);
}

TEST_CASE("a member of the wrong type is an error naming the member", "[json]") {
  auto doc = parse_ok(R"({"s":1,"n":"1","b":"true","a":["x",1],"z":null,"o":{}})");
  auto s = get_string(doc, "s");
  REQUIRE_ERROR(s, codes::invalid_response);
  CHECK(s.error().description == "the test document member s must be a string");
  REQUIRE_ERROR(get_integer(doc, "n", 0, 10), codes::invalid_response);
  REQUIRE_ERROR(get_bool(doc, "b"), codes::invalid_response);
  REQUIRE_ERROR(get_string_array(doc, "a"), codes::invalid_response);
  REQUIRE_ERROR(get_string_array(doc, "o"), codes::invalid_response);
  // null is a value of the wrong type, not absence.
  REQUIRE_ERROR(get_string(doc, "z"), codes::invalid_response);
}

TEST_CASE("integers must be integers within their range", "[json]") {
  auto doc = parse_ok(
      R"({"ok":3600,"zero":-0,"str":"3600","frac":3600.5,"point":3600.0,"exp":1e3,"neg":-1,"big":18446744073709551615})");
  CHECK(**get_integer(doc, "ok", 0, 3600) == 3600);
  CHECK(**get_integer(doc, "zero", 0, 1) == 0);
  for (const char* name : {"str", "frac", "point", "exp"}) {
    INFO(name);
    auto v = get_integer(doc, name, 0, INT64_MAX);
    REQUIRE_ERROR(v, codes::invalid_response);
    CHECK(v.error().description.find("must be an integer") != std::string::npos);
  }
  REQUIRE_ERROR(get_integer(doc, "neg", 0, 10), codes::invalid_response);
  REQUIRE_ERROR(get_integer(doc, "ok", 0, 3599), codes::invalid_response);
  REQUIRE_ERROR(get_integer(doc, "big", 0, INT64_MAX), codes::invalid_response);
  CHECK(**get_integer(doc, "neg", -1, 0) == -1);
}

TEST_CASE("errors carry the source's code and blame", "[json]") {
  auto doc = parse_json_object(R"({"n":"x"})", 100, kLocal);
  REQUIRE_OK(doc);
  auto n = get_integer(*doc, "n", 0, 1);
  REQUIRE_ERROR(n, codes::invalid_argument);
  CHECK(n.error().blame == Blame::local);
}

TEST_CASE("check_only_members refuses an unknown member without naming it", "[json]") {
  auto doc = parse_ok(R"({"a":1,"b":2})");
  REQUIRE_OK(check_only_members(doc, {"a", "b", "c"}));
  auto strict = check_only_members(doc, {"a"});
  REQUIRE_ERROR(strict, codes::invalid_response);
  CHECK(strict.error().description.find("\"b\"") == std::string::npos);
}
