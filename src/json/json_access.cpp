#include "json/json_access.hpp"

#include <set>

#include "core/error_codes.hpp"

namespace oauth {
namespace {

using nlohmann::json;

Error source_error(const JsonSource& source, std::string description) {
  return Error{source.code, std::move(description), {}, source.blame, 0};
}

Error member_error(const JsonObject& obj, std::string_view name, const char* rule) {
  return source_error(obj.source, std::string(obj.source.what) + " member " + std::string(name) + " " + rule);
}

// Looks a member up: nullptr when absent.
const json* find_member(const JsonObject& obj, std::string_view name) {
  auto it = obj.value.find(name);
  return it == obj.value.end() ? nullptr : &*it;
}

}  // namespace

Result<JsonObject> parse_json_object(std::string_view text, std::size_t max_bytes, const JsonSource& source) {
  if (text.size() > max_bytes) {
    const char* code = source.blame == Blame::remote ? codes::response_too_large : source.code;
    return Error{code, std::string(source.what) + " is larger than " + std::to_string(max_bytes) + " bytes", {},
                 source.blame, 0};
  }
  // The parser reports every object start/end and member name; we keep the names seen in each
  // open object to spot a repeat, and count nesting to bound it.
  std::vector<std::set<std::string>> open_objects;
  int depth = 0;
  bool duplicate = false;
  bool too_deep = false;
  auto watch = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open_objects.emplace_back();
        if (++depth > kMaxJsonDepth) too_deep = true;
        break;
      case json::parse_event_t::array_start:
        if (++depth > kMaxJsonDepth) too_deep = true;
        break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        --depth;
        break;
      case json::parse_event_t::array_end:
        --depth;
        break;
      case json::parse_event_t::key:
        if (!open_objects.empty() && parsed.is_string() &&
            !open_objects.back().insert(parsed.get_ref<const std::string&>()).second)
          duplicate = true;
        break;
      case json::parse_event_t::value:
        break;
    }
    return true;
  };
  json value = json::parse(text.data(), text.data() + text.size(), watch, /*allow_exceptions=*/false);
  if (value.is_discarded()) return source_error(source, std::string(source.what) + " is not valid JSON");
  if (too_deep) return source_error(source, std::string(source.what) + " nests deeper than allowed");
  if (duplicate) return source_error(source, std::string(source.what) + " repeats a member name");
  if (!value.is_object()) return source_error(source, std::string(source.what) + " is not a JSON object");
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
    if (!found) return source_error(obj.source, std::string(obj.source.what) + " has an unknown member");
  }
  return Ok{};
}

}  // namespace oauth
