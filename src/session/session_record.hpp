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
#include "json/json_value.hpp"
#include "session/token_set.hpp"

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

// A confidential client's whole session, for the server that runs it to keep in its own store
// between its processes (the backend-for-frontend, web/backend/sessions.mjs, which seals it with
// the app's key): every token, and the DPoP key's private scalar, which then never leaves that
// server. JSON, version 1, members exactly these:
//   { "v": 1, "issuer": "...", "client_id": "...", "access_token": "...", "token_type": "Bearer" | "DPoP",
//     "expires_at": <seconds since the epoch> | null, "refresh_token": "..." | "", "id_token": "..." | "",
//     "scope": "...", "proved": <the token request carried a DPoP proof>, "dpop_key": "<base64url d>" | "",
//     "sub": "<the ID token's sub>" | "", "claims": { <the ID token's verified claims> } | null }
inline constexpr std::size_t kMaxServerSessionRecordBytes = 64 * 1024;
inline constexpr std::size_t kMaxRecordedToken = 16 * 1024;  // each of the access, refresh and ID tokens

struct ServerSessionRecord {
  std::string issuer;
  std::string client_id;
  TokenSet tokens;
  Secret dpop_key;  // the P-256 scalar d, 32 octets; empty without a DPoP key
  std::string subject;
  JsonValue claims;  // null without a verified ID token
};

Secret server_session_record_to_json(const ServerSessionRecord& record);

// Strict, as session_record_from_json: any other shape is session_record_invalid, and so are a
// token outside VSCHAR (RFC 6749 Appendix A.12, A.17), a DPoP token type or a proved request
// without a key, a key that is not a P-256 scalar in [1, n-1], claims whose sub is not `sub`.
Result<ServerSessionRecord> server_session_record_from_json(std::string_view json);

}  // namespace oauth
