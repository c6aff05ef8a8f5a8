// Device Authorization (RFC 8628): the device authorization request and response (§3.1, §3.2)
// and the device access token request (§3.4). The polling itself is device_poll.hpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "grants/grant_request.hpp"
#include "protocol/http.hpp"

namespace oauth {

// §3.2: "If no value is provided, clients MUST use 5 as the default."
inline constexpr std::int64_t kDefaultPollInterval = 5;
// An interval above this, or an expires_in above kMaxDeviceCodeLifetime, is refused as absurd.
inline constexpr std::int64_t kMaxPollInterval = 3600;
inline constexpr std::int64_t kMaxDeviceCodeLifetime = 24 * 3600;
// A user_code is typed by a person: longer than this is refused.
inline constexpr std::size_t kMaxUserCodeLength = 128;

// POST device_authorization_endpoint: client_id (or the client's authentication, which §3.1 lets
// a confidential client use), scope when given, resource for each given (RFC 8707 §2).
// A server without the endpoint: device_flow_not_supported.
Result<HttpRequest> build_device_authorization_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                       const GrantOptions& options, const ClientAuth& auth);

struct DeviceAuthorization {
  Secret device_code;                                   // never shown: it redeems the grant
  std::string user_code;                                // shown to the user
  std::string verification_uri;                         // shown to the user
  std::optional<std::string> verification_uri_complete; // the same with the code in it (QR codes)
  std::int64_t expires_in = 0;                          // seconds, 1..kMaxDeviceCodeLifetime
  std::int64_t interval = kDefaultPollInterval;         // seconds, 0..kMaxPollInterval
};

// §3.2: HTTP 200, application/json, one object: device_code, user_code (printable, at most
// kMaxUserCodeLength bytes), verification_uri (https, or http to a loopback host, as every URL
// we let a user open), expires_in required; verification_uri_complete and interval optional.
// Malformed: invalid_response. Any other status goes through process_error_response.
Result<DeviceAuthorization> process_device_authorization_response(const HttpResponse& response);

// POST token_endpoint: grant_type=urn:ietf:params:oauth:grant-type:device_code, device_code,
// and the client's authentication (client_id for a public client).
Result<HttpRequest> build_device_token_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                               const Secret& device_code, const ClientAuth& auth);

}  // namespace oauth
