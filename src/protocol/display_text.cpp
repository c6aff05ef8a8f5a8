#include "protocol/display_text.hpp"

namespace oauth {
namespace {

// Whether the UTF-8 sequence at `text[i]` encodes a bidirectional formatting character.
bool is_bidi_control_at(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
  if (at(0) == 0xD8 && at(1) == 0x9C) return true;  // U+061C ARABIC LETTER MARK
  if (at(0) != 0xE2) return false;
  if (at(1) == 0x80) return at(2) == 0x8E || at(2) == 0x8F || (at(2) >= 0xAA && at(2) <= 0xAE);  // U+200E/F, U+202A..E
  return at(1) == 0x81 && at(2) >= 0xA6 && at(2) <= 0xA9;  // U+2066..U+2069
}

}  // namespace

bool is_displayable_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) return false;  // C1
    if (is_bidi_control_at(text, i)) return false;
  }
  return true;
}

}  // namespace oauth
