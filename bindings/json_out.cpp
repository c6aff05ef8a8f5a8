#include "json_out.hpp"

#include "json/json_decimal.hpp"
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
JsonOut& JsonOut::json(const nlohmann::json& j) {
  using json = nlohmann::json;
  switch (j.type()) {
    case json::value_t::boolean:
      return boolean(*j.get_ptr<const json::boolean_t*>());
    case json::value_t::number_integer:
      return integer(*j.get_ptr<const json::number_integer_t*>());
    case json::value_t::number_unsigned:
      separate();
      append_json_unsigned(out_, *j.get_ptr<const json::number_unsigned_t*>());
      return *this;
    case json::value_t::binary:
      // A number with a fraction or exponent, as the document wrote it (the lexer checked it).
      if (const auto text = decimal_text(j)) {
        separate();
        out_.append(*text);
        return *this;
      }
      return null();
    case json::value_t::string:
      return string(*j.get_ptr<const json::string_t*>());
    case json::value_t::array:
      begin_array();
      for (const json& item : *j.get_ptr<const json::array_t*>()) this->json(item);
      return end_array();
    case json::value_t::object:
      begin_object();
      for (const auto& [name, value] : *j.get_ptr<const json::object_t*>()) key(name).json(value);
      return end_object();
    default:  // null, and kinds the parser never produces (floats are kept as text, discarded)
      return null();
  }
}

}  // namespace oauth::bindings
