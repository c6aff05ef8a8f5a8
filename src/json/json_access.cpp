#include "json/json_access.hpp"

#include <cstdint>

#include "core/error_codes.hpp"
#include "json/document_lexer.hpp"
#include "json/json_decimal.hpp"
#include "json/json_write.hpp"

namespace oauth {
namespace {

using nlohmann::json;

// "<what the document is><middle><rule>", e.g. "the token response member scope must be a string".
Error source_error(const JsonSource& source, std::string_view middle, std::string_view rule = {}) {
  return Error{source.code, concat({source.what, middle, rule}), {}, source.blame, 0};
}

// "<what><middle><limit><unit>" (more bytes or values than allowed): response_too_large for a
// remote source, its code otherwise.
Error too_large(const JsonSource& source, std::string_view middle, std::size_t limit, std::string_view unit) {
  const char* code = source.blame == Blame::remote ? codes::response_too_large : source.code;
  return Error{code, concat({source.what, middle, decimal(limit), unit}), {}, source.blame, 0};
}

Error member_error(const JsonObject& obj, std::string_view name, const char* rule) {
  return Error{obj.source.code, concat({obj.source.what, " member ", name, " ", rule}), {}, obj.source.blame, 0};
}

// Builds the document from the parser's events (the one parse path of the core), stopping at
// the first object that repeats a member name or at nesting deeper than kMaxJsonDepth.
class StrictBuilder {
 public:
  explicit StrictBuilder(JsonValue& root) : root_(root) {}

  bool null() { return put(JsonValue()); }
  bool boolean(bool v) { return put(JsonValue::boolean(v)); }
  bool number_integer(json::number_integer_t v) { return put(JsonValue::integer(v)); }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v <= static_cast<json::number_unsigned_t>(INT64_MAX)) return put(JsonValue::integer(static_cast<std::int64_t>(v)));
    std::string digits;
    append_json_unsigned(digits, v);
    return put(JsonValue::number(std::move(digits)));
  }
  bool number_float(json::number_float_t, const json::string_t& text) {
    // The lexer's double is never computed (document_lexer.hpp): the text is the number, and
    // one a double could not hold is refused as upstream's parser refuses it.
    if (!decimal_within_double_range(text)) return false;
    return put(JsonValue::number(text));
  }
  bool string(json::string_t& v) { return put(JsonValue::string(std::move(v))); }
  bool binary(json::binary_t&) { return false; }  // the JSON parser never reports binary values
  bool start_object(std::size_t) { return open(JsonValue::object()); }
  bool start_array(std::size_t) { return open(JsonValue::array()); }
  bool key(json::string_t& name) {
    key_ = std::move(name);
    return true;
  }
  bool end_object() {
    // RFC 8259 §4 leaves repeated names to the parser; we refuse them (checked once the object
    // is complete, by sorting its names: any size costs n log n).
    const std::vector<std::string>& names = open_.back()->names();
    if (has_repeated_text(std::vector<std::string_view>(names.begin(), names.end()))) {
      duplicate = true;
      return false;
    }
    open_.pop_back();
    return true;
  }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }

  bool duplicate = false;
  bool too_deep = false;
  bool too_many = false;

 private:
  // Whether the document may take one more value (kMaxJsonValues).
  bool room_for_one_more() {
    too_many = values_ >= kMaxJsonValues;
    return !too_many;
  }
  // Places a value in the innermost open container (or at the root) and returns where it is.
  // Open containers stay put: a container only grows after its open child is closed.
  JsonValue* place(JsonValue&& v) {
    ++values_;
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    JsonValue& parent = *open_.back();
    if (parent.is_array()) return &parent.push_back(std::move(v));
    return &parent.add(std::move(key_), std::move(v));
  }
  bool put(JsonValue&& v) {
    if (!room_for_one_more()) return false;
    place(std::move(v));
    return true;
  }
  bool open(JsonValue&& container) {
    if (!room_for_one_more()) return false;
    if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) {
      too_deep = true;
      return false;
    }
    open_.push_back(place(std::move(container)));
    return true;
  }

  JsonValue& root_;
  std::size_t values_ = 0;
  std::vector<JsonValue*> open_;
  std::string key_;
};

}  // namespace

Result<JsonObject> parse_json_object(std::string_view text, std::size_t max_bytes, const JsonSource& source) {
  if (text.size() > max_bytes) return too_large(source, " is larger than ", max_bytes, " bytes");
  // nlohmann's lexer takes a NUL byte for the end of the input: what follows one would go unread.
  // RFC 8259 allows none outside strings, and inside them only escaped.
  if (text.find('\0') != std::string_view::npos) return source_error(source, " is not valid JSON");
  JsonValue value;
  StrictBuilder builder(value);
  const bool parsed = json::sax_parse(DocumentByte{text.data()}, DocumentByte{text.data() + text.size()}, &builder);
  if (builder.too_many) return too_large(source, " holds more than ", kMaxJsonValues, " values");
  if (builder.too_deep) return source_error(source, " nests deeper than allowed");
  if (builder.duplicate) return source_error(source, " repeats a member name");
  if (!parsed) return source_error(source, " is not valid JSON");
  if (!value.is_object()) return source_error(source, " is not a JSON object");
  return JsonObject{std::move(value), source};
}

Result<std::optional<std::string>> get_string(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return member_error(obj, name, "must be a string");
  return std::optional<std::string>(v->text());
}

Result<std::optional<bool>> get_bool(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return member_error(obj, name, "must be a boolean");
  return std::optional<bool>(v->as_boolean());
}

Result<std::optional<std::vector<std::string>>> get_string_array(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return member_error(obj, name, "must be an array of strings");
  std::vector<std::string> out;
  out.reserve(v->size());
  for (const JsonValue& item : v->items()) {
    if (!item.is_string()) return member_error(obj, name, "must be an array of strings");
    out.push_back(item.text());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::int64_t>> get_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                                std::int64_t max) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<std::int64_t>();
  // An integer beyond 64 bits is kept as text: an integer still, out of any range we take.
  if (v->is_number() && v->text().find_first_of(".eE") == std::string::npos)
    return member_error(obj, name, "is out of range");
  if (!v->is_integer()) return member_error(obj, name, "must be an integer");
  if (v->as_integer() < min || v->as_integer() > max) return member_error(obj, name, "is out of range");
  return std::optional<std::int64_t>(v->as_integer());
}

Result<std::string> require_string(const JsonObject& obj, std::string_view name) {
  auto v = get_string(obj, name);
  OAUTH_TRY(v);
  if (!v->has_value()) return member_error(obj, name, "is missing");
  return std::move(**v);
}

Result<std::int64_t> require_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                     std::int64_t max) {
  auto v = get_integer(obj, name, min, max);
  OAUTH_TRY(v);
  if (!v->has_value()) return member_error(obj, name, "is missing");
  return **v;
}

Status check_only_members(const JsonObject& obj, const std::vector<std::string_view>& known) {
  for (const std::string& name : obj.value.names()) {
    bool found = false;
    for (std::string_view k : known) found = found || name == k;
    // The unknown name is not echoed: the document may hold anything.
    if (!found) return source_error(obj.source, " has an unknown member");
  }
  return Ok{};
}

}  // namespace oauth
