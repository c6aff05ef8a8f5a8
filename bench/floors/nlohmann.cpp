// Floor probe: nlohmann/json parsing one object and reading one string member, the least a core
// that reads JSON through nlohmann links (its lexer brings strtod and snprintf from libc). A
// plain C export of a standalone module, so c_export.cpp is its baseline. Measured by
// bench/floors.mjs.
#include <emscripten/em_macros.h>

#include <nlohmann/json.hpp>
#include <string>

static std::string member;

extern "C" EMSCRIPTEN_KEEPALIVE int read_member(const char* text, unsigned size) {
  const auto doc = nlohmann::json::parse(std::string_view(text, size), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return -1;
  const auto it = doc.find("issuer");
  if (it == doc.end() || !it->is_string()) return -2;
  member = it->get_ref<const std::string&>();
  return static_cast<int>(doc.size());
}
