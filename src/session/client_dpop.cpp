// The session's DPoP (RFC 9449) and PAR (RFC 9126) decisions: when to use them, the per-session
// key, the token requests it proves (session/token_exchange.hpp runs them), and nonces from
// resource responses.
#include <algorithm>

#include "core/error_codes.hpp"
#include "protocol/url.hpp"
#include "session/client.hpp"

namespace oauth {

bool Client::dpop_enabled() const {
  if (settings_.dpop == FeatureMode::off || !metadata_) return false;
  if (settings_.dpop == FeatureMode::on) return true;
  const auto& algs = (*metadata_)->dpop_signing_alg_values_supported;
  return algs && std::find(algs->begin(), algs->end(), "ES256") != algs->end();
}

Result<bool> Client::use_par() const {
  const bool advertised = !(*metadata_)->pushed_authorization_request_endpoint.empty();
  if (settings_.par == FeatureMode::off) return false;  // a server requiring PAR then refuses the URL form
  if (settings_.par == FeatureMode::on && !advertised)
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("par is on but the server lists no pushed_authorization_request_endpoint"));
  return advertised;  // RFC 9126 §5: also when require_pushed_authorization_requests is set
}

Result<const DpopKey*> Client::session_dpop_key() {
  if (!dpop_key_) {
    if (external_dpop_)
      return Error::local(codes::dpop_key_lost, OAUTH_TEXT("the external DPoP key was dropped; install a new one first"));
    OAUTH_ASSIGN_OR_RETURN(dpop_key_, DpopKey::generate());
  }
  return &*dpop_key_;
}

Status Client::send_token_request(TokenExchange& exchange, HttpRequest& request, bool use_dpop, std::int64_t at) {
  const DpopKey* key = nullptr;
  if (use_dpop) {
    OAUTH_ASSIGN_OR_RETURN(key, session_dpop_key());
  }
  return exchange.start(request, key, dpop_nonces_, at);
}

Status Client::send_grant_request(TokenExchange& exchange, HttpRequest& request, std::int64_t at) {
  return send_token_request(exchange, request, dpop_enabled(), at);
}

bool Client::accept_resource_response(std::string_view url, const HttpResponse& response) {
  auto parsed = parse_url(url);
  if (!parsed.ok()) return false;
  const std::string origin = parsed->origin();
  if (std::find(settings_.api_origins.begin(), settings_.api_origins.end(), origin) == settings_.api_origins.end())
    return false;
  if (!tokens_ || tokens_->token_type != TokenType::dpop) return false;
  const bool fresh = dpop_nonces_.observe(*parsed, response);
  return fresh && is_resource_nonce_demand(response);
}

}  // namespace oauth
