#include "grants/device_grant.hpp"

#include "core/error_codes.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {

Result<DeviceGrant> DeviceGrant::start(const Client& client, GrantOptions options, HttpRequest& request) {
  if (!client.metadata()) return Error::local(codes::out_of_order, OAUTH_TEXT("discovery has not completed"));
  auto built = build_device_authorization_request(*client.metadata(), client.settings().client, options,
                                                  client.settings().auth);
  OAUTH_TRY(built);
  request = std::move(*built);
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
      auto again = client.nonce_retry(poll_request_, response, now);
      if (!again.ok()) return next(client, Result<PollDecision>(std::move(again).take_error()), now);
      if (!*again) return next(client, poll_->on_token_response(response, now), now);
      // The same poll at once, with the nonce.
      return Step::wait(0, std::move(**again), poll_event("use_dpop_nonce"));
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
  if (decision && decision->kind == PollDecision::Kind::wait) {
    auto request = build_device_token_request(*client.metadata(), client.settings().client, device_code_,
                                              client.settings().auth);
    // The proof is made for the time the poll is due, after the wait; each new poll may be
    // retried once for a nonce (after an answer or none).
    auto proved = request ? client.prove_grant_request(*request, now + decision->wait_seconds)
                          : Result<ProvedTokenRequest>(request.error());
    if (proved) {
      poll_request_ = std::move(*proved);
      return Step::wait(decision->wait_seconds, std::move(*request), poll_event(std::move(decision->reason)));
    }
    decision = Result<PollDecision>(std::move(proved).take_error());
  }
  // Whatever comes now ends the flow: the device code is used up or useless.
  phase_ = Phase::finished;
  device_code_.clear();
  const bool used_dpop = poll_request_.proved();
  poll_request_ = {};
  if (!decision) return std::move(decision).take_error();

  TokenResponse tokens = std::move(*decision->tokens);
  const std::string requested = options_.scope.value_or("");
  // OIDC: an openid grant is answered with an ID token, which the Client then verifies.
  if (!tokens.id_token && scope_has_token(tokens.scope.value_or(requested), "openid"))
    return Error::remote(codes::id_token_invalid, OAUTH_TEXT("the token response has no ID token for an openid request"));
  return client.accept_grant_tokens(std::move(tokens), requested, used_dpop, now);
}

}  // namespace oauth
