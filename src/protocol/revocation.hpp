// Token revocation (RFC 7009): the refresh token first (revoking it also ends the grant at most
// servers, §2.1), then the access token.
#pragma once
#include <vector>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/client_auth.hpp"
#include "protocol/http.hpp"
#include "protocol/metadata.hpp"

namespace oauth {

// POST revocation_endpoint: token, token_type_hint (RFC 7009 §2.1), and the client's authentication.
// A server without a revocation_endpoint gets no request (an empty list): revocation is optional.
// An empty token is skipped.
Result<std::vector<HttpRequest>> build_revocation_requests(const IssuerMetadata& metadata, const ClientConfig& client,
                                                           const Secret& refresh_token, const Secret& access_token,
                                                           const ClientAuth& auth = ClientAuth::none());

}  // namespace oauth
