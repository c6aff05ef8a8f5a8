// Token endpoint requests: the authorization code exchange (RFC 6749 §4.1.3, RFC 7636 §4.5) and
// the refresh (RFC 6749 §6), with resource indicators (RFC 8707 §2.2).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/callback.hpp"
#include "protocol/client_auth.hpp"
#include "protocol/http.hpp"
#include "protocol/metadata.hpp"

namespace oauth {

// POST token_endpoint, form-encoded: grant_type=authorization_code, code, redirect_uri (the
// transaction's: RFC 6749 §4.1.3 wants it identical), code_verifier, and the client's
// authentication. Refused (local): a callback that answered another transaction, a transaction
// made for another issuer than the metadata's (check_transaction_issuer), or a client and
// transaction that disagree on client_id or redirect_uri.
Result<HttpRequest> build_authorization_code_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                     const ValidatedCallback& callback,
                                                     const Transaction& transaction,
                                                     const ClientAuth& auth = ClientAuth::none());

// POST token_endpoint: grant_type=refresh_token, refresh_token, scope when given (it may only
// narrow the grant: RFC 6749 §6), resource for each given, and the client's authentication.
Result<HttpRequest> build_refresh_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                          const Secret& refresh_token, const std::optional<std::string>& scope,
                                          const std::vector<std::string>& resources,
                                          const ClientAuth& auth = ClientAuth::none());

}  // namespace oauth
