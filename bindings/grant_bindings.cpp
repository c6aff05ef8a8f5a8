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

Answer client_credentials(int handle, Text options_json, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return answer(g.client_credentials(c, options_json.view(), seconds(now)), write_step);
  });
}

Answer device_start(int handle, Text options_json) {
  return with_grants(handle, [&](Client& c, Grants& g) { return answer(g.device_start(c, options_json.view()), write_step); });
}

// The answer to a grant's request (status 0: none came) → the next Step.
Answer grant_resume(int handle, double status, Text headers, Text body, Now now) {
  return with_grants(handle, [&](Client& c, Grants& g) {
    return answer(g.resume(c, response_arg(status, headers, body), seconds(now)), write_step);
  });
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
  emscripten::function("deviceStart", &device_start);
  emscripten::function("grantResume", &grant_resume);
  emscripten::function("deviceCancel", &device_cancel);
}

}  // namespace oauth::bindings
