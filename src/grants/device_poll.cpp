#include "grants/device_poll.hpp"

#include <algorithm>

#include "core/error_codes.hpp"

namespace oauth {

DevicePoll::DevicePoll(std::int64_t interval, std::int64_t expires_in, std::int64_t now)
    : interval_(std::max(interval, kMinPollInterval)), deadline_(now + expires_in) {}

Result<PollDecision> DevicePoll::wait(std::int64_t now, std::string reason) const {
  if (now + interval_ >= deadline_) {
    return Error::local(codes::expired_token,
                        OAUTH_TEXT("the device code expired before the user finished (its expires_in has passed)"));
  }
  return PollDecision{interval_, std::move(reason)};
}

Result<PollDecision> DevicePoll::first(std::int64_t now) const { return wait(now, ""); }

Result<PollDecision> DevicePoll::on_error(Error error, std::int64_t now) {
  // §3.5: only these two keep the flow going; the codes are the server's (blame remote).
  if (error.code == "authorization_pending") return wait(now, error.code);
  if (error.code == "slow_down") {
    interval_ += kSlowDownIncrement;
    return wait(now, error.code);
  }
  return error;  // access_denied, expired_token, invalid_grant, ...
}

Result<PollDecision> DevicePoll::on_no_response(std::int64_t now) {
  interval_ = std::max(interval_, std::min(interval_ * 2, kMaxBackoffInterval));
  return wait(now, "no_response");
}

}  // namespace oauth
