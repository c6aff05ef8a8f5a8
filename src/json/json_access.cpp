#include "json/json_access.hpp"

#include <cstdint>

#include "core/error_codes.hpp"
#include "json/document_parser.hpp"
#include "json/json_write.hpp"
#include "json/strict_builder.hpp"

namespace oauth {
namespace {

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
  return Error{obj.source.code, concat({obj.source.what, OAUTH_TEXT(" member "), name, " ", rule}), {}, obj.source.blame, 0};
}

}  // namespace

Result<JsonObject> parse_json_object(std::string_view text, std::size_t max_bytes, const JsonSource& source) {
  if (text.size() > max_bytes) return too_large(source, OAUTH_TEXT(" is larger than "), max_bytes, OAUTH_TEXT(" bytes"));
  // nlohmann's lexer takes a NUL byte for the end of the input: what follows one would go unread.
  // RFC 8259 allows none outside strings, and inside them only escaped.
  if (text.find('\0') != std::string_view::npos) return source_error(source, OAUTH_TEXT(" is not valid JSON"));
  JsonValue value;
  StrictBuilder builder(value);
  const bool parsed = parse_document(text, builder);
  if (builder.too_many) return too_large(source, OAUTH_TEXT(" holds more than "), kMaxJsonValues, OAUTH_TEXT(" values"));
  if (builder.too_deep) return source_error(source, OAUTH_TEXT(" nests deeper than allowed"));
  if (builder.duplicate) return source_error(source, OAUTH_TEXT(" repeats a member name"));
  if (!parsed) return source_error(source, OAUTH_TEXT(" is not valid JSON"));
  if (!value.is_object()) return source_error(source, OAUTH_TEXT(" is not a JSON object"));
  return JsonObject{std::move(value), source};
}

Result<std::optional<std::string>> get_string(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return member_error(obj, name, OAUTH_TEXT("must be a string"));
  return std::optional<std::string>(v->text());
}

Result<std::optional<bool>> get_bool(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) return member_error(obj, name, OAUTH_TEXT("must be a boolean"));
  return std::optional<bool>(v->as_boolean());
}

Result<std::optional<std::vector<std::string>>> get_string_array(const JsonObject& obj, std::string_view name) {
  const JsonValue* v = obj.value.find(name);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return member_error(obj, name, OAUTH_TEXT("must be an array of strings"));
  std::vector<std::string> out;
  out.reserve(v->size());
  for (const JsonValue& item : v->items()) {
    if (!item.is_string()) return member_error(obj, name, OAUTH_TEXT("must be an array of strings"));
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
    return member_error(obj, name, OAUTH_TEXT("is out of range"));
  if (!v->is_integer()) return member_error(obj, name, OAUTH_TEXT("must be an integer"));
  if (v->as_integer() < min || v->as_integer() > max) return member_error(obj, name, OAUTH_TEXT("is out of range"));
  return std::optional<std::int64_t>(v->as_integer());
}

Result<std::string> require_string(const JsonObject& obj, std::string_view name) {
  OAUTH_ASSIGN_OR_RETURN(auto&& v, get_string(obj, name));
  if (!v.has_value()) return member_error(obj, name, OAUTH_TEXT("is missing"));
  return std::move(*v);
}

Result<std::int64_t> require_integer(const JsonObject& obj, std::string_view name, std::int64_t min,
                                     std::int64_t max) {
  OAUTH_ASSIGN_OR_RETURN(auto&& v, get_integer(obj, name, min, max));
  if (!v.has_value()) return member_error(obj, name, OAUTH_TEXT("is missing"));
  return *v;
}

Status check_only_members(const JsonObject& obj, const std::vector<std::string_view>& known) {
  for (const std::string& name : obj.value.names()) {
    bool found = false;
    for (std::string_view k : known) found = found || name == k;
    // The unknown name is not echoed: the document may hold anything.
    if (!found) return source_error(obj.source, OAUTH_TEXT(" has an unknown member"));
  }
  return Ok{};
}

}  // namespace oauth
