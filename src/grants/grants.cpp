#include "grants/grants.hpp"

#include "core/error_codes.hpp"
#include "session/client_registry.hpp"

namespace oauth {

Result<Step> Grants::client_credentials(Client& client, std::string_view options_json, std::int64_t now) {
  auto options = parse_grant_options(options_json);
  OAUTH_TRY(options);
  return credentials_.start(client, std::move(*options), now);
}

Result<Step> Grants::client_credentials_resume(Client& client, const HttpResponse& response, std::int64_t now) {
  return credentials_.resume(client, response, now);
}

Result<HttpRequest> Grants::device_start(const Client& client, std::string_view options_json) {
  device_.reset();
  auto options = parse_grant_options(options_json);
  OAUTH_TRY(options);
  HttpRequest request;
  auto grant = DeviceGrant::start(client, std::move(*options), request);
  OAUTH_TRY(grant);
  device_.emplace(std::move(*grant));
  return request;
}

Result<DeviceStep> Grants::device_resume(Client& client, const HttpResponse& response, std::int64_t now) {
  if (!device_) return Error::local(codes::out_of_order, "no device flow is running");
  return drop_when_finished(device_->resume(client, response, now));
}

Result<DeviceStep> Grants::device_no_response(Client& client, std::int64_t now) {
  if (!device_) return Error::local(codes::out_of_order, "no device flow is running");
  return drop_when_finished(device_->no_response(client, now));
}

Result<DeviceStep> Grants::drop_when_finished(Result<DeviceStep> step) {
  if (device_ && device_->finished()) device_.reset();
  return step;
}

GrantRegistry& grant_registry() {
  static GrantRegistry registry;
  static const bool listening = (client_registry().on_remove([](int handle) { registry.remove(handle); }), true);
  (void)listening;
  return registry;
}

}  // namespace oauth
