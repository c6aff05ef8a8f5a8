// The device flow's polling state machine (RFC 8628 §3.4, §3.5), sans-I/O and without a clock of
// its own: it is told how the token endpoint refused the last poll (its tokens go to the Client's
// token exchange), or that no answer came, and when, and says "wait N seconds, then poll again",
// or fails with a typed error. The timer is the shim's.
//
//   authorization_pending  poll again after the interval
//   slow_down              the interval grows by 5 s, for this and every later poll
//   no answer at all       the interval doubles (§3.5: back off after a connection timeout)
//   access_denied, expired_token, anything else: the error, and polling ends
//   a poll that would fall at or after the deadline (received + expires_in) is not made: expired_token
#pragma once
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace oauth {

// §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
inline constexpr std::int64_t kSlowDownIncrement = 5;
// A poll never follows the previous one sooner than this, whatever the server says (0 would spin).
inline constexpr std::int64_t kMinPollInterval = 1;
// The interval never grows beyond this by backing off (slow_down may go further, up to the deadline).
inline constexpr std::int64_t kMaxBackoffInterval = 300;

// Wait, then send the device token request again.
struct PollDecision {
  std::int64_t wait_seconds = 0;
  std::string reason;  // "" (first poll), authorization_pending, slow_down, no_response
};

class DevicePoll {
 public:
  // Polling for a device code received at `now` with this interval and expires_in (§3.2).
  DevicePoll(std::int64_t interval, std::int64_t expires_in, std::int64_t now);

  // Before the first poll: wait the interval (or expired_token when the code expires first).
  Result<PollDecision> first(std::int64_t now) const;

  // The error the token endpoint answered the last poll with (process_token_response's), at `now`.
  Result<PollDecision> on_error(Error error, std::int64_t now);

  // The last poll got no answer (a connection failure or timeout).
  Result<PollDecision> on_no_response(std::int64_t now);

  std::int64_t interval() const { return interval_; }
  std::int64_t deadline() const { return deadline_; }

 private:
  Result<PollDecision> wait(std::int64_t now, std::string reason) const;

  std::int64_t interval_;
  std::int64_t deadline_;
};

}  // namespace oauth
