#include "json/json_value.hpp"

#include <algorithm>
#include <utility>

namespace oauth {

JsonValue JsonValue::boolean(bool value) {
  JsonValue v(JsonKind::boolean);
  v.boolean_ = value;
  return v;
}

JsonValue JsonValue::integer(std::int64_t value) {
  JsonValue v(JsonKind::integer);
  v.integer_ = value;
  return v;
}

JsonValue JsonValue::number(std::string text) {
  JsonValue v(JsonKind::number);
  v.text_ = std::move(text);
  return v;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue v(JsonKind::string);
  v.text_ = std::move(value);
  return v;
}

JsonValue JsonValue::array() { return JsonValue(JsonKind::array); }

JsonValue JsonValue::object() { return JsonValue(JsonKind::object); }

const JsonValue* JsonValue::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return &items_[i];
  }
  return nullptr;
}

JsonValue& JsonValue::push_back(JsonValue value) {
  items_.push_back(std::move(value));
  return items_.back();
}

JsonValue& JsonValue::add(std::string name, JsonValue value) {
  names_.push_back(std::move(name));
  return push_back(std::move(value));
}

// Depth is bounded by the parser (kMaxJsonDepth), so the recursion through items is too.
bool operator==(const JsonValue& a, const JsonValue& b) {
  return a.kind_ == b.kind_ && a.boolean_ == b.boolean_ && a.integer_ == b.integer_ && a.text_ == b.text_ &&
         a.names_ == b.names_ && a.items_ == b.items_;
}

std::optional<std::string_view> repeated_text(std::vector<std::string_view> texts) {
  // Heap sort: n log n whatever the names, in a fraction of std::sort's code.
  std::make_heap(texts.begin(), texts.end());
  std::sort_heap(texts.begin(), texts.end());
  auto repeated = std::adjacent_find(texts.begin(), texts.end());
  if (repeated == texts.end()) return std::nullopt;
  return *repeated;
}

}  // namespace oauth
