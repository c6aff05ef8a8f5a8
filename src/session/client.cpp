#include "session/client.hpp"

#include <algorithm>

#include "core/error_codes.hpp"
#include "protocol/callback.hpp"
#include "protocol/token_request.hpp"
#include "protocol/token_response.hpp"
#include "protocol/url.hpp"
#include "session/display_claims.hpp"

namespace oauth {

Result<Client> Client::create(ClientSettings settings) {
  OAUTH_TRY(check_issuer(settings.client.issuer));
  return Client(std::move(settings));
}

Result<HttpRequest> Client::discovery_request() const { return build_discovery_request(settings_.client.issuer); }

Status Client::accept_metadata(const HttpResponse& response) {
  auto metadata = process_metadata_response(response, settings_.client.issuer);
  OAUTH_TRY(metadata);
  metadata_ = std::move(*metadata);
  return Ok{};
}

Result<AuthorizationStart> Client::authorize(const AuthorizationOptions& options, std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, "discovery has not completed");
  auto request = build_authorization_request(*metadata_, settings_.client, options, now);
  OAUTH_TRY(request);
  AuthorizationStart start{request->url, request->transaction.state, transaction_to_json(request->transaction)};
  if (transactions_.size() >= kMaxPendingTransactions) transactions_.erase(transactions_.begin());
  transactions_.push_back(std::move(request->transaction));
  return start;
}

Result<Transaction> Client::take_transaction(std::string_view state, std::string_view transaction_json) {
  auto held = std::find_if(transactions_.begin(), transactions_.end(),
                           [&](const Transaction& t) { return t.state == state; });
  if (held != transactions_.end()) {
    Transaction t = std::move(*held);
    transactions_.erase(held);
    return t;
  }
  if (transaction_json.empty())
    return Error::remote(codes::state_mismatch, "the callback's state matches no live transaction");
  // The redirect mode's stored copy: validate_callback still compares its state with the callback's.
  return transaction_from_json(transaction_json);
}

Result<Step> Client::callback(std::string_view url, std::string_view transaction_json, std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, "discovery has not completed");
  pending_ = Pending::none;
  pending_transaction_.reset();
  auto params = parse_callback_url(url, settings_.client.redirect_uri);
  OAUTH_TRY(params);
  auto transaction = take_transaction(params->state.value_or(std::string()), transaction_json);
  OAUTH_TRY(transaction);
  auto validated = validate_callback(*params, *transaction, *metadata_, now, settings_.transaction_ttl);
  OAUTH_TRY(validated);
  auto request = build_authorization_code_request(*metadata_, settings_.client, *validated, *transaction);
  OAUTH_TRY(request);
  pending_ = Pending::token_exchange;
  pending_transaction_ = std::move(*transaction);
  return Step::perform(std::move(*request));
}

Result<Step> Client::resume(const HttpResponse& response, std::int64_t now) {
  Pending pending = pending_;
  pending_ = Pending::none;
  switch (pending) {
    case Pending::token_exchange: return finish_token_exchange(response, now);
    case Pending::refresh: return finish_refresh(response, now);
    case Pending::none: break;
  }
  return Error::local(codes::out_of_order, "no request is waiting for a response");
}

Result<Step> Client::finish_token_exchange(const HttpResponse& response, std::int64_t now) {
  std::optional<Transaction> transaction = std::move(pending_transaction_);
  pending_transaction_.reset();
  auto tokens = process_token_response(response);
  OAUTH_TRY(tokens);
  TokenSet set = TokenSet::from_response(std::move(*tokens), now, transaction ? transaction->scope : std::string());
  if (set.token_type != "Bearer")
    return Error::remote(codes::unsupported_token_type, "a DPoP-bound token was issued but DPoP is not in use");
  // Until ID-token verification lands, claims are decoded for display only, never for a decision.
  user_ = set.id_token.empty() ? nlohmann::json() : display_claims(set.id_token.view());
  tokens_ = std::move(set);
  return Step::finish(LoginResult{user_, tokens_->expires_at, tokens_->scope});
}

Result<HttpRequest> Client::refresh_request(std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, "discovery has not completed");
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, "another request is pending");
  if (!has_refresh_token()) return Error::local(codes::login_required, "there is no refresh token");
  auto request = build_refresh_request(*metadata_, settings_.client, tokens_->refresh_token, std::nullopt, {});
  OAUTH_TRY(request);
  pending_ = Pending::refresh;
  return std::move(*request);
}

Result<Step> Client::finish_refresh(const HttpResponse& response, std::int64_t now) {
  auto tokens = process_token_response(response);
  if (!tokens) {
    // invalid_grant is final (RFC 6749 §5.2): the refresh token was revoked, expired or reused, and
    // after reuse the server revokes the whole family (RFC 9700 §4.14.2). End the session.
    if (tokens.error().code == "invalid_grant") {
      logout();
      Error ended = tokens.error();
      ended.code = codes::session_expired;
      ended.description = "the refresh token was refused (invalid_grant); the user must log in again";
      return ended;
    }
    return std::move(tokens).take_error();  // network-level and 5xx errors keep the session
  }
  TokenSet set = TokenSet::from_response(std::move(*tokens), now, tokens_->scope);
  if (set.token_type != tokens_->token_type)
    return Error::remote(codes::unsupported_token_type, "the refresh changed the token type");
  // Rotation: a new refresh token replaces the old one, which is wiped; none keeps the current one.
  if (set.refresh_token.empty()) set.refresh_token = std::move(tokens_->refresh_token);
  if (set.id_token.empty()) set.id_token = std::move(tokens_->id_token);
  tokens_ = std::move(set);
  return Step::finish(LoginResult{user_, tokens_->expires_at, tokens_->scope});
}

bool Client::authenticated(std::int64_t now) const { return usable_tokens(now).ok(); }

Result<const TokenSet*> Client::usable_tokens(std::int64_t now) const {
  if (!tokens_) return Error::local(codes::login_required, "no user is logged in");
  if (tokens_->expires_within(now, 0)) return Error::local(codes::token_expired, "the access token has expired");
  return &*tokens_;
}

Result<HttpHeaders> Client::authorize_resource(std::string_view url, std::string_view method,
                                              std::int64_t now) const {
  auto parsed = parse_url(url);
  OAUTH_TRY(parsed);
  const std::string origin = parsed->origin();
  if (std::find(settings_.api_origins.begin(), settings_.api_origins.end(), origin) == settings_.api_origins.end())
    return Error::local(codes::origin_not_allowed, "tokens are only sent to the configured API origins");
  auto tokens = usable_tokens(now);
  OAUTH_TRY(tokens);
  // RFC 6750 §2.1
  return HttpHeaders{{"Authorization", "Bearer " + std::string((*tokens)->access_token.view())}};
}

void Client::logout() {
  tokens_.reset();
  user_ = nlohmann::json();
  transactions_.clear();
  pending_ = Pending::none;
  pending_transaction_.reset();
}

}  // namespace oauth
