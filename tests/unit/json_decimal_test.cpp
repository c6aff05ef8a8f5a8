#include "json/json_decimal.hpp"

#include "json/json_access.hpp"
#include "core/error_codes.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

constexpr std::int64_t kBound = 1'000'000'000'000'000;  // 1e15

// The text of the number member `name`; empty when it is not a number kept as text.
std::string number_text(const JsonObject& doc, const char* name) {
  const JsonValue* v = doc.value.find(name);
  REQUIRE(v != nullptr);
  return v->is_number() ? v->text() : std::string();
}

}  // namespace

TEST_CASE("the whole part of a decimal is its integer part truncated toward zero", "[json][decimal]") {
  auto [text, whole] = GENERATE(table<const char*, std::int64_t>({
      {"1500.9", 1500}, {"-1500.9", -1500}, {"1.5e3", 1500}, {"1.5E+3", 1500}, {"15e-1", 1},
      {"0.0001e4", 1}, {"0.5", 0}, {"-0.5", 0}, {"0e999999999", 0}, {"0.000", 0}, {"1e14", 100000000000000},
      {"9.99e14", 999000000000000}, {"999999999999999.99", 999999999999999}, {"00012.5e1", 125},
      {"1700000000e0", 1700000000}, {"-999999999999999.9", -999999999999999},
      {"17000000000000000000000e-13", 1700000000}, {"1e-999999999", 0},
  }));
  INFO(text);
  auto got = decimal_whole_part(text, kBound);
  REQUIRE(got.has_value());
  CHECK(*got == whole);
}

TEST_CASE("a decimal whose magnitude reaches the bound has no whole part", "[json][decimal]") {
  auto text = GENERATE(as<std::string>{}, "1e15", "-1e15", "1000000000000000.0", "1.0e15", "1e19",
                       "123456789012345678901234", "1e999999999999999999999", "-9.99e307");
  INFO(text);
  CHECK_FALSE(decimal_whole_part(text, kBound).has_value());
}

TEST_CASE("a small bound counts too: nothing at or above it has a whole part", "[json][decimal]") {
  CHECK(*decimal_whole_part("9.99", 10) == 9);
  CHECK_FALSE(decimal_whole_part("10.0", 10).has_value());
  CHECK_FALSE(decimal_whole_part("5", 1).has_value());
  CHECK(*decimal_whole_part("0.9", 1) == 0);
}

TEST_CASE("decimals of 1e308 and beyond are outside a double's range", "[json][decimal]") {
  CHECK(decimal_within_double_range("9.99e307"));
  CHECK(decimal_within_double_range("-9.99e307"));
  CHECK(decimal_within_double_range("1e-400"));
  CHECK(decimal_within_double_range("0e999999999"));
  CHECK(decimal_within_double_range("0.0000e99999999999999999999"));
  CHECK(decimal_within_double_range("0.001e310"));
  CHECK_FALSE(decimal_within_double_range("1e308"));
  CHECK_FALSE(decimal_within_double_range("-1.7976931348623157e308"));
  CHECK_FALSE(decimal_within_double_range("1e400"));
  CHECK_FALSE(decimal_within_double_range("1e99999999999999999999"));
  CHECK_FALSE(decimal_within_double_range(std::string("1") + std::string(308, '0') + ".5"));
  CHECK(decimal_within_double_range(std::string("1") + std::string(307, '0') + ".5"));
}

TEST_CASE("a parsed document keeps a number with a fraction or exponent as the text it had", "[json][decimal][rfc8259]") {
  auto doc = parse_json_object(R"({"f":1.50,"e":-2E+02,"i":42,"s":"1.5","big":123456789012345678901234,"u":18446744073709551615})",
                               4096, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_OK(doc);
  CHECK(number_text(*doc, "f") == "1.50");
  CHECK(number_text(*doc, "e") == "-2E+02");
  // Integers beyond 64 signed bits are kept as their digits too.
  CHECK(number_text(*doc, "big") == "123456789012345678901234");
  CHECK(number_text(*doc, "u") == "18446744073709551615");
  CHECK(doc->value.find("i")->is_integer());
  CHECK(doc->value.find("i")->as_integer() == 42);
  CHECK(doc->value.find("s")->is_string());
}

TEST_CASE("a document with a number no double can hold is refused", "[json][decimal][rfc8259]") {
  auto text = GENERATE(as<std::string>{}, R"({"n":1e400})", R"({"n":-1e308})", R"({"a":[1,{"n":2e999}]})",
                       "{\"n\":1" + std::string(400, '0') + "}");
  INFO(text);
  auto doc = parse_json_object(text, 4096, {codes::invalid_response, Blame::remote, "the test document"});
  REQUIRE_ERROR(doc, codes::invalid_response);
  CHECK(doc.error().description == "the test document is not valid JSON");
}
