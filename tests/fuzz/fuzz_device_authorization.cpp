// The device authorization response (RFC 8628 §3.2). Input: the HTTP status on the first line
// (200 when it is not a number), then the body.
#include "fuzz_input.hpp"
#include "grants/device_authorization.hpp"
#include "protocol/url.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  int status = static_cast<int>(in.number(100, 599, 200));
  auto device = process_device_authorization_response(fuzz::json_response(status, in.rest()));
  if (!device.ok()) {
    fuzz::require_typed(device.error());
    // The server is to blame, and the error carries the status it answered with.
    fuzz::require(device.error().blame == Blame::remote && device.error().http_status == status);
    // A refusal of a 200 never repeats a secret it carried (an error response's
    // error_description is the server's own text).
    if (status == 200) fuzz::require_no_secrets(device.error(), in.rest(), {"device_code"});
    return 0;
  }
  fuzz::require(status == 200 && !device->device_code.empty() && !device->user_code.empty());
  fuzz::require(device->user_code.size() <= kMaxUserCodeLength);
  fuzz::require(device->expires_in >= 1 && device->expires_in <= kMaxDeviceCodeLifetime);
  fuzz::require(device->interval >= 0 && device->interval <= kMaxPollInterval);
  // A URL we would show a user to open is https (or http to loopback).
  auto uri = parse_url(device->verification_uri);
  fuzz::require(uri.ok() && is_https_or_loopback(*uri));
  return 0;
}
