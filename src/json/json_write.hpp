// A small JSON writer for the documents the core and the bindings write (the stored transaction,
// the DPoP proof's header and claims, RFC 7638 thumbprint input, every bound call's answer), so
// the core links no general serializer. Readers go through json_access.hpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "json/json_value.hpp"

namespace oauth {

// Appends `text` as a JSON string (RFC 8259 §7): quoted, with '"', '\' and control characters
// escaped. Valid UTF-8 passes through; each byte of an invalid sequence becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// `text` as a JSON string, on its own.
std::string json_string(std::string_view text);

// Appends `value` in decimal (an RFC 8259 §6 integer).
void append_json_integer(std::string& out, std::int64_t value);
void append_json_unsigned(std::string& out, std::uint64_t value);
// `value` in decimal on its own (a JSON integer, a URL's port, a status in an error description).
std::string decimal(std::int64_t value);

// A compact JSON document (no whitespace), written value by value in the order given: callers that
// need a canonical order (RFC 7638 §3.3) add members sorted by name. Commas are placed by the
// writer; names and strings are escaped by append_json_string. Used for every document the core
// and the bindings write (the stored transaction, the DPoP proof, RFC 7638 thumbprint input, the
// bindings' answers).
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& integer(std::int64_t n);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  JsonWriter& json(const JsonValue& value);  // a parsed value (ID token claims), as it was
  JsonWriter& raw(std::string_view json);    // an already written JSON value, appended as it is

  // key + value in one; `write_value(*this)` writes a value of any shape.
  template <typename F, typename = std::enable_if_t<std::is_invocable_v<F, JsonWriter&>>>
  JsonWriter& member(std::string_view name, F&& write_value) {
    key(name);
    write_value(*this);
    return *this;
  }
  JsonWriter& member(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonWriter& member(std::string_view name, const char* text) { return key(name).string(text); }
  JsonWriter& member(std::string_view name, const std::string& text) { return key(name).string(text); }
  JsonWriter& member(std::string_view name, bool b) { return key(name).boolean(b); }
  JsonWriter& member(std::string_view name, std::int64_t n) { return key(name).integer(n); }
  JsonWriter& member(std::string_view name, int n) { return key(name).integer(n); }

  std::string& text() { return out_; }

 private:
  void separate();
  std::string out_;
};

}  // namespace oauth
