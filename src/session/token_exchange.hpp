// One request to the token endpoint, from its DPoP proof to its final answer (docs/SEAM.md, "The
// token endpoint"): the login's code redemption, the refresh and each grant's token request
// (src/grants) hold one, and the Client runs them all through it. The exchange proves the request
// with the session's key (RFC 9449 §4), answers a use_dpop_nonce demand once with a new proof
// (§8), and checks the final answer's token type against the proof it sent (§5); the caller builds
// the request and reads the final answer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "protocol/dpop_nonce_cache.hpp"
#include "protocol/dpop_proof.hpp"
#include "protocol/http.hpp"
#include "session/token_set.hpp"

namespace oauth {

class TokenExchange {
 public:
  // Whose tokens a grant's request asks for: a user's (the device flow: an openid scope is answered
  // with an ID token, OIDC Core §3.1.3.3), or the client's own (client credentials, RFC 6749
  // §4.4.3: a refresh token is dropped, and so is an ID token: there is no end-user).
  enum class Subject { user, client };

  TokenExchange() = default;
  // A grant's exchange: the scope it asked for (the tokens' scope when the answer names none, RFC
  // 6749 §5.1) and whose tokens they are.
  TokenExchange(std::string scope, Subject subject) : scope_(std::move(scope)), subject_(subject) {}

  // Starts the exchange with `request`, signed in place with `key` for the time `at` it will be
  // sent, with the nonce held for its origin (no key: sent without a proof).
  Status start(HttpRequest& request, const DpopKey* key, const DpopNonceCache& nonces, std::int64_t at);

  // The token endpoint's answer to the request sent: its DPoP-Nonce replaces the one held (§8.2);
  // a use_dpop_nonce demand to a proved request is answered by the same request with a new proof
  // of `key` carrying the nonce, once (§8: a second demand is the server's error, for the caller
  // to report). nullopt: the answer is final, for the caller to read.
  Result<std::optional<HttpRequest>> answer(const HttpResponse& response, const DpopKey* key, DpopNonceCache& nonces,
                                            std::int64_t now);

  // RFC 9449 §5, for the final answer: a DPoP token only to a proved request; a Bearer one to a
  // proved request only when `allow_bearer` (the server declined to bind it).
  Status check_token_type(TokenType type, bool allow_bearer) const;

  // The request sent carried a proof.
  bool proved() const { return sent_.has_value(); }
  // A request was sent (the first or its retry) and its answer has not come yet.
  bool waiting() const { return waiting_; }
  const std::string& scope() const { return scope_; }
  Subject subject() const { return subject_; }
  // Ends the exchange (the request kept for the retry is wiped); the grant's scope stays.
  void end();

 private:
  std::optional<HttpRequest> sent_;  // as sent, when proved: the retry resends it (wiped when dropped)
  bool waiting_ = false;
  bool retried_ = false;
  std::string scope_;
  Subject subject_ = Subject::user;
};

}  // namespace oauth
