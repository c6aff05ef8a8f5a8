#include "grants/device_grant.hpp"

#include "core/error_codes.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {

Result<DeviceGrant> DeviceGrant::start(const Client& client, GrantOptions options, HttpRequest& request) {
  if (!client.metadata()) return Error::local(codes::out_of_order, "discovery has not completed");
  auto built = build_device_authorization_request(*client.metadata(), client.settings().client, options,
                                                  client.settings().auth);
  OAUTH_TRY(built);
  request = std::move(*built);
  return DeviceGrant(std::move(options));
}

Result<DeviceStep> DeviceGrant::resume(Client& client, const HttpResponse& response, std::int64_t now) {
  switch (phase_) {
    case Phase::authorizing: {
      phase_ = Phase::finished;  // until the response proves usable
      auto authorization = process_device_authorization_response(response);
      OAUTH_TRY(authorization);
      device_code_ = std::move(authorization->device_code);
      poll_.emplace(authorization->interval, authorization->expires_in, now);
      phase_ = Phase::polling;
      auto step = next(client, poll_->first(now), now);
      OAUTH_TRY(step);
      step->prompt = DevicePrompt{std::move(authorization->user_code), std::move(authorization->verification_uri),
                                  std::move(authorization->verification_uri_complete), authorization->expires_in,
                                  poll_->interval()};
      return step;
    }
    case Phase::polling: {
      if (proved_poll_) {
        auto again = client.grant_nonce_retry(*proved_poll_, response, nonce_retried_, now);
        if (!again.ok()) return next(client, Result<PollDecision>(std::move(again).take_error()), now);
        if (*again) {
          nonce_retried_ = true;
          proved_poll_ = **again;
          DeviceStep step;
          step.poll = std::move(**again);
          step.poll_result = "use_dpop_nonce";
          step.interval = poll_->interval();
          return step;
        }
      }
      return next(client, poll_->on_token_response(response, now), now);
    }
    case Phase::finished:
      break;
  }
  return Error::local(codes::out_of_order, "the device flow has ended");
}

Result<DeviceStep> DeviceGrant::no_response(Client& client, std::int64_t now) {
  if (phase_ != Phase::polling) return Error::local(codes::out_of_order, "the device flow is not polling");
  return next(client, poll_->on_no_response(now), now);
}

Result<DeviceStep> DeviceGrant::next(Client& client, Result<PollDecision> decision, std::int64_t now) {
  DeviceStep step;
  if (decision && decision->kind == PollDecision::Kind::wait) {
    auto request = build_device_token_request(*client.metadata(), client.settings().client, device_code_,
                                              client.settings().auth);
    // The proof is made for the time the poll is due, after the wait.
    Result<bool> proved = request ? client.prove_grant_request(*request, now + decision->wait_seconds)
                                  : Result<bool>(false);
    if (request && !proved.ok()) request = std::move(proved).take_error();
    if (request) {
      proved_poll_ = *proved ? std::optional<HttpRequest>(*request) : std::nullopt;
      nonce_retried_ = false;  // each new poll may be retried once (after an answer or none)
      step.wait_seconds = decision->wait_seconds;
      step.poll = std::move(*request);
      step.poll_result = std::move(decision->reason);
      step.interval = poll_->interval();
      return step;
    }
    decision = Result<PollDecision>(std::move(request).take_error());
  }
  // Whatever comes now ends the flow: the device code is used up or useless.
  phase_ = Phase::finished;
  device_code_.clear();
  const bool used_dpop = proved_poll_.has_value();
  proved_poll_.reset();
  if (!decision) return std::move(decision).take_error();

  TokenResponse tokens = std::move(*decision->tokens);
  const std::string requested = options_.scope.value_or("");
  // OIDC: an openid grant is answered with an ID token, which the Client then verifies.
  if (!tokens.id_token && scope_has_token(tokens.scope.value_or(requested), "openid"))
    return Error::remote(codes::id_token_invalid, "the token response has no ID token for an openid request");
  auto client_step = client.accept_grant_tokens(std::move(tokens), requested, used_dpop, now);
  OAUTH_TRY(client_step);
  step.interval = poll_->interval();
  step.client_step = std::move(*client_step);
  return step;
}

}  // namespace oauth
