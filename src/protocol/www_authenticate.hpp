// WWW-Authenticate challenges (RFC 9110 §11.6.1): enough to read a resource server's DPoP and
// Bearer error codes (RFC 6750 §3, RFC 9449 §7.1, §9).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oauth {

struct AuthChallenge {
  std::string scheme;                                       // as sent; compare case-insensitively
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted
};

// challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], auth-param = token BWS "=" BWS
// ( token / quoted-string ), challenges separated by commas. A malformed header yields the
// challenges read before the fault (never more than what was well-formed).
std::vector<AuthChallenge> parse_www_authenticate(std::string_view header);

// The value of the auth-param `name` of the first challenge whose scheme is `scheme` (both
// case-insensitive), nullopt when there is none.
std::optional<std::string> challenge_param(const std::vector<AuthChallenge>& challenges, std::string_view scheme,
                                           std::string_view name);

// RFC 6750 §3.1, RFC 9449 §7.1: the header holds a Bearer or DPoP challenge whose error is
// invalid_token (the token was refused: expired, revoked), not merely that text somewhere in it.
bool is_invalid_token_challenge(std::string_view header);

}  // namespace oauth
