// A session's record for persistence: what a later process needs to bring the session back with
// one refresh (RFC 6749 §6), and nothing more. Never an access or ID token: those come back from
// that refresh, the ID token verified as at login. JSON, version 1:
//   { "v": 1, "issuer": "...", "client_id": "...", "refresh_token": "...", "scope": "...",
//     "dpop_jkt": "<RFC 7638 thumbprint of the DPoP key>" | "", "sub": "<the ID token's sub>" | "" }
// dpop_jkt is set when the refresh token is bound to a DPoP key (RFC 9449 §5); the record is then
// usable only with that key. Members are exactly these; anything else is refused.
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/secret.hpp"

namespace oauth {

inline constexpr std::size_t kMaxSessionRecordBytes = 16 * 1024;
inline constexpr std::size_t kMaxRecordedRefreshToken = 8 * 1024;
inline constexpr std::size_t kMaxRecordedSubject = 255;  // OIDC Core §2: sub is at most 255 ASCII characters

struct SessionRecord {
  std::string issuer;
  std::string client_id;
  Secret refresh_token;
  std::string scope;
  std::string dpop_jkt;  // empty: the refresh token is not DPoP-bound
  std::string subject;   // empty: no ID token was verified
};

Secret session_record_to_json(const SessionRecord& record);

// Strict: a record that is not exactly version 1's shape (missing, extra or ill-typed members, a
// refresh token outside RFC 6749 Appendix A.17's VSCHAR, a scope outside §3.3's syntax, a
// dpop_jkt that is not a SHA-256 thumbprint in base64url, a truncated document) is
// session_record_invalid. Whose record it is, is the caller's check.
Result<SessionRecord> session_record_from_json(std::string_view json);

}  // namespace oauth
