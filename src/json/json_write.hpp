// A small JSON writer for the few documents the core writes itself (the stored transaction), so
// the core links no general serializer. Readers go through json_access.hpp.
#pragma once
#include <string>
#include <string_view>

namespace oauth {

// Appends `text` as a JSON string (RFC 8259 §7): quoted, with '"', '\' and control characters
// escaped. Valid UTF-8 passes through; each byte of an invalid sequence becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// `text` as a JSON string, on its own.
std::string json_string(std::string_view text);

}  // namespace oauth
