// The options of the grants without a redirect (device, client credentials) as the shim passes
// them: like the settings, any script of the origin can send them to the worker. Input: the
// options JSON. What is accepted is sent as asked, through the device authorization request.
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "grants/device_authorization.hpp"
#include "grants/grant_request.hpp"
#include "protocol/url.hpp"

using namespace oauth;

namespace {

// scope-token characters (RFC 6749 §3.3): %x21 / %x23-5B / %x5D-7E.
bool is_scope_char(char c) { return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E); }

// A form body's parameters in order, repeats kept (resource may repeat).
std::vector<std::pair<std::string, std::string>> form_params(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view segment = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    std::size_t eq = segment.find('=');
    fuzz::require(eq != std::string_view::npos);
    auto name = percent_decode(segment.substr(0, eq), true);
    auto value = percent_decode(segment.substr(eq + 1), true);
    fuzz::require(name.ok() && value.ok());
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto options = parse_grant_options(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!options.ok()) {
    fuzz::require_typed(options.error());
    fuzz::require(options.error().blame == Blame::local);  // the app's mistake, not the server's
    return 0;
  }
  // A scope is space-separated scope-tokens; a resource is an absolute URI without a fragment.
  if (options->scope) {
    const std::string& scope = *options->scope;
    fuzz::require(!scope.empty() && scope.front() != ' ' && scope.back() != ' ');
    for (std::size_t i = 0; i < scope.size(); ++i)
      fuzz::require(is_scope_char(scope[i]) || (scope[i] == ' ' && scope[i + 1] != ' '));
  }
  for (const std::string& resource : options->resource) {
    // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":" and more.
    const std::size_t colon = resource.find(':');
    fuzz::require(colon != std::string::npos && colon > 0 && colon + 1 < resource.size());
    for (std::size_t i = 0; i < colon; ++i) {
      const char c = resource[i];
      const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      fuzz::require(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')));
    }
    // Visible ASCII, no fragment.
    for (char c : resource) fuzz::require(c > 0x20 && c < 0x7f && c != '#');
  }

  ServerMetadata server;
  server.issuer = "https://as.example.test";
  server.token_endpoint = "https://as.example.test/token";
  server.device_authorization_endpoint = "https://as.example.test/device";
  auto metadata = IssuerMetadata::of_issuer(std::move(server), "https://as.example.test");
  fuzz::require(metadata.ok());
  ClientConfig client{"https://as.example.test", "device", ""};
  auto request = build_device_authorization_request(*metadata, client, *options, ClientAuth::none());
  fuzz::require(request.ok() && request->method == "POST" &&
                request->url == (*metadata)->device_authorization_endpoint);
  // Exactly the options, in order, then client_id: nothing added, nothing lost, nothing injected.
  std::vector<std::pair<std::string, std::string>> expected;
  if (options->scope) expected.emplace_back("scope", *options->scope);
  for (const std::string& resource : options->resource) expected.emplace_back("resource", resource);
  expected.emplace_back("client_id", "device");
  fuzz::require(form_params(request->body) == expected);
  return 0;
}
