// The authorization response at the redirect URI (RFC 6749 §4.1.2, RFC 9207). Input lines: the
// issuer, the redirect URI, the transaction's state, then the callback URL.
#include "fuzz_input.hpp"
#include "protocol/callback.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  std::string issuer(in.line());
  std::string redirect_uri(in.line());
  std::string state(in.line());
  std::string_view url = in.rest();

  auto params = parse_callback_url(url, redirect_uri);
  if (!params.ok()) {
    fuzz::require_typed(params.error());
    return 0;
  }

  constexpr std::int64_t now = 1700000000;
  ServerMetadata server;
  server.issuer = issuer;
  server.authorization_response_iss_parameter_supported = true;
  auto metadata = IssuerMetadata::of_issuer(std::move(server), issuer);
  fuzz::require(metadata.ok());
  Transaction transaction;
  transaction.state = state;
  transaction.nonce = "n";
  transaction.redirect_uri = redirect_uri;
  transaction.issuer = issuer;
  transaction.client_id = "spa";
  transaction.verifier = Secret("verifier-verifier-verifier-verifier-verifier-0");
  transaction.created_at = now - 5;

  auto validated = validate_callback(*params, transaction, *metadata, now);
  if (!validated.ok()) {
    fuzz::require_typed(validated.error());
    return 0;
  }
  // Only a callback with our state, the issuer's iss and a code gets through.
  fuzz::require(params->state && *params->state == state);
  fuzz::require(params->iss && *params->iss == issuer);
  fuzz::require(!validated->code().empty() && !params->error);
  return 0;
}
