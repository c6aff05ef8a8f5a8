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

namespace oauth {

// What the user is shown (§3.3). The device code is not in it.
struct DevicePrompt {
  std::string user_code;
  std::string verification_uri;
  std::optional<std::string> verification_uri_complete;
  std::int64_t expires_in = 0;
  std::int64_t interval = 0;
};

// What the shim does next. Polling: wait `wait_seconds`, perform `poll`, feed the answer to
// DeviceGrant::resume (or, when no answer came, call DeviceGrant::no_response). Finished: the
// tokens went to the Client and `client_step` continues there (Client::resume), like a login.
struct DeviceStep {
  std::optional<DevicePrompt> prompt;  // with the first poll only
  std::int64_t wait_seconds = 0;
  std::optional<HttpRequest> poll;
  std::string poll_result;            // the last poll's answer: authorization_pending, slow_down, no_response
  std::int64_t interval = 0;          // the interval now in force
  std::optional<Step> client_step;
};

class DeviceGrant {
 public:
  // The device authorization request for `client` (its metadata, client_id and authentication).
  static Result<DeviceGrant> start(const Client& client, GrantOptions options, HttpRequest& request);

  // The response to the last request: first the device authorization response, then each poll's.
  // Polls carry a DPoP proof when the client uses DPoP; a poll answered with a nonce demand (RFC
  // 9449 §8) is sent again at once (wait 0, result use_dpop_nonce) with a new proof, once.
  Result<DeviceStep> resume(Client& client, const HttpResponse& response, std::int64_t now);

  // The last poll got no answer (§3.5: poll less often).
  Result<DeviceStep> no_response(Client& client, std::int64_t now);

  // Whether the grant can go on; after an error or the tokens it cannot.
  bool finished() const { return phase_ == Phase::finished; }

 private:
  enum class Phase { authorizing, polling, finished };
  explicit DeviceGrant(GrantOptions options) : options_(std::move(options)) {}
  Result<DeviceStep> next(Client& client, Result<PollDecision> decision, std::int64_t now);

  Phase phase_ = Phase::authorizing;
  GrantOptions options_;
  Secret device_code_;
  std::optional<DevicePoll> poll_;
  // The last poll as sent when it carries a DPoP proof (RFC 9449), for its nonce retry.
  ProvedTokenRequest poll_request_;
};

}  // namespace oauth
