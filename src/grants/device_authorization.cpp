#include "grants/device_authorization.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/display_text.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/limits.hpp"
#include "protocol/oauth_error.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

constexpr JsonSource kDeviceResponse{codes::invalid_response, Blame::remote, OAUTH_TEXT("the device authorization response")};
constexpr const char* kDeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

Error at_200(Error e) {
  e.http_status = 200;
  return e;
}

Error fail(std::string description) { return at_200(Error::remote(codes::invalid_response, std::move(description))); }

}  // namespace

Result<HttpRequest> build_device_authorization_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                       const GrantOptions& options, const ClientAuth& auth) {
  OAUTH_TRY(check_grant_client(metadata, client));
  if (metadata->device_authorization_endpoint.empty())
    return Error::remote(codes::device_flow_not_supported, OAUTH_TEXT("the server lists no device_authorization_endpoint"));
  FormParamViews form;
  if (options.scope) form.emplace_back("scope", *options.scope);
  for (const auto& resource : options.resource) form.emplace_back("resource", resource);
  return client_form_post(metadata->device_authorization_endpoint, std::move(form), client.client_id, auth);
}

Result<DeviceAuthorization> process_device_authorization_response(const HttpResponse& response) {
  if (response.body.size() > kMaxResponseBodyBytes) {
    Error e = Error::remote(codes::response_too_large, OAUTH_TEXT("the device authorization endpoint answered with a body larger than 1 MiB"));
    e.http_status = response.status;
    return e;
  }
  if (response.status != 200) return process_error_response(response, OAUTH_TEXT("the device authorization endpoint"));
  if (!has_json_content_type(response.headers))
    return fail(OAUTH_TEXT("the device authorization response is not labelled application/json"));
  auto doc = parse_json_object(response.body, kMaxResponseBodyBytes, kDeviceResponse);
  if (!doc.ok()) return at_200(std::move(doc).take_error());
  JsonWipeGuard wipe(doc->value);  // it holds the device code

  DeviceAuthorization out;
  auto device_code = get_string(*doc, "device_code");
  if (!device_code.ok()) return at_200(std::move(device_code).take_error());
  if (!*device_code || (*device_code)->empty()) return fail(OAUTH_TEXT("the device authorization response has no device_code"));
  out.device_code = Secret(std::move(**device_code));

  auto user_code = get_string(*doc, "user_code");
  if (!user_code.ok()) return at_200(std::move(user_code).take_error());
  if (!*user_code || (*user_code)->empty()) return fail(OAUTH_TEXT("the device authorization response has no user_code"));
  if ((*user_code)->size() > kMaxUserCodeLength || !is_displayable_text(**user_code))
    return fail(OAUTH_TEXT("the user_code is too long or holds control or bidirectional formatting characters"));
  out.user_code = std::move(**user_code);

  auto uri = get_string(*doc, "verification_uri");
  if (!uri.ok()) return at_200(std::move(uri).take_error());
  if (!*uri) return fail(OAUTH_TEXT("the device authorization response has no verification_uri"));
  if (!is_openable_url(**uri)) return fail(OAUTH_TEXT("the verification_uri is not an https URL"));
  out.verification_uri = std::move(**uri);

  auto complete = get_string(*doc, "verification_uri_complete");
  if (!complete.ok()) return at_200(std::move(complete).take_error());
  if (*complete) {
    if (!is_openable_url(**complete)) return fail(OAUTH_TEXT("the verification_uri_complete is not an https URL"));
    out.verification_uri_complete = std::move(**complete);
  }

  auto expires_in = get_integer(*doc, "expires_in", 1, kMaxDeviceCodeLifetime);
  if (!expires_in.ok()) return at_200(std::move(expires_in).take_error());
  if (!*expires_in) return fail(OAUTH_TEXT("the device authorization response has no expires_in"));
  out.expires_in = **expires_in;

  auto interval = get_integer(*doc, "interval", 0, kMaxPollInterval);
  if (!interval.ok()) return at_200(std::move(interval).take_error());
  out.interval = interval->value_or(kDefaultPollInterval);
  return out;
}

Result<HttpRequest> build_device_token_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                               const Secret& device_code, const ClientAuth& auth) {
  OAUTH_TRY(check_grant_client(metadata, client));
  if (device_code.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the device code is empty"));
  FormParamViews form = {{"grant_type", kDeviceCodeGrant}, {"device_code", device_code.view()}};
  return client_form_post(metadata->token_endpoint, std::move(form), client.client_id, auth);
}

}  // namespace oauth
