// The device flow of one Client, from the device authorization request to the tokens: the
// request, the prompt for the user, the polls (device_poll.hpp decides when), and the tokens
// handed to the Client, which verifies an ID token as for any login (OIDC: openid in scope).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "grants/device_authorization.hpp"
#include "grants/device_poll.hpp"
#include "session/client.hpp"
#include "session/token_exchange.hpp"

namespace oauth {

// What the user is shown (§3.3), as the detail of the first poll's "device_code" event:
// { userCode, verificationUri, verificationUriComplete (null when none), expiresIn, interval }. The
// device code is not in it. Every later poll's step carries a "device_poll" event: { result,
// interval }, the last poll's answer (authorization_pending, slow_down, no_response,
// use_dpop_nonce) and the interval now in force.
class DeviceGrant {
 public:
  // The device authorization request for `client` (its metadata, client_id and authentication).
  static Result<DeviceGrant> start(const Client& client, GrantOptions options, HttpRequest& request);

  // The response to the last request: first the device authorization response, then each poll's
  // (status 0: the poll got no answer, §3.5: poll less often). While polling: Step wait (the
  // interval, the next poll, the event). Each poll's answer is read by the client's token exchange
  // (Client::resume): polls carry a DPoP proof when the client uses DPoP; a poll answered with a
  // nonce demand (RFC 9449 §8) is sent again at once (wait 0, result use_dpop_nonce) with a new
  // proof, once. With the tokens: they become the Client's (an openid grant is answered with an ID
  // token, verified as a login's), and its Step continues there (Client::resume).
  Result<Step> resume(Client& client, const HttpResponse& response, std::int64_t now);

  // Whether the grant can go on; after an error or the tokens it cannot.
  bool finished() const { return phase_ == Phase::finished; }

 private:
  enum class Phase { authorizing, polling, finished };
  explicit DeviceGrant(GrantOptions options)
      : options_(std::move(options)), poll_exchange_(options_.scope.value_or(""), TokenExchange::Subject::user) {}
  Result<Step> next(Client& client, Result<PollDecision> decision, std::int64_t now);
  StepEvent poll_event(std::string result) const;
  void finish();

  Phase phase_ = Phase::authorizing;
  GrantOptions options_;
  Secret device_code_;
  std::optional<DevicePoll> poll_;
  // The last poll's exchange with the token endpoint.
  TokenExchange poll_exchange_;
};

}  // namespace oauth
