// embind map of the session's DPoP (RFC 9449) and PAR (RFC 9126) calls. No logic: convert and
// forward.
#include <emscripten/bind.h>

#include "convert.hpp"
#include "core/error_codes.hpp"
#include "http_convert.hpp"
#include "session/client_registry.hpp"

namespace oauth::bindings {
namespace {

template <typename F>
val with_dpop_client(int handle, F f) {
  Client* client = client_registry().find(handle);
  return client ? f(*client) : failure(Error::local(codes::invalid_argument, "no client with that handle"));
}

// The push's response → { url, state, transaction } to navigate with.
val client_finish_push(int handle, val response) {
  return with_dpop_client(handle, [&](Client& c) {
    return to_js(c.finish_push(response_from_js(response)), [](const AuthorizationStart& s) {
      val o = val::object();
      o.set("url", s.url);
      o.set("state", s.state);
      o.set("transaction", std::string(s.transaction_json.view()));
      return o;
    });
  });
}

// A resource response ({ status, headers }) for `url` → whether to send the request once more.
val client_accept_resource_response(int handle, const std::string& url, val response) {
  return with_dpop_client(handle, [&](Client& c) { return success(val(c.accept_resource_response(url, response_from_js(response)))); });
}

// { enabled, thumbprint }: whether DPoP is in use, and the session key's RFC 7638 thumbprint (null before one exists).
val client_dpop_state(int handle) {
  return with_dpop_client(handle, [](Client& c) {
    val o = val::object();
    o.set("enabled", c.dpop_enabled());
    o.set("thumbprint", c.dpop_key() ? val(c.dpop_key()->thumbprint()) : val::null());
    return success(o);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_dpop) {
  emscripten::function("clientFinishPush", &client_finish_push);
  emscripten::function("clientAcceptResourceResponse", &client_accept_resource_response);
  emscripten::function("clientDpopState", &client_dpop_state);
}

}  // namespace oauth::bindings
