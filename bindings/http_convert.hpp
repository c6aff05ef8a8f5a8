// HttpRequest → JS object and JS object → HttpResponse: { method, url, headers: [[n, v]], body }
// and { status, headers: [[n, v]], body }. Mechanical; no logic.
#pragma once
#include <emscripten/val.h>

#include "protocol/http.hpp"

namespace oauth::bindings {

using emscripten::val;

inline val to_js(const HttpRequest& r) {
  val o = val::object();
  o.set("method", r.method);
  o.set("url", r.url);
  val headers = val::array();
  for (const auto& [name, value] : r.headers) {
    val pair = val::array();
    pair.call<void>("push", name);
    pair.call<void>("push", value);
    headers.call<void>("push", pair);
  }
  o.set("headers", headers);
  o.set("body", r.body);
  return o;
}

// Reads what the shim passes; anything of the wrong shape becomes an empty value, which the
// core then rejects as a malformed response.
inline HttpResponse response_from_js(const val& o) {
  HttpResponse r;
  if (o.isNull() || o.isUndefined() || o.typeOf().as<std::string>() != "object") return r;
  val status = o["status"];
  r.status = status.isNumber() ? status.as<int>() : 0;
  val body = o["body"];
  if (body.isString()) r.body = body.as<std::string>();
  val headers = o["headers"];
  if (headers.isArray()) {
    const int n = headers["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      val pair = headers[i];
      if (!pair.isArray() || pair["length"].as<int>() != 2) continue;
      if (!pair[0].isString() || !pair[1].isString()) continue;
      r.headers.emplace_back(pair[0].as<std::string>(), pair[1].as<std::string>());
    }
  }
  return r;
}

}  // namespace oauth::bindings
