#include "protocol/http.hpp"

#include "support.hpp"

using namespace oauth;

TEST_CASE("header names are matched case-insensitively", "[http][rfc9110]") {
  HttpHeaders headers = {{"content-TYPE", "application/json"}, {"X-Other", "1"}, {"Content-Type", "text/html"}};
  CHECK(find_header(headers, "Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK(find_header(headers, "x-other") == std::optional<std::string_view>("1"));
  CHECK_FALSE(find_header(headers, "Accept"));
  CHECK_FALSE(find_header(headers, "Content-Typ"));
}

TEST_CASE("application/json is recognised with parameters and in any case", "[http][rfc9110]") {
  auto json_type = [](const char* value) { return has_json_content_type({{"Content-Type", value}}); };
  CHECK(json_type("application/json"));
  CHECK(json_type("application/json; charset=utf-8"));
  CHECK(json_type("Application/JSON;charset=UTF-8"));
  CHECK(json_type(" application/json "));
  CHECK_FALSE(json_type("text/html"));
  CHECK_FALSE(json_type("application/jsonp"));
  CHECK_FALSE(json_type("application/json-seq"));
  CHECK_FALSE(json_type("text/json"));
  CHECK_FALSE(json_type(""));
  CHECK_FALSE(has_json_content_type({}));
}
