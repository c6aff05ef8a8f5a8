// What the shim passes the core as JSON: the client settings and the login options. With worker
// isolation any script of the origin can send them to the worker, so they are hostile input too.
// Input: the settings JSON on the first line, then the options JSON.
#include "fuzz_input.hpp"
#include "protocol/url.hpp"
#include "session/client.hpp"
#include "session/settings.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  auto settings = parse_client_settings(in.line());
  auto options = parse_authorization_options(in.rest());
  if (!options.ok()) fuzz::require_typed(options.error());
  if (!settings.ok()) {
    fuzz::require_typed(settings.error());
    return 0;
  }
  for (const std::string& origin : settings->api_origins) {
    auto url = parse_url(origin);
    fuzz::require(url.ok() && url->origin() == origin);  // normalised origins, nothing more
  }
  auto client = Client::create(std::move(*settings));
  if (!client.ok() || !options.ok()) return 0;
  const std::string issuer = client->settings().client.issuer;
  auto metadata = client->accept_metadata(fuzz::json_response(
      200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"https://as.example.test/auth\","
           "\"token_endpoint\":\"https://as.example.test/token\",\"code_challenge_methods_supported\":[\"S256\"]}"));
  if (!metadata.ok()) return 0;  // an issuer that needs JSON escaping in this hand-made document
  auto start = client->authorize(*options, 1700000000);
  if (!start.ok()) {
    fuzz::require_typed(start.error());
    return 0;
  }
  // Whatever the options, the request is the code flow with S256 PKCE at the server's endpoint
  // (no PAR in this metadata: a navigation at once).
  fuzz::require(start->kind == Step::Kind::navigate && start->navigate.has_value());
  auto url = parse_url(start->navigate->url);
  fuzz::require(url.ok() && url->origin() == "https://as.example.test" && url->path == "/auth" && url->query);
  auto params = parse_form_params(*url->query);
  fuzz::require(params.ok());
  int response_types = 0, methods = 0;
  for (const auto& [name, value] : *params) {
    if (name == "response_type") response_types += value == "code" ? 1 : 100;
    if (name == "code_challenge_method") methods += value == "S256" ? 1 : 100;
  }
  fuzz::require(response_types == 1 && methods == 1);
  return 0;
}
