#include "session/client.hpp"

#include <algorithm>

#include "core/error_codes.hpp"
#include "crypto/secret.hpp"
#include "json/json_write.hpp"
#include "protocol/callback.hpp"
#include "protocol/param_syntax.hpp"
#include "protocol/jwks_lifetime.hpp"
#include "protocol/pushed_authorization_request.hpp"
#include "protocol/revocation.hpp"
#include "protocol/token_request.hpp"
#include "protocol/token_response.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

// Whether the token endpoint's answer to a refresh ends the session. invalid_grant is final
// (RFC 6749 §5.2): the refresh token was revoked, expired or reused, and after reuse the server
// revokes the whole family (RFC 9700 §4.14.2). So is any 400 or 401, whatever its body: §5.2
// answers a refused grant or client with them, and a server that leaves out the JSON error
// (Glewlwyd: a disabled refresh token, 400 and no body) has refused it all the same; sending it
// again cannot help. Only a second use_dpop_nonce demand (RFC 9449 §8: "try again with this
// nonce", already tried once) is not a refusal of the grant.
bool refresh_refused(const Error& error) {
  if (error.code == "invalid_grant") return true;
  return (error.http_status == 400 || error.http_status == 401) && error.code != "use_dpop_nonce";
}

}  // namespace

Result<Client> Client::create(ClientSettings settings) {
  OAUTH_TRY(check_issuer(settings.client.issuer));
  return Client(std::move(settings));
}

Result<HttpRequest> Client::discovery_request() const { return build_discovery_request(settings_.client.issuer); }

Status Client::accept_metadata(const HttpResponse& response) {
  OAUTH_ASSIGN_OR_RETURN(metadata_, process_metadata_response(response, settings_.client.issuer));
  return Ok{};
}

Result<ClientConfig> Client::client_for(std::string_view redirect_uri) const {
  ClientConfig config = settings_.client;
  if (redirect_uri.empty() || redirect_uri == config.redirect_uri) return config;
  // Exact string comparison, as the server does (RFC 9700 §4.1.3): only a URI the app configured.
  if (!settings_.allows_redirect_uri(redirect_uri))
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the redirect URI is not one this client is configured with"));
  config.redirect_uri = std::string(redirect_uri);
  return config;
}

Result<Step> Client::authorize(const AuthorizationOptions& options, std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  OAUTH_ASSIGN_OR_RETURN(auto client, client_for(options.redirect_uri));
  AuthorizationOptions bound = options;
  bound.dpop_jkt.clear();
  if (dpop_enabled() && options.bind_dpop_key) {
    OAUTH_ASSIGN_OR_RETURN(const DpopKey* key, session_dpop_key());
    bound.dpop_jkt = key->thumbprint();
  }
  OAUTH_ASSIGN_OR_RETURN(bool par, use_par());
  if (par) {
    OAUTH_ASSIGN_OR_RETURN(auto pushed, build_pushed_authorization_request(*metadata_, client, bound, now, settings_.auth));
    pushing_ = std::move(pushed.transaction);
    return Step::perform(std::move(pushed.request));
  }
  OAUTH_ASSIGN_OR_RETURN(auto request, build_authorization_request(*metadata_, client, bound, now));
  return navigate_with(std::move(request.transaction), std::move(request.url));
}

Step Client::navigate_with(Transaction transaction, std::string url) {
  Navigation to{std::move(url), transaction.state, transaction_to_json(transaction)};
  if (transactions_.size() >= kMaxPendingTransactions) transactions_.erase(transactions_.begin());
  transactions_.push_back(std::move(transaction));
  return Step::go(std::move(to));
}

Result<Step> Client::finish_push(const HttpResponse& response) {
  Transaction transaction = std::move(*pushing_);
  pushing_.reset();
  OAUTH_ASSIGN_OR_RETURN(auto url, process_pushed_authorization_response(response, *metadata_, settings_.client));
  return navigate_with(std::move(transaction), std::move(url));
}

Result<Transaction> Client::take_transaction(std::string_view state, std::string_view transaction_json) {
  // Compared without an early exit, as validate_callback does (RFC 9700 §4.7).
  auto held = std::find_if(transactions_.begin(), transactions_.end(),
                           [&](const Transaction& t) { return constant_time_equal(t.state, state); });
  if (held != transactions_.end()) {
    Transaction t = std::move(*held);
    transactions_.erase(held);
    return t;
  }
  if (transaction_json.empty())
    return Error::remote(codes::state_mismatch, OAUTH_TEXT("the callback's state matches no live transaction"));
  // The redirect mode's stored copy: validate_callback still compares its state with the callback's.
  return transaction_from_json(transaction_json);
}

Result<Step> Client::callback(std::string_view url, std::string_view transaction_json, std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  // The answer to a refresh in flight carries the rotated refresh token (RFC 9700 §4.14.2):
  // dropping it would leave the session with a spent one.
  if (pending_ == Pending::refresh) return Error::local(codes::out_of_order, OAUTH_TEXT("a refresh is pending"));
  drop_pending();
  // A transaction held here knows the redirect URI its request named (the client's, the popup's or
  // the silent one); a stored one comes back to the client's own. A state held by none, at the silent page,
  // is judged there (state_mismatch, not a redirect URI the app did configure).
  CallbackUrl callback_url = CallbackUrl::read(url);  // parsed once
  std::string state = callback_url.state();
  std::string expected = settings_.client.redirect_uri;
  bool held = false;
  for (const Transaction& t : transactions_) {
    if (!constant_time_equal(t.state, state)) continue;
    expected = t.redirect_uri;
    held = true;
  }
  // Likewise a state held by none at the popup's page.
  for (const std::string* other : {&settings_.silent_redirect_uri, &settings_.client.popup_redirect_uri}) {
    if (!held && !other->empty() && callback_url.fits(*other)) expected = *other;
  }
  auto params = parse_callback_url(std::move(callback_url), expected);
  if (!params) {
    // A transaction is used once, whatever the outcome (RFC 9700 §4.7): a refused callback too.
    if (!state.empty()) static_cast<void>(take_transaction(state, ""));
    return std::move(params).take_error();
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& transaction, take_transaction(params->state.value_or(std::string()), transaction_json));
  if (transaction.redirect_uri != expected)
    return Error::local(codes::redirect_uri_mismatch, OAUTH_TEXT("the callback URL does not come to the transaction's redirect URI"));
  OAUTH_ASSIGN_OR_RETURN(auto&& validated,
                         validate_callback(*params, transaction, *metadata_, now, settings_.transaction_ttl));
  // RFC 9449 §10: a code bound with dpop_jkt can only be redeemed with that key.
  if (!transaction.dpop_jkt.empty() && (!dpop_key_ || dpop_key_->thumbprint() != transaction.dpop_jkt))
    return Error::local(codes::dpop_key_lost, OAUTH_TEXT("the code is bound to a DPoP key this session no longer holds"));
  OAUTH_ASSIGN_OR_RETURN(auto&& client, client_for(transaction.redirect_uri));
  OAUTH_ASSIGN_OR_RETURN(auto&& request, build_authorization_code_request(*metadata_, client, validated, transaction,
                                                                          settings_.auth));
  OAUTH_TRY(send_token_request(exchange_, request, dpop_enabled() || !transaction.dpop_jkt.empty(), now));
  pending_ = Pending::token_exchange;
  pending_transaction_ = std::move(transaction);
  return Step::perform(std::move(request));
}

Result<Step> Client::resume(const HttpResponse& response, std::int64_t now, TokenExchange* grant) {
  Pending pending = pending_;
  // A PAR push waits beside the other exchanges; its answer comes when none of them is pending.
  if (!grant && pending == Pending::none && pushing_ && metadata_) return finish_push(response);
  // Every token endpoint answer passes here: the login's, the refresh's and the grants'.
  TokenExchange* exchange = grant;
  if (!grant && (pending == Pending::token_exchange || pending == Pending::refresh)) exchange = &exchange_;
  if (exchange) {
    auto retry = exchange->answer(response, dpop_key(), dpop_nonces_, now);
    if (retry && *retry) return Step::perform(std::move(**retry));  // the same exchange, once more
    if (retry && grant) return finish_grant(*grant, response, now);
    if (!retry) {
      if (!grant) drop_pending();
      return std::move(retry).take_error();
    }
  }
  pending_ = Pending::none;
  Result<Step> step = Error::local(codes::out_of_order, OAUTH_TEXT("no request is waiting for a response"));
  switch (pending) {
    case Pending::token_exchange: step = finish_token_exchange(response, now); break;
    case Pending::refresh: step = finish_refresh(response, now); break;
    case Pending::jwks: step = finish_jwks(response, now); break;
    case Pending::none: return step;
  }
  // A failed step leaves nothing half-applied behind it.
  if (!step.ok() || step->done) drop_pending();
  return step;
}

void Client::drop_pending() {
  pending_ = Pending::none;
  jwks_fetched_for_exchange_ = false;
  pending_transaction_.reset();
  pending_tokens_.reset();
  exchange_.end();
}

Result<Step> Client::finish_token_exchange(const HttpResponse& response, std::int64_t now) {
  OAUTH_ASSIGN_OR_RETURN(auto&& tokens, process_token_response(response));
  TokenSet set = TokenSet::from_response(std::move(tokens), now, pending_transaction_ ? pending_transaction_->scope : "");
  set.proved = exchange_.proved();
  OAUTH_TRY(exchange_.check_token_type(set.token_type, settings_.dpop_allow_bearer));
  // OIDC Core §3.1.3.3: an openid request (it carried a nonce) must be answered with an ID token.
  if (set.id_token.empty() && pending_transaction_ && !pending_transaction_->nonce.empty())
    return Error::remote(codes::id_token_invalid, OAUTH_TEXT("the token response has no ID token for an openid request"));
  pending_tokens_ = std::move(set);
  pending_exchange_ = Exchange::login;
  return accept_pending_tokens(now);
}

Result<Step> Client::refresh(std::int64_t now) {
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, OAUTH_TEXT("another request is pending"));
  if (!has_refresh_token()) return Error::local(codes::login_required, OAUTH_TEXT("there is no refresh token"));
  OAUTH_ASSIGN_OR_RETURN(auto&& request, build_refresh_request(*metadata_, settings_.client, tokens_->refresh_token,
                                                               std::nullopt, {}, settings_.auth));
  // A refresh token issued to a proved request is bound to the key, also beside a Bearer access
  // token (dpopAllowBearer), and is presented with a proof of it (RFC 9449 §5); tokens obtained
  // without a proof refresh without one, keeping their token type. (DPoP tokens are always proved:
  // the exchange's check_token_type refuses them otherwise.)
  OAUTH_TRY(send_token_request(exchange_, request, tokens_->proved, now));
  pending_ = Pending::refresh;
  return Step::perform(std::move(request));
}

std::optional<std::int64_t> Client::refresh_at() const {
  if (!has_refresh_token() || !tokens_->expires_at) return std::nullopt;
  const std::int64_t lifetime = *tokens_->expires_at - tokens_->obtained_at;
  return *tokens_->expires_at - std::min(settings_.refresh_margin, lifetime / 2);
}

std::optional<std::int64_t> Client::refresh_in(std::int64_t now) const {
  auto at = refresh_at();
  if (!at || *tokens_->expires_at - tokens_->obtained_at < kMinTimedLifetime) return std::nullopt;
  return std::max<std::int64_t>(*at - now, 1);
}

bool Client::refresh_due(std::int64_t now) const {
  auto at = refresh_at();
  return at && now >= *at;
}

LoginResult Client::result(std::int64_t now) const {
  return LoginResult{user_, tokens_->expires_at, tokens_->scope, refresh_in(now)};
}

Result<Step> Client::finish_refresh(const HttpResponse& response, std::int64_t now) {
  if (!tokens_) return Error::local(codes::login_required, OAUTH_TEXT("the session ended during the refresh"));
  auto tokens = process_token_response(response);
  if (!tokens) {
    if (refresh_refused(tokens.error())) {
      logout();
      Error ended = tokens.error();  // its http_status stays
      ended.description = concat({OAUTH_TEXT("the refresh token was refused (HTTP "), decimal(ended.http_status), " ", ended.code,
                                  OAUTH_TEXT("); the user must log in again")});
      ended.code = codes::session_expired;
      return ended;
    }
    return std::move(tokens).take_error();  // 5xx, 429, a lost answer and malformed ones keep the session
  }
  TokenSet set = TokenSet::from_response(std::move(*tokens), now, tokens_->scope);
  set.proved = exchange_.proved();
  // The server has spent the old refresh token (rotation, RFC 9700 §4.14.2): adopt the new one now,
  // so that a refused token type or a failed JWKS fetch later in this refresh cannot leave the
  // session holding a token the server would take for a replay. The old one is wiped by the assignment.
  if (!set.refresh_token.empty()) tokens_->refresh_token = std::move(set.refresh_token);
  // The login's rule for the proof sent (RFC 9449 §5), and a DPoP session never falls back to
  // Bearer; a proved refresh of a Bearer session may come back DPoP-bound.
  const bool downgrade = tokens_->token_type == TokenType::dpop && set.token_type != TokenType::dpop;
  if (downgrade || !exchange_.check_token_type(set.token_type, settings_.dpop_allow_bearer).ok())
    return Error::remote(codes::unsupported_token_type, OAUTH_TEXT("the refresh changed the token type"));
  pending_tokens_ = std::move(set);
  pending_exchange_ = Exchange::refresh;
  return accept_pending_tokens(now);
}

Result<Step> Client::finish_grant(TokenExchange& grant, const HttpResponse& response, std::int64_t now) {
  OAUTH_ASSIGN_OR_RETURN(auto&& tokens, process_token_response(response));
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, OAUTH_TEXT("another request is pending"));
  drop_pending();
  if (grant.subject() == TokenExchange::Subject::client) {
    tokens.refresh_token.reset();
    tokens.id_token.reset();
  } else if (!tokens.id_token && scope_has_token(tokens.scope.value_or(grant.scope()), "openid")) {
    return Error::remote(codes::id_token_invalid, OAUTH_TEXT("the token response has no ID token for an openid request"));
  }
  TokenSet set = TokenSet::from_response(std::move(tokens), now, grant.scope());
  set.proved = grant.proved();
  OAUTH_TRY(grant.check_token_type(set.token_type, settings_.dpop_allow_bearer));
  pending_tokens_ = std::move(set);
  pending_exchange_ = Exchange::login;
  auto step = accept_pending_tokens(now);
  if (!step.ok() || step->done) drop_pending();
  return step;
}

Step Client::fetch_jwks() {
  jwks_.reset();
  jwks_fetched_for_exchange_ = true;
  pending_ = Pending::jwks;
  HttpRequest request;
  request.method = "GET";
  request.url = (*metadata_)->jwks_uri;
  request.headers = {{"Accept", "application/json"}};
  return Step::perform(std::move(request));
}

Result<Step> Client::finish_jwks(const HttpResponse& response, std::int64_t now) {
  if (response.status != 200)
    return Error{codes::unexpected_status, concat({OAUTH_TEXT("the JWKS endpoint answered "), decimal(response.status)}), {},
                 Blame::remote, response.status};
  OAUTH_ASSIGN_OR_RETURN(jwks_, Jwks::parse(response.body));
  jwks_expires_at_ = now + jwks_lifetime(response.headers);
  return accept_pending_tokens(now);
}

Result<Step> Client::accept_pending_tokens(std::int64_t now) {
  TokenSet& set = *pending_tokens_;
  std::optional<VerifiedIdToken> verified;
  if (!set.id_token.empty()) {
    if ((*metadata_)->jwks_uri.empty())
      return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the server issued an ID token but publishes no jwks_uri"));
    // A withdrawn key stops being trusted when the JWKS expires (jwks_lifetime, RFC 9111 §5.2.2.1).
    if (!jwks_ || now >= jwks_expires_at_) return fetch_jwks();
    auto algs = id_token_algs((*metadata_)->id_token_signing_alg_values_supported, settings_.id_token_signing_alg);
    if (!algs) return refused_id_token(std::move(algs).take_error());
    IdTokenExpectations expect;
    expect.allowed_algs = *algs;
    expect.issuer = settings_.client.issuer;
    expect.client_id = settings_.client.client_id;
    expect.now = now;
    expect.clock_skew = settings_.clock_skew;
    expect.access_token = set.access_token.view();
    if (pending_exchange_ == Exchange::login && pending_transaction_) {
      if (!pending_transaction_->nonce.empty()) expect.nonce = pending_transaction_->nonce;
      expect.max_age = pending_transaction_->max_age;
    }
    auto id_token = validate_id_token(set.id_token.view(), *jwks_, expect);
    if (!id_token && id_token.error().code == codes::unknown_kid) {
      // Key rotation (OIDC Core §10.1.1): a kid the held JWKS lacks fetches it again, once per token
      // exchange, however recently it was fetched. That bounds what a server's unknown kids can
      // cost (no refetch loop), and a key rotated in just after the last fetch is still found.
      if (!jwks_fetched_for_exchange_) return fetch_jwks();
      return refused_id_token(Error::remote(codes::id_token_invalid, OAUTH_TEXT("no key of the issuer's JWKS matches the ID token")));
    }
    if (!id_token) return refused_id_token(std::move(id_token).take_error());
    if (pending_exchange_ == Exchange::refresh && id_token_) {
      auto same_user = check_refreshed_id_token(*id_token_, *id_token);
      if (!same_user) return refused_id_token(std::move(same_user).take_error());
    } else if (pending_exchange_ == Exchange::refresh && !restored_subject_.empty() &&
               id_token->subject() != restored_subject_) {
      // A restored session has no first ID token to compare with: its record's sub stands in.
      return refused_id_token(Error::remote(codes::id_token_invalid, OAUTH_TEXT("the refreshed ID token is for another user")));
    }
    verified = std::move(*id_token);
  }
  if (pending_exchange_ == Exchange::refresh && tokens_) {
    // Rotation: a new refresh token replaces the old one (wiped with the old set); none keeps it.
    if (set.refresh_token.empty()) set.refresh_token = std::move(tokens_->refresh_token);
    if (set.id_token.empty()) set.id_token = std::move(tokens_->id_token);
  }
  tokens_ = std::move(set);
  pending_tokens_.reset();
  if (verified) restored_subject_.clear();
  if (verified) {
    user_ = verified->claims();
    id_token_ = std::move(verified);
  } else if (pending_exchange_ == Exchange::login) {
    user_ = JsonValue();
    id_token_.reset();
  }
  return Step::finish(result(now));
}

Error Client::refused_id_token(Error error) {
  if (pending_exchange_ != Exchange::refresh) return error;  // a login: no session was made
  // OIDC Core §12.2: a refreshed ID token that fails validation (another user, a bad signature)
  // means the server cannot be trusted with this session; end it rather than carry on with a
  // refresh token of unknown standing.
  logout();
  error.code = codes::session_expired;
  error.description = concat({OAUTH_TEXT("the refreshed ID token was refused ("), error.description, OAUTH_TEXT("); the session was ended")});
  return error;
}

bool Client::authenticated(std::int64_t now) const { return usable_tokens(now).ok(); }

Result<const TokenSet*> Client::usable_tokens(std::int64_t now) const {
  if (!tokens_) return Error::local(codes::login_required, OAUTH_TEXT("no user is logged in"));
  // A restored session holds only its refresh token until the first refresh.
  if (tokens_->access_token.empty()) return Error::local(codes::token_expired, OAUTH_TEXT("no access token yet: refresh first"));
  if (tokens_->expires_within(now, 0)) return Error::local(codes::token_expired, OAUTH_TEXT("the access token has expired"));
  return &*tokens_;
}

Result<HttpHeaders> Client::authorize_resource(std::string_view url, std::string_view method,
                                              std::int64_t now) const {
  OAUTH_ASSIGN_OR_RETURN(auto&& parsed, parse_url(url));
  const std::string origin = parsed.origin();
  if (std::find(settings_.api_origins.begin(), settings_.api_origins.end(), origin) == settings_.api_origins.end())
    return Error::local(codes::origin_not_allowed, OAUTH_TEXT("tokens are only sent to the configured API origins"));
  OAUTH_ASSIGN_OR_RETURN(const TokenSet* tokens, usable_tokens(now));
  const std::string_view access_token = tokens->access_token.view();
  // The Authorization value is built in place, with no temporary copy of the token left unwiped;
  // the caller wipes the headers once sent.
  HttpHeaders headers(1);
  headers[0].first = "Authorization";
  const bool bound = tokens->token_type == TokenType::dpop;
  const std::string_view scheme = bound ? "DPoP " : "Bearer ";  // RFC 9449 §7.1, RFC 6750 §2.1
  headers[0].second.reserve(scheme.size() + access_token.size());
  headers[0].second.append(scheme).append(access_token);
  if (!bound) return headers;
  if (!dpop_key_) {
    wipe_header_values(headers);
    return Error::local(codes::dpop_key_lost, OAUTH_TEXT("the access token is bound to a DPoP key this session no longer holds"));
  }
  // RFC 9449 §7.1: a proof with ath for this request.
  auto proof = dpop_key_->proof({method, parsed, now, dpop_nonces_.nonce_for(parsed), access_token});
  if (!proof) {
    wipe_header_values(headers);
    return std::move(proof).take_error();
  }
  headers.emplace_back("DPoP", std::move(*proof));
  return headers;
}

Result<std::vector<HttpRequest>> Client::revocation_requests() const {
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  if (!tokens_) return std::vector<HttpRequest>();
  return build_revocation_requests(*metadata_, settings_.client, tokens_->refresh_token, tokens_->access_token,
                                   settings_.auth);
}

Result<EndSessionRequest> Client::end_session_request(std::string_view post_logout_redirect_uri,
                                                     bool with_id_token_hint) const {
  if (!metadata_) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  auto hint = with_id_token_hint && tokens_ ? tokens_->id_token.view() : std::string_view();
  return build_end_session_request(*metadata_, settings_.client, hint, post_logout_redirect_uri);
}

void Client::logout() {
  dpop_key_.reset();  // the private scalar is wiped with it
  dpop_nonces_.clear();
  pushing_.reset();
  tokens_.reset();
  id_token_.reset();
  restored_subject_.clear();
  user_ = JsonValue();
  transactions_.clear();
  drop_pending();
}

}  // namespace oauth
