// The JSON document each exported call answers with, written member by member (the JS side reads
// it with JSON.parse). Commas are placed by the writer; strings go through the core's own string
// writer (src/json/json_write.hpp). Mechanical; no logic.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "json/json_value.hpp"

namespace oauth::bindings {

class JsonOut {
 public:
  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  JsonOut& key(std::string_view name);
  JsonOut& string(std::string_view text);
  JsonOut& integer(std::int64_t n);
  JsonOut& boolean(bool b);
  JsonOut& null();
  JsonOut& json(const JsonValue& value);  // a parsed value (ID token claims), as it was

  // key + value in one.
  template <typename F>
  JsonOut& member(std::string_view name, F&& write_value) {
    key(name);
    write_value(*this);
    return *this;
  }
  JsonOut& member(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonOut& member(std::string_view name, const char* text) { return key(name).string(text); }
  JsonOut& member(std::string_view name, const std::string& text) { return key(name).string(text); }
  JsonOut& member(std::string_view name, bool b) { return key(name).boolean(b); }
  JsonOut& member(std::string_view name, std::int64_t n) { return key(name).integer(n); }
  JsonOut& member(std::string_view name, int n) { return key(name).integer(n); }

  std::string& text() { return out_; }

 private:
  void separate();
  std::string out_;
};

}  // namespace oauth::bindings
