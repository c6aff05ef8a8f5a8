#include "session/display_claims.hpp"

#include "crypto/base64url.hpp"
#include "json/json_access.hpp"
#include "core/error_codes.hpp"
#include "protocol/limits.hpp"

namespace oauth {

nlohmann::json display_claims(std::string_view compact_jws) {
  const auto first = compact_jws.find('.');
  const auto second = first == std::string_view::npos ? first : compact_jws.find('.', first + 1);
  if (second == std::string_view::npos) return nullptr;
  auto payload = base64url_decode(compact_jws.substr(first + 1, second - first - 1));
  if (!payload) return nullptr;
  auto obj = parse_json_object(*payload, kMaxResponseBodyBytes,
                               JsonSource{codes::id_token_invalid, Blame::remote, "the ID token payload"});
  if (!obj) return nullptr;
  return std::move(obj->value);
}

}  // namespace oauth
