// Test helper: the tests write and inspect documents with nlohmann/json; the core's parsed form is
// JsonValue (src/json/json_value.hpp). These convert between the two, exactly.
#pragma once
#include <nlohmann/json.hpp>

#include "json/json_value.hpp"

namespace oauth::test {

// A number with a fraction becomes JsonValue::number with nlohmann's text for it.
inline JsonValue to_value(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean:
      return JsonValue::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return JsonValue::integer(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return j.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX) ? JsonValue::integer(j.get<std::int64_t>())
                                                                             : JsonValue::number(j.dump());
    case nlohmann::json::value_t::number_float:
      return JsonValue::number(j.dump());
    case nlohmann::json::value_t::string:
      return JsonValue::string(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      JsonValue out = JsonValue::array();
      for (const auto& item : j) out.push_back(to_value(item));
      return out;
    }
    case nlohmann::json::value_t::object: {
      JsonValue out = JsonValue::object();
      for (const auto& [name, item] : j.items()) out.add(name, to_value(item));
      return out;
    }
    default:
      return JsonValue();
  }
}

// A number kept as text becomes the number nlohmann reads from that text.
inline nlohmann::json to_nlohmann(const JsonValue& v) {
  switch (v.kind()) {
    case JsonKind::boolean:
      return v.as_boolean();
    case JsonKind::integer:
      return v.as_integer();
    case JsonKind::number:
      return nlohmann::json::parse(v.text());
    case JsonKind::string:
      return v.text();
    case JsonKind::array: {
      nlohmann::json out = nlohmann::json::array();
      for (const JsonValue& item : v.items()) out.push_back(to_nlohmann(item));
      return out;
    }
    case JsonKind::object: {
      nlohmann::json out = nlohmann::json::object();
      for (std::size_t i = 0; i < v.size(); ++i) out[v.names()[i]] = to_nlohmann(v.items()[i]);
      return out;
    }
    case JsonKind::null:
      break;
  }
  return nullptr;
}

}  // namespace oauth::test
