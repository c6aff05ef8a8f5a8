// A small JSON writer for the few documents the core writes itself (the stored transaction, the
// DPoP proof's header and claims, RFC 7638 thumbprint input), so the core links no general
// serializer. Readers go through json_access.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace oauth {

// Appends `text` as a JSON string (RFC 8259 §7): quoted, with '"', '\' and control characters
// escaped. Valid UTF-8 passes through; each byte of an invalid sequence becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// `text` as a JSON string, on its own.
std::string json_string(std::string_view text);

// Appends `value` in decimal (an RFC 8259 §6 integer).
void append_json_integer(std::string& out, std::int64_t value);
void append_json_unsigned(std::string& out, std::uint64_t value);

// A compact JSON object (no whitespace), written member by member in the order given: callers
// that need a canonical order (RFC 7638 §3.3) add the members sorted by name. Names are escaped
// like any string.
class JsonObjectWriter {
 public:
  JsonObjectWriter& string(std::string_view name, std::string_view value);
  JsonObjectWriter& integer(std::string_view name, std::int64_t value);
  // `json` is an already written JSON value, appended as it is.
  JsonObjectWriter& raw(std::string_view name, std::string_view json);
  // The finished document; the writer is spent.
  std::string finish();

 private:
  void name(std::string_view name);
  std::string out_ = "{";
};

}  // namespace oauth
