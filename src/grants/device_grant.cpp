#include "grants/device_grant.hpp"

#include "core/error_codes.hpp"

namespace oauth {

Result<DeviceGrant> DeviceGrant::start(const Client& client, GrantOptions options, HttpRequest& request) {
  if (!client.metadata()) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  OAUTH_ASSIGN_OR_RETURN(request, build_device_authorization_request(*client.metadata(), client.settings().client,
                                                                     options, client.settings().auth));
  return DeviceGrant(std::move(options));
}

Result<Step> DeviceGrant::resume(Client& client, const HttpResponse& response, std::int64_t now) {
  switch (phase_) {
    case Phase::authorizing: {
      phase_ = Phase::finished;  // until the response proves usable
      OAUTH_ASSIGN_OR_RETURN(auto authorization, process_device_authorization_response(response));
      device_code_ = std::move(authorization.device_code);
      poll_.emplace(authorization.interval, authorization.expires_in, now);
      phase_ = Phase::polling;
      OAUTH_ASSIGN_OR_RETURN(auto step, next(client, poll_->first(now), now));
      JsonValue prompt = JsonValue::object();
      prompt.add("userCode", JsonValue::string(std::move(authorization.user_code)));
      prompt.add("verificationUri", JsonValue::string(std::move(authorization.verification_uri)));
      prompt.add("verificationUriComplete", authorization.verification_uri_complete
                                                ? JsonValue::string(std::move(*authorization.verification_uri_complete))
                                                : JsonValue());
      prompt.add("expiresIn", JsonValue::integer(authorization.expires_in));
      prompt.add("interval", JsonValue::integer(poll_->interval()));
      step.event = StepEvent{"device_code", std::move(prompt)};
      return step;
    }
    case Phase::polling: {
      if (response.status == 0) return next(client, poll_->on_no_response(now), now);
      auto step = client.resume(response, now, &poll_exchange_);
      if (!step) return next(client, poll_->on_error(std::move(step).take_error(), now), now);
      // The same poll at once, with the nonce.
      if (poll_exchange_.waiting()) return Step::wait(0, std::move(*step->request), poll_event("use_dpop_nonce"));
      finish();  // the tokens are the client's
      return step;
    }
    case Phase::finished:
      break;
  }
  return Error::local(codes::out_of_order, OAUTH_TEXT("the device flow has ended"));
}

StepEvent DeviceGrant::poll_event(std::string result) const {
  JsonValue detail = JsonValue::object();
  detail.add("result", JsonValue::string(std::move(result)));
  detail.add("interval", JsonValue::integer(poll_->interval()));
  return StepEvent{"device_poll", std::move(detail)};
}

Result<Step> DeviceGrant::next(Client& client, Result<PollDecision> decision, std::int64_t now) {
  if (decision) {
    auto request = build_device_token_request(*client.metadata(), client.settings().client, device_code_,
                                              client.settings().auth);
    // The proof is made for the time the poll is due, after the wait; each new poll may be
    // retried once for a nonce (after an answer or none).
    auto sent = request ? client.send_grant_request(poll_exchange_, *request, now + decision->wait_seconds)
                        : Status(std::move(request).take_error());
    if (sent) return Step::wait(decision->wait_seconds, std::move(*request), poll_event(std::move(decision->reason)));
    decision = Result<PollDecision>(std::move(sent).take_error());
  }
  finish();  // an error ends the flow: the device code is useless
  return std::move(decision).take_error();
}

void DeviceGrant::finish() {
  phase_ = Phase::finished;
  device_code_.clear();
  poll_exchange_.end();
}

}  // namespace oauth
