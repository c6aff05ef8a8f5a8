#include "grants/grants.hpp"

#include "core/error_codes.hpp"
#include "session/client_registry.hpp"

namespace oauth {

Result<Step> Grants::client_credentials(Client& client, std::string_view options_json, std::int64_t now) {
  OAUTH_ASSIGN_OR_RETURN(auto options, parse_grant_options(options_json));
  return credentials_.start(client, std::move(options), now);
}

Result<Step> Grants::device_start(const Client& client, std::string_view options_json) {
  device_.reset();
  OAUTH_ASSIGN_OR_RETURN(auto options, parse_grant_options(options_json));
  HttpRequest request;
  OAUTH_ASSIGN_OR_RETURN(auto grant, DeviceGrant::start(client, std::move(options), request));
  device_.emplace(std::move(grant));
  return Step::perform(std::move(request));
}

Result<Step> Grants::resume(Client& client, const HttpResponse& response, std::int64_t now) {
  if (credentials_.waiting()) return credentials_.resume(client, response, now);
  if (!device_) return client.resume(response, now);
  auto step = device_->resume(client, response, now);
  if (device_->finished()) device_.reset();
  return step;
}

GrantRegistry& grant_registry() {
  static GrantRegistry registry;
  static const bool listening = (client_registry().on_remove([](int handle) { registry.remove(handle); }), true);
  (void)listening;
  return registry;
}

}  // namespace oauth
