// The token set a session holds, only in wasm memory. Secrets are wiped when replaced or dropped.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/secret.hpp"
#include "protocol/token_response.hpp"

namespace oauth {

// How an access token is presented: Bearer (RFC 6750 §2.1) or DPoP-bound (RFC 9449 §7.1).
enum class TokenType { bearer, dpop };

// "Bearer" or "DPoP", as the token response spells them once normalised.
TokenType token_type_of(std::string_view normalised);
const char* token_type_name(TokenType type);

struct TokenSet {
  Secret access_token;
  TokenType token_type = TokenType::bearer;
  std::optional<std::int64_t> expires_at; // seconds since the epoch; nullopt: the server said nothing
  std::int64_t obtained_at = 0;           // when the token response arrived
  Secret refresh_token;                   // empty when none was issued
  Secret id_token;                        // the raw ID token, empty when none
  std::string scope;
  // The token request carried a DPoP proof. A refresh token issued to it is bound to the key even
  // when the access token came back Bearer (RFC 9449 §5), so a refresh proves the key again.
  bool proved = false;

  // The token set a token response describes, received at `now`. When the response has no scope,
  // the requested one was granted (RFC 6749 §5.1).
  static TokenSet from_response(TokenResponse&& response, std::int64_t now, std::string requested_scope);

  // Expired, or within `margin` seconds of it. A token without expires_in never counts as expired.
  bool expires_within(std::int64_t now, std::int64_t margin) const;
};

}  // namespace oauth
