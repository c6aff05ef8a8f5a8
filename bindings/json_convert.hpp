// A parsed JSON value (ID token claims) → the same JS value, built member by member, so the core
// links no JSON serializer. Mechanical; no logic. Numbers become JS numbers as JSON.parse would
// make them; object members keep nlohmann's (sorted) order.
#pragma once
#include <emscripten/val.h>

#include <nlohmann/json.hpp>

namespace oauth::bindings {

using emscripten::val;

// Depth is bounded by the parser (kMaxJsonDepth), so the recursion is too.
inline val json_to_js(const nlohmann::json& j) {
  using json = nlohmann::json;
  switch (j.type()) {
    case json::value_t::boolean:
      return val(*j.get_ptr<const json::boolean_t*>());
    case json::value_t::number_integer:
      return val(static_cast<double>(*j.get_ptr<const json::number_integer_t*>()));
    case json::value_t::number_unsigned:
      return val(static_cast<double>(*j.get_ptr<const json::number_unsigned_t*>()));
    case json::value_t::number_float:
      return val(*j.get_ptr<const json::number_float_t*>());
    case json::value_t::string:
      return val(*j.get_ptr<const json::string_t*>());
    case json::value_t::array: {
      val list = val::array();
      for (const json& item : *j.get_ptr<const json::array_t*>()) list.call<void>("push", json_to_js(item));
      return list;
    }
    case json::value_t::object: {
      val o = val::object();
      for (const auto& [name, member] : *j.get_ptr<const json::object_t*>()) o.set(name, json_to_js(member));
      return o;
    }
    default:  // null, and kinds the parser never produces (binary, discarded)
      return val::null();
  }
}

}  // namespace oauth::bindings
