// Shared fixtures of the protocol tests: a server, a client, responses, and the check that no
// secret leaks into an error.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>

#include "protocol/authorization_request.hpp"
#include "protocol/http.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"
#include "support.hpp"

namespace oauth::test {

inline constexpr const char* kIssuer = "https://as.example";

// The fields, for a test to change before issuer_metadata() makes them the issuer's.
inline ServerMetadata test_server_metadata() {
  ServerMetadata m;
  m.issuer = kIssuer;
  m.authorization_endpoint = "https://as.example/authorize";
  m.token_endpoint = "https://as.example/token";
  m.jwks_uri = "https://as.example/jwks";
  m.code_challenge_methods_supported = std::vector<std::string>{"S256"};
  return m;
}

// `m` as kIssuer's metadata (IssuerMetadata::of_issuer); a test that changed m.issuer gets none.
inline IssuerMetadata issuer_metadata(ServerMetadata m) {
  auto bound = IssuerMetadata::of_issuer(std::move(m), kIssuer);
  REQUIRE_OK(bound);
  return std::move(bound).value();
}

inline IssuerMetadata test_metadata() { return issuer_metadata(test_server_metadata()); }

inline ClientConfig test_client() { return ClientConfig{kIssuer, "spa-client", "https://app.example/callback"}; }

inline HttpResponse json_response(int status, std::string body, std::string content_type = "application/json") {
  HttpHeaders headers;
  if (!content_type.empty()) headers.emplace_back("Content-Type", std::move(content_type));
  return HttpResponse(status, std::move(headers), std::move(body));
}

// Every value of parameter `name` in `url`'s query, in order (repeats allowed, unlike parse_form_params).
inline std::vector<std::string> query_values(std::string_view url, std::string_view name) {
  std::vector<std::string> out;
  auto parsed = parse_url(url);
  if (!parsed.ok() || !parsed->query) return out;
  std::string_view query = *parsed->query;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view segment = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::size_t eq = segment.find('=');
    auto key = percent_decode(segment.substr(0, eq), true);
    if (!key.ok() || *key != name) continue;
    auto value = percent_decode(eq == std::string_view::npos ? "" : segment.substr(eq + 1), true);
    if (value.ok()) out.push_back(*value);
  }
  return out;
}

// The one value of parameter `name`, "<absent>" when missing, "<repeated>" when given twice.
inline std::string query_param(std::string_view url, std::string_view name) {
  auto values = query_values(url, name);
  if (values.empty()) return "<absent>";
  return values.size() == 1 ? values[0] : std::string("<repeated>");
}

}  // namespace oauth::test

// No error text may hold a secret used in the test (code, verifier, tokens, client secret).
#define CHECK_NO_SECRETS(error, ...)                                                     \
  do {                                                                                   \
    const oauth::Error& oauth_e_ = (error);                                              \
    for (std::string_view oauth_s_ : std::initializer_list<std::string_view>{__VA_ARGS__}) { \
      INFO("secret: " << oauth_s_);                                                      \
      CHECK(oauth_e_.description.find(oauth_s_) == std::string::npos);                   \
      CHECK(oauth_e_.uri.find(oauth_s_) == std::string::npos);                           \
      CHECK(oauth_e_.code.find(oauth_s_) == std::string::npos);                          \
    }                                                                                    \
  } while (0)
