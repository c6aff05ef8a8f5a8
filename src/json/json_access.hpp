// The core's one way to read JSON: nlohmann/json's lexer and RFC 8259's grammar over its tokens
// (document_parser.hpp) build a JsonValue (json_value.hpp), and thin, non-throwing accessors read
// it. Every read checks presence and type; a wrong type is an error naming the member, never a
// silent default.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "json/json_value.hpp"

namespace oauth {

// Deeper nesting than this is refused (none of our documents nests beyond 3).
inline constexpr int kMaxJsonDepth = 32;
// More values than this (members, elements and the root, at any depth) are refused: it bounds
// the memory a document can take (a JsonValue is 56 bytes in wasm32) far above any real one.
inline constexpr std::size_t kMaxJsonValues = 65536;

// Who wrote a document: its errors carry this code and blame, and name it ("the token response").
struct JsonSource {
  const char* code;
  Blame blame;
  const char* what;
};

// A parsed JSON object and the source its errors are reported against.
struct JsonObject {
  JsonValue value;  // always an object
  JsonSource source;
};

// Parses `text` as one JSON object (RFC 8259) of at most `max_bytes` bytes and kMaxJsonValues
// values. Duplicate member
// names at any depth are refused: RFC 8259 §4 leaves them to the parser, and in a
// security-relevant document two readers could see two different values.
// Too large (bytes or values): response_too_large for a remote source, the source's code otherwise.
Result<JsonObject> parse_json_object(std::string_view text, std::size_t max_bytes, const JsonSource& source);

// Optional members: nullopt when absent; an error when present with another type (null too).
Result<std::optional<std::string>> get_string(const JsonObject& obj, std::string_view name);
Result<std::optional<bool>> get_bool(const JsonObject& obj, std::string_view name);
Result<std::optional<std::vector<std::string>>> get_string_array(const JsonObject& obj, std::string_view name);
// Integers only (3600.0 and "3600" are errors), within [min, max].
Result<std::optional<std::int64_t>> get_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                                std::int64_t max);

// Required members: absence is an error too.
Result<std::string> require_string(const JsonObject& obj, std::string_view name);
Result<std::int64_t> require_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                     std::int64_t max);

// Refuses members outside `known` (for documents we wrote ourselves and read back strictly).
Status check_only_members(const JsonObject& obj, const std::vector<std::string_view>& known);

}  // namespace oauth
