// The parsed form of a JSON document (RFC 8259) the core reads: what parse_json_object
// (json_access.hpp) builds from the parse's events (document_parser.hpp). Objects keep their
// members in document order (names are unique: the parser refuses repeats). A number is an
// integer when it fits 64 signed bits; any other number (a fraction, an exponent, a longer
// integer) is kept as the text the document wrote (json_decimal.hpp reads it). Copies are deep.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

enum class JsonKind : std::uint8_t { null, boolean, integer, number, string, array, object };

class JsonValue {
 public:
  JsonValue() = default;  // null
  static JsonValue boolean(bool value);
  static JsonValue integer(std::int64_t value);
  static JsonValue number(std::string text);  // a JSON number as written that is not an int64
  static JsonValue string(std::string value);
  static JsonValue array();
  static JsonValue object();

  JsonKind kind() const { return kind_; }
  bool is_null() const { return kind_ == JsonKind::null; }
  bool is_boolean() const { return kind_ == JsonKind::boolean; }
  bool is_integer() const { return kind_ == JsonKind::integer; }
  bool is_number() const { return kind_ == JsonKind::number; }  // a number kept as text
  bool is_string() const { return kind_ == JsonKind::string; }
  bool is_array() const { return kind_ == JsonKind::array; }
  bool is_object() const { return kind_ == JsonKind::object; }

  bool as_boolean() const { return boolean_; }        // false unless a boolean
  std::int64_t as_integer() const { return integer_; }  // 0 unless an integer
  const std::string& text() const { return text_; }    // a string's value or a number's text
  std::string& text() { return text_; }
  // An array's elements, or an object's member values (names() holds their names, index for index).
  const std::vector<JsonValue>& items() const { return items_; }
  std::vector<JsonValue>& items() { return items_; }
  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return items_.size(); }

  // An object's member `name`: nullptr when absent or when this is not an object.
  const JsonValue* find(std::string_view name) const;

  // Builders: an element at the end of an array, a member at the end of an object. Each returns
  // the value where it now is (valid until the next push into the same container).
  JsonValue& push_back(JsonValue value);
  JsonValue& add(std::string name, JsonValue value);

  // Same kind and contents; objects compare their members in order.
  friend bool operator==(const JsonValue& a, const JsonValue& b);
  friend bool operator!=(const JsonValue& a, const JsonValue& b) { return !(a == b); }

 private:
  explicit JsonValue(JsonKind kind) : kind_(kind) {}

  JsonKind kind_ = JsonKind::null;
  bool boolean_ = false;
  std::int64_t integer_ = 0;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<std::string> names_;
};

// A text that occurs twice in `texts` (a view into the caller's storage), nullopt when all
// differ. Sorts its own copy: n log n, for documents and queries of any size.
std::optional<std::string_view> repeated_text(std::vector<std::string_view> texts);
inline bool has_repeated_text(std::vector<std::string_view> texts) { return repeated_text(std::move(texts)).has_value(); }

}  // namespace oauth
