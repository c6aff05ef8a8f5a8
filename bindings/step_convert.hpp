// A Client Step → JS: { kind: 'request', request } | { kind: 'done', result: { authenticated, user,
// expiresAt, scope } }. Shared by the client and grant bindings (one copy in the module). Mechanical.
#pragma once
#include <emscripten/val.h>

#include "http_convert.hpp"
#include "json_convert.hpp"
#include "session/client.hpp"

namespace oauth::bindings {

using emscripten::val;

inline val step_to_js(const Step& step) {
  val o = val::object();
  if (step.request) {
    o.set("kind", std::string("request"));
    o.set("request", to_js(*step.request));
  } else {
    o.set("kind", std::string("done"));
    val result = val::object();
    result.set("authenticated", true);
    result.set("user", json_to_js(step.done->user));
    result.set("expiresAt", step.done->expires_at ? val(static_cast<double>(*step.done->expires_at)) : val::null());
    result.set("scope", step.done->scope);
    o.set("result", result);
  }
  return o;
}

}  // namespace oauth::bindings
