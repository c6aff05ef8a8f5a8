// Pushed authorization requests (RFC 9126): the authorization parameters go to the server in a
// back-channel POST, and the browser navigates with client_id and request_uri only.
#pragma once
#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/client_auth.hpp"
#include "protocol/http.hpp"
#include "protocol/metadata.hpp"

namespace oauth {

// request_uri values longer than this are refused (ours: they end up in a URL).
inline constexpr std::size_t kMaxRequestUriLength = 2048;

struct PushedAuthorization {
  HttpRequest request;      // POST to the pushed_authorization_request_endpoint
  Transaction transaction;  // as for the URL form: it checks the callback
};

// RFC 9126 §2.1: the parameters of build_authorization_request, form-encoded, with the client's
// authentication. Refused: a server without the endpoint or without an authorization endpoint
// (invalid_metadata), and whatever build_authorization_request refuses in the options.
Result<PushedAuthorization> build_pushed_authorization_request(const IssuerMetadata& metadata,
                                                               const ClientConfig& client,
                                                               const AuthorizationOptions& options, std::int64_t now,
                                                               const ClientAuth& auth = ClientAuth::none());

// RFC 9126 §2.2: HTTP 201 (200 tolerated), JSON, request_uri a non-empty string of visible ASCII
// (at most kMaxRequestUriLength), expires_in a positive integer. Errors go through
// process_error_response (RFC 9126 §2.3). Returns the URL to navigate to (RFC 9126 §4):
// the authorization endpoint with client_id and request_uri only.
Result<std::string> process_pushed_authorization_response(const HttpResponse& response,
                                                          const IssuerMetadata& metadata,
                                                          const ClientConfig& client);

}  // namespace oauth
