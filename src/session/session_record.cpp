#include "session/session_record.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {
namespace {

constexpr JsonSource kRecordSource{codes::session_record_invalid, Blame::local, "the session record"};
constexpr std::size_t kThumbprintBytes = 32;  // a SHA-256 digest (RFC 7638 §3)

Error bad(const char* member) {
  return Error::local(codes::session_record_invalid, concat({"the session record member ", member, " is malformed"}));
}

// RFC 6749 Appendix A.17: refresh-token = 1*VSCHAR, VSCHAR = %x20-7E.
bool is_vschar_text(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

Secret session_record_to_json(const SessionRecord& record) {
  JsonWriter writer;
  writer.begin_object()
      .member("v", 1)
      .member("issuer", record.issuer)
      .member("client_id", record.client_id)
      .member("refresh_token", record.refresh_token.view())
      .member("scope", record.scope)
      .member("dpop_jkt", record.dpop_jkt)
      .member("sub", record.subject)
      .end_object();
  Secret out(std::move(writer.text()));
  return out;
}

Result<SessionRecord> session_record_from_json(std::string_view json) {
  auto doc = parse_json_object(json, kMaxSessionRecordBytes, kRecordSource);
  OAUTH_TRY(doc);
  JsonWipeGuard wipe(doc->value);
  OAUTH_TRY(check_only_members(*doc, {"v", "issuer", "client_id", "refresh_token", "scope", "dpop_jkt", "sub"}));
  auto version = require_integer(*doc, "v", 1, 1);
  OAUTH_TRY(version);
  SessionRecord record;
  auto issuer = require_string(*doc, "issuer");
  OAUTH_TRY(issuer);
  record.issuer = std::move(*issuer);
  auto client_id = require_string(*doc, "client_id");
  OAUTH_TRY(client_id);
  if (client_id->empty()) return bad("client_id");
  record.client_id = std::move(*client_id);
  auto refresh_token = require_string(*doc, "refresh_token");
  OAUTH_TRY(refresh_token);
  if (refresh_token->size() > kMaxRecordedRefreshToken || !is_vschar_text(*refresh_token)) return bad("refresh_token");
  record.refresh_token = Secret(std::move(*refresh_token));
  auto scope = require_string(*doc, "scope");
  OAUTH_TRY(scope);
  if (!scope->empty() && !is_valid_scope(*scope)) return bad("scope");
  record.scope = std::move(*scope);
  auto jkt = require_string(*doc, "dpop_jkt");
  OAUTH_TRY(jkt);
  if (!jkt->empty()) {
    auto digest = base64url_decode(*jkt);
    if (!digest || digest->size() != kThumbprintBytes) return bad("dpop_jkt");
  }
  record.dpop_jkt = std::move(*jkt);
  auto subject = require_string(*doc, "sub");
  OAUTH_TRY(subject);
  if (subject->size() > kMaxRecordedSubject) return bad("sub");
  record.subject = std::move(*subject);
  return record;
}

}  // namespace oauth
