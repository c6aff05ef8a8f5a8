#include "session/token_exchange.hpp"

#include <algorithm>

#include "core/error_codes.hpp"

namespace oauth {
namespace {

// A proof of `key` for `request` (RFC 9449 §4.2: no ath at the token endpoint), in its DPoP header.
Status prove(HttpRequest& request, const DpopKey* key, const DpopNonceCache& nonces, std::int64_t now) {
  if (!key) return Error::local(codes::dpop_key_lost, OAUTH_TEXT("this session holds no DPoP key"));
  OAUTH_ASSIGN_OR_RETURN(auto url, dpop_request_url(request.url));  // parsed once: the nonce's origin and the htu
  OAUTH_ASSIGN_OR_RETURN(auto proof, key->proof({request.method, url, now, nonces.nonce_for(url), {}}));
  auto held = std::find_if(request.headers.begin(), request.headers.end(),
                           [](const auto& header) { return header.first == "DPoP"; });
  if (held != request.headers.end()) held->second = std::move(proof);
  else request.headers.emplace_back("DPoP", std::move(proof));
  return Ok{};
}

}  // namespace

Status TokenExchange::start(HttpRequest& request, const DpopKey* key, const DpopNonceCache& nonces, std::int64_t at) {
  end();
  if (key) {
    OAUTH_TRY(prove(request, key, nonces, at));
    sent_ = request;
  }
  waiting_ = true;
  return Ok{};
}

Result<std::optional<HttpRequest>> TokenExchange::answer(const HttpResponse& response, const DpopKey* key,
                                                         DpopNonceCache& nonces, std::int64_t now) {
  waiting_ = false;
  if (!sent_) return std::optional<HttpRequest>();
  // RFC 9449 §8.2: a DPoP-Nonce on any token endpoint response replaces the one we hold.
  const bool fresh = nonces.observe(sent_->url, response);
  if (!fresh || retried_ || !is_token_endpoint_nonce_demand(response)) return std::optional<HttpRequest>();
  // RFC 9449 §8: once, with a new proof carrying the nonce.
  OAUTH_TRY(prove(*sent_, key, nonces, now));
  retried_ = true;
  waiting_ = true;
  return std::optional<HttpRequest>(*sent_);
}

Status TokenExchange::check_token_type(TokenType type, bool allow_bearer) const {
  if (type == TokenType::dpop) {
    if (proved()) return Ok{};
    return Error::remote(codes::unsupported_token_type, OAUTH_TEXT("a DPoP-bound token was issued but DPoP is not in use"));
  }
  // RFC 9449 §5: a Bearer answer to a DPoP request is the server declining to bind the token.
  if (proved() && !allow_bearer)
    return Error::remote(codes::unsupported_token_type,
                         OAUTH_TEXT("the server issued a Bearer token to a DPoP request (dpopAllowBearer is off)"));
  return Ok{};
}

void TokenExchange::end() {
  sent_.reset();
  waiting_ = false;
  retried_ = false;
}

}  // namespace oauth
