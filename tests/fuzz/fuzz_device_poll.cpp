// The device flow's polling (RFC 8628 §3.4, §3.5): DevicePoll fed the token endpoint's answers
// (their errors as process_token_response reads them; tokens end the polling: the Client's).
// Input: the interval and the expires_in of the device authorization on the first two lines (5 and
// 600 when they are not numbers), then polls separated by a line "---", each the seconds since
// the previous decision on its first line, then the HTTP status (0: no answer at all; 400 when
// it is not a number), then the body.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "grants/device_poll.hpp"
#include "protocol/token_response.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  const std::int64_t interval = in.number(0, 3600, 5);
  const std::int64_t expires_in = in.number(1, 86400, 600);
  std::int64_t now = 1700000000;
  DevicePoll poll(interval, expires_in, now);
  fuzz::require(poll.interval() == std::max<std::int64_t>(interval, kMinPollInterval));
  fuzz::require(poll.deadline() == now + expires_in);

  auto decision = poll.first(now);
  for (std::string_view part : fuzz::split_parts(in.rest())) {
    if (!decision.ok()) {
      // Only the deadline ends polling before an answer came.
      fuzz::require_typed(decision.error());
      fuzz::require(decision.error().code == "expired_token");
      return 0;
    }
    // A wait is at least the minimum, and the poll after it falls before the deadline.
    fuzz::require(decision->wait_seconds >= kMinPollInterval && decision->wait_seconds == poll.interval());
    fuzz::require(now + decision->wait_seconds < poll.deadline());

    fuzz::Fields poll_in(reinterpret_cast<const std::uint8_t*>(part.data()), part.size());
    now += poll_in.number(0, 100000, decision->wait_seconds);
    const int status = static_cast<int>(poll_in.number(0, 599, 400));
    const std::int64_t before = poll.interval();
    if (status == 0) {
      decision = poll.on_no_response(now);
      // §3.5: back off, doubling up to a bound; never shrinking.
      fuzz::require(poll.interval() == std::max(before, std::min(before * 2, kMaxBackoffInterval)));
      if (decision.ok()) fuzz::require(decision->reason == "no_response");
      continue;
    }
    auto tokens = process_token_response(fuzz::json_response(status, poll_in.rest()));
    if (tokens.ok()) {
      // The tokens go to the Client; the polling ends.
      fuzz::require(status == 200 && !tokens->access_token.empty());
      return 0;
    }
    decision = poll.on_error(std::move(tokens).take_error(), now);
    if (!decision.ok()) {
      const Error& error = decision.error();
      fuzz::require_typed(error);
      // The two codes that keep the flow going end it only through the deadline.
      fuzz::require(error.code != "authorization_pending" && error.code != "slow_down");
      if (error.code == "expired_token" && error.blame == Blame::local) continue;  // the deadline
      fuzz::require(error.blame == Blame::remote && error.http_status == status);
      return 0;
    }
    // slow_down adds 5 s for this and every later poll; authorization_pending keeps the interval.
    fuzz::require(decision->reason == "authorization_pending" || decision->reason == "slow_down");
    fuzz::require(poll.interval() == before + (decision->reason == "slow_down" ? kSlowDownIncrement : 0));
  }
  return 0;
}
