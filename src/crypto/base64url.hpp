// base64url without padding (RFC 4648 §5, as JOSE and PKCE use it: RFC 7515 §2).
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace oauth {

std::string base64url_encode(std::string_view bytes);

// Strict: rejects padding, characters outside the URL-safe alphabet, impossible lengths
// (len % 4 == 1) and non-zero trailing bits (so every value has exactly one encoding).
Result<std::string> base64url_decode(std::string_view text);

// Standard base64 with padding (RFC 4648 §4), for HTTP Basic authentication.
std::string base64_encode(std::string_view bytes);

}  // namespace oauth
