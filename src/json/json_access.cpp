#include "json/json_access.hpp"

#include "core/error_codes.hpp"
#include "json/document_lexer.hpp"
#include "json/json_decimal.hpp"

namespace oauth {
namespace {

using nlohmann::json;

// "<what the document is><middle><rule>", e.g. "the token response member scope must be a string".
Error source_error(const JsonSource& source, std::string_view middle, std::string_view rule = {}) {
  return Error{source.code, concat({source.what, middle, rule}), {}, source.blame, 0};
}

Error member_error(const JsonObject& obj, std::string_view name, const char* rule) {
  return Error{obj.source.code, concat({obj.source.what, " member ", name, " ", rule}), {}, obj.source.blame, 0};
}

// Looks a member up: nullptr when absent.
const json* find_member(const JsonObject& obj, std::string_view name) {
  auto it = obj.value.find(name);
  return it == obj.value.end() ? nullptr : &*it;
}

// Builds the document from the parser's events (the one parse path of the core), stopping at
// the first repeated member name in an object or at nesting deeper than kMaxJsonDepth.
class StrictBuilder {
 public:
  explicit StrictBuilder(json& root) : root_(root) {}

  bool null() { return put(json()); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(json::number_integer_t v) { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
  bool number_float(json::number_float_t, const json::string_t& text) {
    // The parser refuses numbers a double cannot hold; the text stands in for the double.
    if (!decimal_within_double_range(text)) return false;
    return put(decimal_value(text));
  }
  bool string(json::string_t& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t&) { return false; }  // the JSON parser never reports binary values
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool key(json::string_t& name) {
    // The innermost open container is the object this member goes in: its names so far are the
    // ones seen.
    if (open_.back()->get_ref<const json::object_t&>().count(name) != 0) {
      duplicate = true;
      return false;
    }
    key_ = std::move(name);
    return true;
  }
  bool end_object() {
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

 private:
  // Places a value in the innermost open container (or at the root) and returns where it is.
  // Open containers stay put: an array only grows after its open child is closed, map nodes never move.
  json* place(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      auto& items = parent.get_ref<json::array_t&>();
      items.push_back(std::move(v));
      return &items.back();
    }
    json& member = parent.get_ref<json::object_t&>()[key_];
    member = std::move(v);
    return &member;
  }
  bool put(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) {
      too_deep = true;
      return false;
    }
    open_.push_back(place(std::move(container)));
    return true;
  }

  json& root_;
  std::vector<json*> open_;
  std::string key_;
};

}  // namespace

Result<JsonObject> parse_json_object(std::string_view text, std::size_t max_bytes, const JsonSource& source) {
  if (text.size() > max_bytes) {
    const char* code = source.blame == Blame::remote ? codes::response_too_large : source.code;
    return Error{code, concat({source.what, " is larger than ", std::to_string(max_bytes), " bytes"}), {}, source.blame, 0};
  }
  // nlohmann's lexer takes a NUL byte for the end of the input: what follows one would go unread.
  // RFC 8259 allows none outside strings, and inside them only escaped.
  if (text.find('\0') != std::string_view::npos) return source_error(source, " is not valid JSON");
  json value;
  StrictBuilder builder(value);
  const bool parsed = json::sax_parse(DocumentByte{text.data()}, DocumentByte{text.data() + text.size()}, &builder);
  if (builder.too_deep) return source_error(source, " nests deeper than allowed");
  if (builder.duplicate) return source_error(source, " repeats a member name");
  if (!parsed) return source_error(source, " is not valid JSON");
  if (!value.is_object()) return source_error(source, " is not a JSON object");
  return JsonObject{std::move(value), source};
}

Result<std::optional<std::string>> get_string(const JsonObject& obj, std::string_view name) {
  const json* v = find_member(obj, name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return member_error(obj, name, "must be a string");
  return std::optional<std::string>(v->get_ref<const std::string&>());
}

Result<std::optional<bool>> get_bool(const JsonObject& obj, std::string_view name) {
  const json* v = find_member(obj, name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return member_error(obj, name, "must be a boolean");
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<std::vector<std::string>>> get_string_array(const JsonObject& obj, std::string_view name) {
  const json* v = find_member(obj, name);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return member_error(obj, name, "must be an array of strings");
  std::vector<std::string> out;
  out.reserve(v->size());
  for (const json& item : *v) {
    if (!item.is_string()) return member_error(obj, name, "must be an array of strings");
    out.push_back(item.get_ref<const std::string&>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::int64_t>> get_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                                std::int64_t max) {
  const json* v = find_member(obj, name);
  if (v == nullptr) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) return member_error(obj, name, "must be an integer");
  std::int64_t n = 0;
  if (const auto* u = v->get_ptr<const json::number_unsigned_t*>()) {
    if (*u > static_cast<std::uint64_t>(max < 0 ? 0 : max)) return member_error(obj, name, "is out of range");
    n = static_cast<std::int64_t>(*u);
  } else {
    n = *v->get_ptr<const json::number_integer_t*>();
  }
  if (n < min || n > max) return member_error(obj, name, "is out of range");
  return std::optional<std::int64_t>(n);
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
  for (const auto& item : obj.value.items()) {
    bool found = false;
    for (std::string_view k : known) found = found || item.key() == k;
    // The unknown name is not echoed: the document may hold anything.
    if (!found) return source_error(obj.source, " has an unknown member");
  }
  return Ok{};
}

}  // namespace oauth
