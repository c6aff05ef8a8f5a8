#include "protocol/token_request.hpp"

#include "core/error_codes.hpp"
#include "protocol/param_syntax.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

Status check_client_for(const IssuerMetadata& metadata, const ClientConfig& client) {
  if (client.client_id.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("client_id is empty"));
  if (metadata->token_endpoint.empty())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the server lists no token_endpoint"));
  return Ok{};
}

}  // namespace

Result<HttpRequest> build_authorization_code_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                     const ValidatedCallback& callback,
                                                     const Transaction& transaction, const ClientAuth& auth) {
  OAUTH_TRY(check_client_for(metadata, client));
  OAUTH_TRY(check_transaction_issuer(transaction, metadata));
  if (transaction.client_id != client.client_id || !client.is_registered_redirect_uri(transaction.redirect_uri))
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the transaction was made for another client_id or redirect_uri"));
  if (callback.state() != transaction.state)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the validated callback answered another transaction"));
  if (transaction.verifier.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the transaction has no verifier"));

  FormParamViews form = {
      {"grant_type", "authorization_code"},
      {"code", callback.code().view()},
      {"redirect_uri", transaction.redirect_uri},
      {"code_verifier", transaction.verifier.view()},
  };
  return client_form_post(metadata->token_endpoint, std::move(form), client.client_id, auth);
}

Result<HttpRequest> build_refresh_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                          const Secret& refresh_token, const std::optional<std::string>& scope,
                                          const std::vector<std::string>& resources, const ClientAuth& auth) {
  OAUTH_TRY(check_client_for(metadata, client));
  if (refresh_token.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the refresh token is empty"));
  if (scope && !is_valid_scope(*scope))
    return Error::local(codes::invalid_argument, OAUTH_TEXT("scope must be space-separated tokens of printable ASCII"));
  for (const auto& resource : resources) {
    if (!is_valid_resource(resource))
      return Error::local(codes::invalid_argument, OAUTH_TEXT("a resource must be an absolute URI without a fragment"));
  }

  FormParamViews form = {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token.view()}};
  if (scope) form.emplace_back("scope", *scope);
  for (const auto& resource : resources) form.emplace_back("resource", resource);
  return client_form_post(metadata->token_endpoint, std::move(form), client.client_id, auth);
}

}  // namespace oauth
