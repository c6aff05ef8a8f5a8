// How long a JWKS response may be trusted: the freshness lifetime its Cache-Control gives
// (RFC 9111 §4.2.1), clamped to the bounds of limits.hpp.
#pragma once
#include <cstdint>

#include "protocol/http.hpp"

namespace oauth {

// max-age (RFC 9111 §5.2.2.1; quoted or not, names in any case) less the response's Age
// (§4.2.3, §5.1), clamped to [kJwksMinLifetimeSeconds, kJwksMaxLifetimeSeconds]. The lower bound
// when the response may not be reused: no-store (§5.2.2.5), a bare no-cache (§5.2.2.4), or a
// max-age that is malformed or given twice (§4.2.1: such a response is stale).
// kJwksDefaultLifetimeSeconds without max-age (Expires and heuristics are not read).
std::int64_t jwks_lifetime(const HttpHeaders& headers);

}  // namespace oauth
