#include "protocol/json_wipe.hpp"

#include "crypto/secret.hpp"

namespace oauth {

void wipe_json_strings(JsonValue& value) {
  // Recursion is bounded: parse_json_object refuses documents deeper than kMaxJsonDepth.
  if (value.is_string()) secure_wipe(value.text());
  for (JsonValue& item : value.items()) wipe_json_strings(item);
}

}  // namespace oauth
