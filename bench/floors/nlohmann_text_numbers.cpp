// Floor probe: nlohmann/json as the core uses it. Its lexer (with the core's members,
// src/json/document_lexer.hpp: its float conversion and parse-error token wording replaced,
// numbers with a fraction or exponent kept as text as src/json/json_decimal.hpp keeps them, so
// libc's strtod and printf are not linked) under the core's grammar (src/json/document_parser.hpp)
// builds a basic_json document. Then one string member is read. A plain C
// export of a standalone module, so c_export.cpp is its baseline. Measured by bench/floors.mjs.
#include <emscripten/em_macros.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json/document_parser.hpp"  // the core's grammar over its own lexer members

namespace {
using json = nlohmann::json;
// Builds the document from the parse's events.
struct Builder {
  json root;
  std::vector<json*> open;
  std::string key_;
  json* place(json&& v) {
    if (open.empty()) return &(root = std::move(v));
    json& parent = *open.back();
    if (parent.is_array()) {
      parent.get_ref<json::array_t&>().push_back(std::move(v));
      return &parent.get_ref<json::array_t&>().back();
    }
    return &(parent.get_ref<json::object_t&>()[key_] = std::move(v));
  }
  bool null() { return place(json()), true; }
  bool boolean(bool v) { return place(json(v)), true; }
  bool number_integer(json::number_integer_t v) { return place(json(v)), true; }
  bool number_unsigned(json::number_unsigned_t v) { return place(json(v)), true; }
  bool number_float(json::number_float_t, const json::string_t& text) {
    return place(json::binary(std::vector<std::uint8_t>(text.begin(), text.end()), 'D')), true;
  }
  bool string(json::string_t& v) { return place(json(std::move(v))), true; }
  bool binary(json::binary_t&) { return false; }
  bool start_object(std::size_t) { return open.push_back(place(json::object())), true; }
  bool start_array(std::size_t) { return open.push_back(place(json::array())), true; }
  bool key(json::string_t& name) { return key_ = std::move(name), true; }
  bool end_object() { return open.pop_back(), true; }
  bool end_array() { return open.pop_back(), true; }
  std::size_t nesting() const { return open.size(); }
  bool in_array() const { return open.back()->is_array(); }
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }
};
std::string member;
}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE int read_member(const char* text, unsigned size) {
  Builder builder;
  if (!oauth::parse_document(std::string_view(text, size), builder) || !builder.root.is_object()) return -1;
  const auto it = builder.root.find("issuer");
  if (it == builder.root.end() || !it->is_string()) return -2;
  member = it->get_ref<const std::string&>();
  return static_cast<int>(builder.root.size());
}
