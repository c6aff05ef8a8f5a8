// The token endpoint's answer (RFC 6749 §5.1 success, §5.2 error; RFC 9449 §5 for DPoP).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/http.hpp"

namespace oauth {

// expires_in above this is refused as out of range (68 years).
inline constexpr std::int64_t kMaxExpiresIn = 2147483647;

struct TokenResponse {
  Secret access_token;                      // non-empty
  std::string token_type;                   // "Bearer" or "DPoP", normalised
  std::optional<std::int64_t> expires_in;   // seconds, 0..kMaxExpiresIn
  std::optional<Secret> refresh_token;      // non-empty when present
  std::optional<Secret> id_token;           // non-empty when present; not verified here
  std::optional<std::string> scope;         // RFC 6749 §5.1: when it differs from the request
};

// A success is HTTP 200 with Content-Type application/json (parameters allowed), one JSON object
// without repeated members, access_token a non-empty string, token_type Bearer or DPoP in any case
// (unsupported_token_type otherwise), expires_in a non-negative integer (a string is an error),
// refresh_token, id_token and scope strings; other members are ignored (RFC 6749 §5.1). Malformed:
// invalid_response. Over kMaxResponseBodyBytes: response_too_large. Any other status goes through
// process_error_response.
Result<TokenResponse> process_token_response(const HttpResponse& response);

}  // namespace oauth
