// Authorization server metadata: OpenID Connect Discovery 1.0 §4 and RFC 8414 §3.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "protocol/http.hpp"

namespace oauth {

// What we keep of a discovery document. Endpoint URLs are empty when the server lists none;
// every one present is an absolute https URL (http only to a loopback host) without a fragment.
// A list is nullopt when absent, which differs from an empty list.
struct ServerMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;  // always present: every grant we run needs it
  std::string jwks_uri;
  std::string userinfo_endpoint;
  std::string revocation_endpoint;
  std::string introspection_endpoint;
  std::string end_session_endpoint;
  std::string device_authorization_endpoint;
  std::string pushed_authorization_request_endpoint;
  bool require_pushed_authorization_requests = false;          // RFC 9126 §5
  bool authorization_response_iss_parameter_supported = false;  // RFC 9207 §3
  std::optional<std::vector<std::string>> code_challenge_methods_supported;
  std::optional<std::vector<std::string>> dpop_signing_alg_values_supported;
  std::optional<std::vector<std::string>> id_token_signing_alg_values_supported;
  std::optional<std::vector<std::string>> token_endpoint_auth_methods_supported;
  std::optional<std::vector<std::string>> grant_types_supported;
  std::optional<std::vector<std::string>> response_types_supported;
  std::optional<std::vector<std::string>> scopes_supported;
};

// Metadata known to be the configured issuer's: its issuer is identical, character for
// character, to the one the client is configured with (RFC 8414 §3.3, OIDC Discovery §4.3; the
// mix-up defence RFC 9207 §1 builds on). Only process_metadata_response and of_issuer make one,
// and both check that rule here, once: the request builders take this type and never compare
// issuers again.
class IssuerMetadata {
 public:
  // `metadata` as the configured issuer's; another issuer is issuer_mismatch (remote: the server
  // named it), as in process_metadata_response.
  static Result<IssuerMetadata> of_issuer(ServerMetadata metadata, std::string_view configured_issuer);

  const ServerMetadata& operator*() const { return metadata_; }
  const ServerMetadata* operator->() const { return &metadata_; }

 private:
  IssuerMetadata() = default;
  explicit IssuerMetadata(ServerMetadata metadata) : metadata_(std::move(metadata)) {}
  friend Result<IssuerMetadata> process_metadata_response(const HttpResponse&, std::string_view);

  ServerMetadata metadata_;
};

// An issuer is an https URL (http only to a loopback host: insecure_issuer otherwise) with no
// query or fragment (RFC 8414 §2; OIDC Discovery §3). Misuse is local: the caller configured it.
Status check_issuer(std::string_view issuer);

// GET <issuer>/.well-known/openid-configuration, one trailing '/' of the issuer removed
// (OIDC Discovery §4.1). Refuses an issuer check_issuer refuses.
Result<HttpRequest> build_discovery_request(std::string_view issuer);

// Judges the discovery response (OIDC Discovery §4.3, RFC 8414 §3.3): HTTP 200, at most
// kMaxResponseBodyBytes, one JSON object without repeated members, `issuer` identical to
// `expected_issuer` (issuer_mismatch, IssuerMetadata's rule), endpoints well-formed, every member
// of its type.
Result<IssuerMetadata> process_metadata_response(const HttpResponse& response, std::string_view expected_issuer);

// PKCE downgrade defence (OAuth 2.1 §7.5.2, RFC 9700 §2.1.1): when the server lists
// code_challenge_methods_supported without S256, refuse (pkce_not_supported) rather than fall
// back to `plain` or to no PKCE. When the member is absent we allow it and send S256 anyway:
// RFC 8414 §2 reads omission as "no PKCE", but OpenID Connect Discovery does not define the
// member and many providers support S256 without listing it. Against such a server the `state`
// check remains the CSRF defence and the exchange still sends code_verifier.
Status check_pkce_s256_supported(const ServerMetadata& metadata);

}  // namespace oauth
