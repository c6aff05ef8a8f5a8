// The one builder of the core's JSON documents (json_access.cpp's parse_json_object).
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json/json_access.hpp"
#include "json/json_decimal.hpp"
#include "json/json_value.hpp"
#include "json/json_write.hpp"

namespace oauth {

// Builds the document from a parse's events (nlohmann/json's SAX interface: the names and
// arguments its parser passes), stopping at the first object that repeats a member name, at
// nesting deeper than kMaxJsonDepth or at more than kMaxJsonValues values. document_parser.hpp
// sends the events; the JSON fuzzer also feeds it from nlohmann's own parser to compare the two.
class StrictBuilder {
 public:
  explicit StrictBuilder(JsonValue& root) : root_(root) {}

  bool null() { return put(JsonValue()); }
  bool boolean(bool v) { return put(JsonValue::boolean(v)); }
  bool number_integer(std::int64_t v) { return put(JsonValue::integer(v)); }
  bool number_unsigned(std::uint64_t v) {
    if (v <= static_cast<std::uint64_t>(INT64_MAX)) return put(JsonValue::integer(static_cast<std::int64_t>(v)));
    std::string digits;
    append_json_unsigned(digits, v);
    return put(JsonValue::number(std::move(digits)));
  }
  bool number_float(double, const std::string& text) {
    // The lexer's double is never computed (document_lexer.hpp): the text is the number, and
    // one a double could not hold is refused as upstream's parser refuses it.
    if (!decimal_within_double_range(text)) return false;
    return put(JsonValue::number(text));
  }
  bool string(std::string& v) { return put(JsonValue::string(std::move(v))); }
  bool binary(nlohmann::json::binary_t&) { return false; }  // nlohmann's JSON parser never reports one
  bool start_object(std::size_t) { return open(JsonValue::object()); }
  bool start_array(std::size_t) { return open(JsonValue::array()); }
  bool key(std::string& name) {
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
  // nlohmann's parser reports its syntax errors here (the fuzz oracle runs it); parse_document stops by itself.
  template <typename Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) {
    return false;
  }

  // What the parser asks: how many containers are open, and whether the innermost is an array.
  std::size_t nesting() const { return open_.size(); }
  bool in_array() const { return open_.back()->is_array(); }

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

}  // namespace oauth
