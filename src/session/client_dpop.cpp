// The session's DPoP (RFC 9449) and PAR (RFC 9126) decisions: when to use them, the per-session
// key, proofs on token requests with the one nonce retry, and nonces from resource responses.
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
    auto key = DpopKey::generate();
    OAUTH_TRY(key);
    dpop_key_ = std::move(*key);
  }
  return &*dpop_key_;
}

Status Client::attach_dpop_proof(HttpRequest& request, std::string_view access_token, std::int64_t now) const {
  if (!dpop_key_) return Error::local(codes::dpop_key_lost, OAUTH_TEXT("this session holds no DPoP key"));
  auto url = dpop_request_url(request.url);  // parsed once: the nonce's origin and the htu
  OAUTH_TRY(url);
  auto proof = dpop_key_->proof({request.method, *url, now, dpop_nonces_.nonce_for(*url), access_token});
  OAUTH_TRY(proof);
  auto held = std::find_if(request.headers.begin(), request.headers.end(),
                           [](const auto& header) { return header.first == "DPoP"; });
  if (held != request.headers.end()) held->second = std::move(*proof);
  else request.headers.emplace_back("DPoP", std::move(*proof));
  return Ok{};
}

Result<ProvedTokenRequest> Client::prove_token_request(HttpRequest& request, bool use_dpop, std::int64_t at) {
  if (!use_dpop) return ProvedTokenRequest{};
  OAUTH_TRY(session_dpop_key());
  OAUTH_TRY(attach_dpop_proof(request, {}, at));
  return ProvedTokenRequest{request, false};
}

Result<ProvedTokenRequest> Client::prove_grant_request(HttpRequest& request, std::int64_t at) {
  return prove_token_request(request, dpop_enabled(), at);
}

Result<std::optional<HttpRequest>> Client::nonce_retry(ProvedTokenRequest& request, const HttpResponse& response,
                                                       std::int64_t now) {
  if (!request.proved()) return std::optional<HttpRequest>();
  // RFC 9449 §8.2: a DPoP-Nonce on any token endpoint response replaces the one we hold.
  const bool fresh = dpop_nonces_.observe(request.sent->url, response);
  if (!fresh || request.retried || !is_token_endpoint_nonce_demand(response)) return std::optional<HttpRequest>();
  // RFC 9449 §8: once, with a new proof carrying the nonce.
  OAUTH_TRY(attach_dpop_proof(*request.sent, {}, now));
  request.retried = true;
  return std::optional<HttpRequest>(*request.sent);
}

Status Client::check_token_type(TokenType token_type, bool used_dpop) const {
  if (token_type == TokenType::dpop) {
    if (used_dpop) return Ok{};
    return Error::remote(codes::unsupported_token_type, OAUTH_TEXT("a DPoP-bound token was issued but DPoP is not in use"));
  }
  // RFC 9449 §5: a Bearer answer to a DPoP request is the server declining to bind the token.
  if (used_dpop && !settings_.dpop_allow_bearer)
    return Error::remote(codes::unsupported_token_type,
                         OAUTH_TEXT("the server issued a Bearer token to a DPoP request (dpopAllowBearer is off)"));
  return Ok{};
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
