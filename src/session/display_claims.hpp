// The claims of an ID token decoded WITHOUT verification, for display only. Never use them for a
// security decision; src/crypto/jws_verify verifies.
#pragma once
#include <nlohmann/json.hpp>
#include <string_view>

namespace oauth {

// The payload object of a compact JWS, or null when it is not one.
nlohmann::json display_claims(std::string_view compact_jws);

}  // namespace oauth
