#include "protocol/url.hpp"

#include "core/error_codes.hpp"
#include "support.hpp"

using namespace oauth;

TEST_CASE("a URL parses into scheme, host, port, path, query and fragment", "[url][rfc3986]") {
  auto url = parse_url("HTTPS://AS.Example:8443/a/B?x=1&y=2#frag");
  REQUIRE_OK(url);
  CHECK(url->scheme == "https");
  CHECK(url->host == "as.example");
  CHECK(url->port == std::optional<std::uint16_t>(8443));
  CHECK(url->path == "/a/B");
  CHECK(url->query == std::optional<std::string>("x=1&y=2"));
  CHECK(url->fragment == std::optional<std::string>("frag"));
  CHECK(url->origin() == "https://as.example:8443");
}

TEST_CASE("an empty path is /, and default ports drop out of the origin", "[url][rfc3986]") {
  auto url = parse_url("https://as.example");
  REQUIRE_OK(url);
  CHECK(url->path == "/");
  CHECK_FALSE(url->port);
  CHECK_FALSE(url->query);
  CHECK_FALSE(url->fragment);
  CHECK(url->effective_port() == 443);
  auto explicit_default = parse_url("https://as.example:443?");
  REQUIRE_OK(explicit_default);
  CHECK(explicit_default->origin() == "https://as.example");
  CHECK(explicit_default->query == std::optional<std::string>(""));
  CHECK(parse_url("http://h")->effective_port() == 80);
}

TEST_CASE("an IPv6 literal keeps its brackets", "[url][rfc3986]") {
  auto url = parse_url("http://[::1]:8080/cb");
  REQUIRE_OK(url);
  CHECK(url->host == "[::1]");
  CHECK(url->port == std::optional<std::uint16_t>(8080));
  CHECK(url->origin() == "http://[::1]:8080");
}

TEST_CASE("malformed or deceptive URLs are refused", "[url][rfc3986]") {
  auto [text, why] = GENERATE(table<const char*, const char*>({
      {"https://user@as.example/", "userinfo"},
      {"https://as.example@evil.example/", "userinfo disguising the host"},
      {"https://user:pw@as.example/", "userinfo with password"},
      {"as.example/path", "no scheme"},
      {"://as.example", "empty scheme"},
      {"1https://as.example", "scheme starting with a digit"},
      {"mailto:someone@as.example", "no authority"},
      {"https:/as.example", "single slash"},
      {"https://", "empty host"},
      {"https:///path", "empty host with path"},
      {"https://:443/", "empty host with port"},
      {"https://as.example:/", "empty port"},
      {"https://as.example:0/", "port 0"},
      {"https://as.example:65536/", "port too large"},
      {"https://as.example:12a/", "port not a number"},
      {"https://as.example:443:1/", "two ports"},
      {"https://as example/", "space in the host"},
      {"https://as.example/a b", "space in the path"},
      {"https://as.example/\t", "control character"},
      {"https://as.example\\@evil.example/", "backslash"},
      {"https://as.ex%61mple/", "percent-encoded host"},
      {"https://as.example/#a#b", "two fragments"},
      {"https://[::1/", "unclosed IPv6 literal"},
      {"https://[]/", "empty IPv6 literal"},
      {"https://[zz::1]/", "IPv6 literal with non-hex"},
      {"https://[::1]x/", "text after an IPv6 literal"},
  }));
  INFO(why << ": " << text);
  REQUIRE_ERROR(parse_url(text), codes::invalid_argument);
}

TEST_CASE("non-ASCII bytes are refused anywhere in a URL", "[url][rfc3986]") {
  REQUIRE_ERROR(parse_url("https://as.example/caf\xc3\xa9"), codes::invalid_argument);
  REQUIRE_ERROR(parse_url("https://\xd0\xb0s.example/"), codes::invalid_argument);
  REQUIRE_ERROR(parse_url(std::string("https://as.example/\0", 20)), codes::invalid_argument);
}

TEST_CASE("loopback hosts are localhost, 127.0.0.0/8 and [::1]", "[url][rfc8252]") {
  auto [host, loopback] = GENERATE(table<const char*, bool>({
      {"localhost", true},
      {"LOCALHOST", true},
      {"127.0.0.1", true},
      {"127.1.2.3", true},
      {"127.255.255.255", true},
      {"[::1]", true},
      {"::1", false},
      {"localhost.", false},
      {"app.localhost", false},
      {"localhost.evil.example", false},
      {"127.0.0.1.evil.example", false},
      {"128.0.0.1", false},
      {"127.0.0", false},
      {"127.0.0.1.1", false},
      {"127.0.0.256", false},
      {"0127.0.0.1", false},
      {"127.00.0.1", false},
      {"127..0.1", false},
      {"127.0.0.", false},
      {"[::2]", false},
      {"10.0.0.1", false},
      {"", false},
  }));
  INFO(host);
  CHECK(is_loopback_host(host) == loopback);
}

TEST_CASE("only https, or http to a loopback host, is an acceptable transport", "[url]") {
  CHECK(is_https_or_loopback(*parse_url("https://as.example")));
  CHECK(is_https_or_loopback(*parse_url("http://127.0.0.1:3000")));
  CHECK(is_https_or_loopback(*parse_url("http://localhost:3000")));
  CHECK(is_https_or_loopback(*parse_url("http://[::1]")));
  CHECK_FALSE(is_https_or_loopback(*parse_url("http://as.example")));
  CHECK_FALSE(is_https_or_loopback(*parse_url("ftp://localhost")));
}

TEST_CASE("percent-encoding keeps only the unreserved characters", "[url][rfc3986]") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b") == "a%20b");
  CHECK(percent_encode("a+b/c?d=e&f#g%") == "a%2Bb%2Fc%3Fd%3De%26f%23g%25");
  CHECK(percent_encode("caf\xc3\xa9") == "caf%C3%A9");
  CHECK(percent_encode(std::string("\0", 1)) == "%00");
  CHECK(percent_encode("") == "");
}

TEST_CASE("form decoding turns + into a space and decodes %XX strictly", "[url][form-urlencoded]") {
  CHECK(*percent_decode("a+b%20c%2B", true) == "a b c+");
  CHECK(*percent_decode("a+b", false) == "a+b");
  CHECK(*percent_decode("%c3%A9", true) == "\xc3\xa9");
  for (const char* bad : {"%", "%2", "%zz", "a%2g", "%%41"}) {
    INFO(bad);
    REQUIRE_ERROR(percent_decode(bad, true), codes::invalid_encoding);
  }
}

TEST_CASE("form parameters parse in order and may not repeat", "[url][rfc6749]") {
  auto params = parse_form_params("code=a%2Bb&state=x+y&&flag&empty=");
  REQUIRE_OK(params);
  REQUIRE(params->size() == 4);
  CHECK((*params)[0] == std::make_pair(std::string("code"), std::string("a+b")));
  CHECK((*params)[1] == std::make_pair(std::string("state"), std::string("x y")));
  CHECK((*params)[2] == std::make_pair(std::string("flag"), std::string()));
  CHECK((*params)[3] == std::make_pair(std::string("empty"), std::string()));
  REQUIRE_OK(parse_form_params(""));

  auto twice = parse_form_params("state=a&code=b&state=a");
  REQUIRE_ERROR(twice, codes::invalid_encoding);
  CHECK(twice.error().description == "the parameter state appears more than once");
  REQUIRE_ERROR(parse_form_params("state=a&st%61te=b"), codes::invalid_encoding);
  REQUIRE_ERROR(parse_form_params("=value"), codes::invalid_encoding);
  REQUIRE_ERROR(parse_form_params("a=%zz"), codes::invalid_encoding);
}

TEST_CASE("a repeat is found among many parameters, wherever it is", "[url][rfc6749]") {
  std::string query;
  for (int i = 0; i < 20000; ++i) query += "p" + std::to_string(i) + "=v&";
  auto distinct = parse_form_params(query);
  REQUIRE_OK(distinct);
  CHECK(distinct->size() == 20000);
  CHECK(distinct->back().first == "p19999");  // still in document order
  auto last = parse_form_params(query + "p0=w");
  REQUIRE_ERROR(last, codes::invalid_encoding);
  CHECK(last.error().description == "the parameter p0 appears more than once");
  REQUIRE_ERROR(parse_form_params("p12345=w&" + query), codes::invalid_encoding);
}

TEST_CASE("a repeated parameter with an odd name is not quoted", "[url]") {
  auto twice = parse_form_params("%22%3Cx%3E=1&%22%3Cx%3E=2");
  REQUIRE_ERROR(twice, codes::invalid_encoding);
  CHECK(twice.error().description == "a parameter appears more than once");
}

TEST_CASE("parameters encode as name=value pairs joined by &", "[url]") {
  CHECK(encode_params({{"a", "1"}, {"b c", "x y&z"}, {"empty", ""}}) == "a=1&b%20c=x%20y%26z&empty=");
  CHECK(encode_params({}) == "");
}

TEST_CASE("query parameters are appended with ? or & and never after a fragment", "[url][rfc6749]") {
  CHECK(*append_query_params("https://as.example/authorize", {{"a", "1"}}) == "https://as.example/authorize?a=1");
  CHECK(*append_query_params("https://as.example/authorize?tenant=t", {{"a", "1"}, {"a", "2"}}) ==
        "https://as.example/authorize?tenant=t&a=1&a=2");
  CHECK(*append_query_params("https://as.example/authorize?", {{"a", "1"}}) == "https://as.example/authorize?a=1");
  CHECK(*append_query_params("https://as.example/authorize?t=1&", {{"a", "1"}}) ==
        "https://as.example/authorize?t=1&a=1");
  CHECK(*append_query_params("https://as.example/authorize", {}) == "https://as.example/authorize");
  REQUIRE_ERROR(append_query_params("https://as.example/authorize#x", {{"a", "1"}}), codes::invalid_argument);
  auto clash = append_query_params("https://as.example/authorize?client_id=x", {{"client_id", "y"}});
  REQUIRE_ERROR(clash, codes::invalid_argument);
  CHECK(clash.error().description.find("client_id") != std::string::npos);
}
