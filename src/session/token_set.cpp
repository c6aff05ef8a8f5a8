#include "session/token_set.hpp"

namespace oauth {

TokenSet TokenSet::from_response(TokenResponse&& response, std::int64_t now, std::string requested_scope) {
  TokenSet set;
  set.access_token = std::move(response.access_token);
  set.token_type = std::move(response.token_type);
  if (response.expires_in) set.expires_at = now + *response.expires_in;
  if (response.refresh_token) set.refresh_token = std::move(*response.refresh_token);
  if (response.id_token) set.id_token = std::move(*response.id_token);
  set.scope = response.scope ? std::move(*response.scope) : std::move(requested_scope);
  return set;
}

bool TokenSet::expires_within(std::int64_t now, std::int64_t margin) const {
  return expires_at && *expires_at - margin <= now;
}

}  // namespace oauth
