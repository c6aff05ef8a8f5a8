// The core's JSON grammar (src/json/document_parser.hpp) against nlohmann/json's own parser, the
// two driving the same lexer and the same builder (src/json/strict_builder.hpp) over the same
// bytes: both accept or both refuse, the builder stops for the same reason (a repeated name, too
// deep, too many values), and what they accept is the same document.
#include <string_view>

#include "fuzz_input.hpp"
#include "json/document_parser.hpp"
#include "json/json_write.hpp"
#include "json/strict_builder.hpp"

using namespace oauth;

namespace {

struct Parse {
  JsonValue value;
  bool parsed = false;
  bool duplicate = false;
  bool too_deep = false;
  bool too_many = false;
};

template <typename Run>
Parse parse_with(Run run) {
  Parse p;
  StrictBuilder builder(p.value);
  p.parsed = run(builder);
  p.duplicate = builder.duplicate;
  p.too_deep = builder.too_deep;
  p.too_many = builder.too_many;
  return p;
}

std::string written(const JsonValue& value) {
  JsonWriter out;
  out.json(value);
  return out.text();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Parse ours = parse_with([&](StrictBuilder& b) { return parse_document(text, b); });
  const Parse upstream = parse_with([&](StrictBuilder& b) {
    return nlohmann::json::sax_parse(DocumentByte{text.data()}, DocumentByte{text.data() + text.size()}, &b);
  });
  fuzz::require(ours.parsed == upstream.parsed);
  fuzz::require(ours.duplicate == upstream.duplicate);
  fuzz::require(ours.too_deep == upstream.too_deep);
  fuzz::require(ours.too_many == upstream.too_many);
  if (ours.parsed) fuzz::require(written(ours.value) == written(upstream.value));
  return 0;
}
