#include "grants/client_credentials.hpp"

#include <algorithm>

#include "core/error_codes.hpp"
#include "crypto/sha2.hpp"

namespace oauth {
namespace {

bool same_options(const GrantOptions& a, const GrantOptions& b) { return a.scope == b.scope && a.resource == b.resource; }

}  // namespace

Result<HttpRequest> build_client_credentials_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                     const GrantOptions& options, const ClientAuth& auth) {
  OAUTH_TRY(check_grant_client(metadata, client));
  if (auth.method() == ClientAuth::Method::none)
    return Error::local(codes::invalid_argument,
                        OAUTH_TEXT("the client credentials grant needs a client secret (RFC 6749 §4.4.2)"));
  FormParamViews form = {{"grant_type", "client_credentials"}};
  if (options.scope) form.emplace_back("scope", *options.scope);
  for (const auto& resource : options.resource) form.emplace_back("resource", resource);
  return client_form_post(metadata->token_endpoint, std::move(form), client.client_id, auth);
}

bool client_credentials_needs_renewal(std::optional<std::int64_t> expires_at, std::int64_t obtained_at,
                                      std::int64_t now) {
  if (!expires_at) return false;
  const std::int64_t lifetime = std::max<std::int64_t>(*expires_at - obtained_at, 0);
  const std::int64_t margin = std::min(kClientCredentialsRenewMargin, lifetime / 2);
  return now >= *expires_at - margin;
}

Result<Step> ClientCredentialsGrant::start(Client& client, GrantOptions options, std::int64_t now) {
  if (!client.metadata()) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  // One request at a time: a late answer to a replaced request would be cached under the new
  // options (scope, resource). An exchange that failed on the wire is answered with status 0.
  if (pending_) return Error::local(codes::out_of_order, OAUTH_TEXT("a client credentials request is still waiting for its response"));
  const TokenSet* held = client.tokens();
  if (cached_ && held && same_options(cached_->options, options) &&
      constant_time_equal(sha256(held->access_token.view()), cached_->token_hash) &&
      !client_credentials_needs_renewal(held->expires_at, cached_->obtained_at, now)) {
    return Step::finish(LoginResult{JsonValue(), held->expires_at, held->scope, client.refresh_in(now)});
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& request, build_client_credentials_request(*client.metadata(), client.settings().client,
                                                                          options, client.settings().auth));
  TokenExchange exchange(options.scope.value_or(""), TokenExchange::Subject::client);
  OAUTH_TRY(client.send_grant_request(exchange, request, now));
  pending_ = Pending{std::move(options), std::move(exchange)};
  return Step::perform(std::move(request));
}

Result<Step> ClientCredentialsGrant::resume(Client& client, const HttpResponse& response, std::int64_t now) {
  if (!pending_) return Error::local(codes::out_of_order, OAUTH_TEXT("no client credentials request is waiting for a response"));
  auto step = client.resume(response, now, &pending_->exchange);
  if (step && pending_->exchange.waiting()) return step;  // the nonce retry
  GrantOptions options = std::move(pending_->options);
  pending_.reset();
  OAUTH_TRY(step);
  const TokenSet* held = client.tokens();
  if (step->done && held) cached_ = Cached{std::move(options), sha256(held->access_token.view()), now};
  return step;
}

}  // namespace oauth
