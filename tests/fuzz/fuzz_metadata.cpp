// The discovery document (OIDC Discovery §4.3, RFC 8414 §3.3). Input: the configured issuer on
// the first line, then the response body.
#include "fuzz_input.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  std::string issuer(in.line());
  auto metadata = process_metadata_response(fuzz::json_response(200, in.rest()), issuer);
  if (!metadata.ok()) {
    fuzz::require_typed(metadata.error());
    return 0;
  }
  // What the header promises of an accepted document.
  const ServerMetadata& m = **metadata;
  fuzz::require(m.issuer == issuer);
  fuzz::require(!m.token_endpoint.empty());
  for (const std::string* endpoint : {&m.token_endpoint, &m.authorization_endpoint, &m.jwks_uri}) {
    if (endpoint->empty()) continue;
    auto url = parse_url(*endpoint);
    fuzz::require(url.ok() && is_https_or_loopback(*url) && !url->fragment);
  }
  (void)check_pkce_s256_supported(m);
  return 0;
}
