#include "protocol/json_wipe.hpp"

#include "crypto/secret.hpp"

namespace oauth {

void wipe_json_strings(nlohmann::json& value) {
  // Recursion is bounded: parse_json_object refuses documents deeper than kMaxJsonDepth.
  if (value.is_string()) {
    secure_wipe(value.get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) wipe_json_strings(item);
  }
}

}  // namespace oauth
