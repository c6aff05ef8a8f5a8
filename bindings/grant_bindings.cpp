// embind map of src/grants: client credentials and the device flow of a client, found by its
// handle. Only the Node entry's module links it. No logic: convert values and forward.
#include <emscripten/bind.h>

#include "client_lookup.hpp"
#include "grants/grants.hpp"
#include "step_out.hpp"

namespace oauth::bindings {
namespace {

using Now = double;  // seconds since the epoch, from Date.now() / 1000

template <typename F>
Answer with_grants(int handle, F f) {
  return with_client(handle, [&](Client& c) { return f(c, grant_registry().of(handle)); });
}

// { kind: 'poll', wait, request, interval, result, prompt? } while polling; the Client Step after.
void write_device_step(JsonWriter& out, const DeviceStep& step) {
  if (step.client_step) return write_step(out, *step.client_step);
  out.begin_object().member("kind", "poll").member("wait", step.wait_seconds).key("request");
  write_request(out, *step.poll);
  out.member("interval", step.interval).member("result", step.poll_result);
  if (step.prompt) {
    const DevicePrompt& p = *step.prompt;
    out.key("prompt").begin_object().member("userCode", p.user_code).member("verificationUri", p.verification_uri);
    out.key("verificationUriComplete");
    p.verification_uri_complete ? out.string(*p.verification_uri_complete) : out.null();
    out.member("expiresIn", p.expires_in).member("interval", p.interval).end_object();
  }
  out.end_object();
}

Answer client_credentials(int handle, Text options_json, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return answer(g.client_credentials(c, options_json.view(), seconds(now)), write_step);
  });
}

Answer client_credentials_resume(int handle, double status, Text headers, Text body, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return answer(g.client_credentials_resume(c, response_arg(status, headers, body), seconds(now)), write_step);
  });
}

Answer device_start(int handle, Text options_json) {
  return with_grants(handle, [&](Client& c, Grants& g) { return answer(g.device_start(c, options_json.view()), write_request); });
}

Answer device_resume(int handle, double status, Text headers, Text body, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return answer(g.device_resume(c, response_arg(status, headers, body), seconds(now)), write_device_step);
  });
}

Answer device_no_response(int handle, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) { return answer(g.device_no_response(c, seconds(now)), write_device_step); });
}

Answer device_cancel(int handle) {
  return with_grants(handle, [](Client&, Grants& g) {
    g.device_cancel();
    return answer_ok([](JsonWriter& out) { out.boolean(true); });
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_grants) {
  emscripten::function("clientCredentials", &client_credentials);
  emscripten::function("clientCredentialsResume", &client_credentials_resume);
  emscripten::function("deviceStart", &device_start);
  emscripten::function("deviceResume", &device_resume);
  emscripten::function("deviceNoResponse", &device_no_response);
  emscripten::function("deviceCancel", &device_cancel);
}

}  // namespace oauth::bindings
