// Mechanical conversion of core values to JS objects: { ok: true, value } or
// { ok: false, error: { code, description, uri, blame, status } }. No logic lives here.
#pragma once
#include <emscripten/val.h>

#include <string>

#include "core/result.hpp"

namespace oauth::bindings {

using emscripten::val;

inline val to_js(const Error& e) {
  val o = val::object();
  o.set("code", e.code);
  o.set("description", e.description);
  o.set("uri", e.uri);
  o.set("blame", std::string(e.blame == Blame::local ? "local" : "remote"));
  o.set("status", e.http_status);
  return o;
}

inline val failure(const Error& e) {
  val o = val::object();
  o.set("ok", false);
  o.set("error", to_js(e));
  return o;
}

inline val success(val value) {
  val o = val::object();
  o.set("ok", true);
  o.set("value", value);
  return o;
}

// Result<T> → JS, with `convert` turning T into a val.
template <typename T, typename F>
val to_js(const Result<T>& r, F convert) {
  return r.ok() ? success(convert(r.value())) : failure(r.error());
}

}  // namespace oauth::bindings
