#include "json_out.hpp"

#include "json/json_write.hpp"

namespace oauth::bindings {

// A value or key follows a '{', '[' or key without a comma, and anything else with one.
void JsonOut::separate() {
  if (out_.empty()) return;
  const char last = out_.back();
  if (last != '{' && last != '[' && last != ':') out_.push_back(',');
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_.push_back('{');
  return *this;
}

JsonOut& JsonOut::end_object() {
  out_.push_back('}');
  return *this;
}

JsonOut& JsonOut::begin_array() {
  separate();
  out_.push_back('[');
  return *this;
}

JsonOut& JsonOut::end_array() {
  out_.push_back(']');
  return *this;
}

JsonOut& JsonOut::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_.push_back(':');
  return *this;
}

JsonOut& JsonOut::string(std::string_view text) {
  separate();
  append_json_string(out_, text);
  return *this;
}

JsonOut& JsonOut::integer(std::int64_t n) {
  separate();
  append_json_integer(out_, n);
  return *this;
}

JsonOut& JsonOut::boolean(bool b) {
  separate();
  out_.append(b ? "true" : "false");
  return *this;
}

JsonOut& JsonOut::null() {
  separate();
  out_.append("null");
  return *this;
}

// Depth is bounded by the parser (kMaxJsonDepth), so the recursion is too.
JsonOut& JsonOut::json(const JsonValue& value) {
  switch (value.kind()) {
    case JsonKind::boolean:
      return boolean(value.as_boolean());
    case JsonKind::integer:
      return integer(value.as_integer());
    case JsonKind::number:  // as the document wrote it (the parser checked its syntax)
      separate();
      out_.append(value.text());
      return *this;
    case JsonKind::string:
      return string(value.text());
    case JsonKind::array:
      begin_array();
      for (const JsonValue& item : value.items()) json(item);
      return end_array();
    case JsonKind::object:
      begin_object();
      for (std::size_t i = 0; i < value.size(); ++i) key(value.names()[i]).json(value.items()[i]);
      return end_object();
    case JsonKind::null:
      break;
  }
  return null();
}

}  // namespace oauth::bindings
