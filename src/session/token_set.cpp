#include "session/token_set.hpp"

namespace oauth {

TokenType token_type_of(std::string_view normalised) {
  return normalised == "DPoP" ? TokenType::dpop : TokenType::bearer;  // normalise_token_type's spelling
}

const char* token_type_name(TokenType type) { return type == TokenType::dpop ? "DPoP" : "Bearer"; }

TokenSet TokenSet::from_response(TokenResponse&& response, std::int64_t now, std::string requested_scope) {
  TokenSet set;
  set.access_token = std::move(response.access_token);
  set.token_type = token_type_of(response.token_type);
  if (response.expires_in) set.expires_at = now + *response.expires_in;
  set.obtained_at = now;
  if (response.refresh_token) set.refresh_token = std::move(*response.refresh_token);
  if (response.id_token) set.id_token = std::move(*response.id_token);
  set.scope = response.scope ? std::move(*response.scope) : std::move(requested_scope);
  return set;
}

bool TokenSet::expires_within(std::int64_t now, std::int64_t margin) const {
  return expires_at && *expires_at - margin <= now;
}

}  // namespace oauth
