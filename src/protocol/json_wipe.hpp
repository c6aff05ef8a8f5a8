// Wipes the strings of a parsed JSON document before it is freed: token responses and stored
// transactions carry tokens and verifiers. Best effort: nlohmann's lexer buffers are not reached.
#pragma once
#include "json/json_value.hpp"

namespace oauth {

// Overwrites every string value (not member names) in `value`, at any depth.
void wipe_json_strings(JsonValue& value);

// Wipes a document when it goes out of scope, on every return path.
class JsonWipeGuard {
 public:
  explicit JsonWipeGuard(JsonValue& value) : value_(value) {}
  JsonWipeGuard(const JsonWipeGuard&) = delete;
  JsonWipeGuard& operator=(const JsonWipeGuard&) = delete;
  ~JsonWipeGuard() { wipe_json_strings(value_); }

 private:
  JsonValue& value_;
};

}  // namespace oauth
