// embind map of src/grants: client credentials and the device flow of a client, found by its
// handle. No logic: convert values and forward.
#include <emscripten/bind.h>

#include "convert.hpp"
#include "core/error_codes.hpp"
#include "grants/grants.hpp"
#include "http_convert.hpp"
#include "json_convert.hpp"
#include "step_convert.hpp"
#include "session/client_registry.hpp"

namespace oauth::bindings {
namespace {

using Now = double;  // seconds since the epoch, from Date.now() / 1000

std::int64_t seconds(Now now) { return static_cast<std::int64_t>(now); }

template <typename F>
val with_grants(int handle, F f) {
  Client* client = client_registry().find(handle);
  if (!client) return failure(Error::local(codes::invalid_argument, "no client with that handle"));
  return f(*client, grant_registry().of(handle));
}

val optional_seconds(const std::optional<std::int64_t>& s) { return s ? val(static_cast<double>(*s)) : val::null(); }

// { kind: 'poll', wait, request, interval, result, prompt? } while polling; the Client Step after.
val device_step_to_js(const DeviceStep& step) {
  if (step.client_step) return step_to_js(*step.client_step);
  val o = val::object();
  o.set("kind", std::string("poll"));
  o.set("wait", static_cast<double>(step.wait_seconds));
  o.set("request", to_js(*step.poll));
  o.set("interval", static_cast<double>(step.interval));
  o.set("result", step.poll_result);
  if (step.prompt) {
    val prompt = val::object();
    prompt.set("userCode", step.prompt->user_code);
    prompt.set("verificationUri", step.prompt->verification_uri);
    prompt.set("verificationUriComplete", step.prompt->verification_uri_complete
                                              ? val(*step.prompt->verification_uri_complete) : val::null());
    prompt.set("expiresIn", static_cast<double>(step.prompt->expires_in));
    prompt.set("interval", static_cast<double>(step.prompt->interval));
    o.set("prompt", prompt);
  }
  return o;
}

val request_to_js(const HttpRequest& r) { return to_js(r); }

val client_credentials(int handle, const std::string& options_json, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) { return to_js(g.client_credentials(c, options_json, seconds(now)), step_to_js); });
}

val client_credentials_resume(int handle, val response, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return to_js(g.client_credentials_resume(c, response_from_js(response), seconds(now)), step_to_js);
  });
}

val device_start(int handle, const std::string& options_json) {
  return with_grants(handle, [&](Client& c, Grants& g) { return to_js(g.device_start(c, options_json), request_to_js); });
}

val device_resume(int handle, val response, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return to_js(g.device_resume(c, response_from_js(response), seconds(now)), device_step_to_js);
  });
}

val device_no_response(int handle, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) { return to_js(g.device_no_response(c, seconds(now)), device_step_to_js); });
}

val device_cancel(int handle) {
  return with_grants(handle, [](Client&, Grants& g) {
    g.device_cancel();
    return success(val(true));
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
