#include "session/session_record.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/dpop_proof.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {
namespace {

constexpr JsonSource kRecordSource{codes::session_record_invalid, Blame::local, OAUTH_TEXT("the session record")};
constexpr std::size_t kThumbprintBytes = 32;  // a SHA-256 digest (RFC 7638 §3)

Error bad(const char* member) {
  return Error::local(codes::session_record_invalid, concat({OAUTH_TEXT("the session record member "), member, OAUTH_TEXT(" is malformed")}));
}

// RFC 6749 Appendix A.17: refresh-token = 1*VSCHAR, VSCHAR = %x20-7E.
bool is_vschar_text(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// A record's document: within `max_bytes`, exactly `members`, version 1. A refused one is wiped
// here (it may hold a token); an accepted one by the caller's JsonWipeGuard.
Result<JsonObject> parse_record(std::string_view json, std::size_t max_bytes, const std::vector<std::string_view>& members) {
  OAUTH_ASSIGN_OR_RETURN(auto&& doc, parse_json_object(json, max_bytes, kRecordSource));
  Status shape = check_only_members(doc, members);
  if (shape.ok()) {
    auto version = require_integer(doc, "v", 1, 1);
    if (!version.ok()) shape = std::move(version).take_error();
  }
  if (!shape.ok()) {
    wipe_json_strings(doc.value);
    return std::move(shape).take_error();
  }
  return std::move(doc);
}

// The members both records share: whose record it is (issuer, client_id), its scope and its sub.
struct RecordCommon {
  std::string issuer, client_id, scope, subject;
};

Result<RecordCommon> read_common(const JsonObject& doc) {
  RecordCommon common;
  OAUTH_ASSIGN_OR_RETURN(common.issuer, require_string(doc, "issuer"));
  OAUTH_ASSIGN_OR_RETURN(common.client_id, require_string(doc, "client_id"));
  if (common.client_id.empty()) return bad("client_id");
  OAUTH_ASSIGN_OR_RETURN(common.scope, require_string(doc, "scope"));
  if (!common.scope.empty() && !is_valid_scope(common.scope)) return bad("scope");
  OAUTH_ASSIGN_OR_RETURN(common.subject, require_string(doc, "sub"));
  if (common.subject.size() > kMaxRecordedSubject) return bad("sub");
  return common;
}

// A token of the record: empty only when `optional`, at most kMaxRecordedToken VSCHARs.
Result<Secret> recorded_token(const JsonObject& doc, const char* member, bool optional) {
  OAUTH_ASSIGN_OR_RETURN(auto&& token, require_string(doc, member));
  if (optional && token.empty()) return Secret();
  if (token.size() > kMaxRecordedToken || !is_vschar_text(token)) return bad(member);
  return Secret(std::move(token));
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
  OAUTH_ASSIGN_OR_RETURN(auto&& doc, parse_record(json, kMaxSessionRecordBytes,
                                                  {"v", "issuer", "client_id", "refresh_token", "scope", "dpop_jkt", "sub"}));
  JsonWipeGuard wipe(doc.value);
  OAUTH_ASSIGN_OR_RETURN(auto&& common, read_common(doc));
  SessionRecord record;
  record.issuer = std::move(common.issuer);
  record.client_id = std::move(common.client_id);
  record.scope = std::move(common.scope);
  record.subject = std::move(common.subject);
  OAUTH_ASSIGN_OR_RETURN(auto&& refresh_token, require_string(doc, "refresh_token"));
  if (refresh_token.size() > kMaxRecordedRefreshToken || !is_vschar_text(refresh_token)) return bad("refresh_token");
  record.refresh_token = Secret(std::move(refresh_token));
  OAUTH_ASSIGN_OR_RETURN(auto&& jkt, require_string(doc, "dpop_jkt"));
  if (!jkt.empty()) {
    auto digest = base64url_decode(jkt);
    if (!digest || digest->size() != kThumbprintBytes) return bad("dpop_jkt");
  }
  record.dpop_jkt = std::move(jkt);
  return record;
}

Secret server_session_record_to_json(const ServerSessionRecord& record) {
  const TokenSet& t = record.tokens;
  const Secret key(record.dpop_key.empty() ? std::string() : base64url_encode(record.dpop_key.view()));
  JsonWriter writer;
  writer.begin_object()
      .member("v", 1)
      .member("issuer", record.issuer)
      .member("client_id", record.client_id)
      .member("access_token", t.access_token.view())
      .member("token_type", token_type_name(t.token_type))
      .member("expires_at", [&](JsonWriter& w) { t.expires_at ? w.integer(*t.expires_at) : w.null(); })
      .member("refresh_token", t.refresh_token.view())
      .member("id_token", t.id_token.view())
      .member("scope", t.scope)
      .member("proved", t.proved)
      .member("dpop_key", key.view())
      .member("sub", record.subject)
      .member("claims", [&](JsonWriter& w) { w.json(record.claims); })
      .end_object();
  Secret out(std::move(writer.text()));
  return out;
}

Result<ServerSessionRecord> server_session_record_from_json(std::string_view json) {
  OAUTH_ASSIGN_OR_RETURN(auto&& doc, parse_record(json, kMaxServerSessionRecordBytes,
                                                  {"v", "issuer", "client_id", "access_token", "token_type", "expires_at",
                                                   "refresh_token", "id_token", "scope", "proved", "dpop_key", "sub", "claims"}));
  JsonWipeGuard wipe(doc.value);
  OAUTH_ASSIGN_OR_RETURN(auto&& common, read_common(doc));
  ServerSessionRecord record;
  TokenSet& t = record.tokens;
  record.issuer = std::move(common.issuer);
  record.client_id = std::move(common.client_id);
  t.scope = std::move(common.scope);
  record.subject = std::move(common.subject);
  OAUTH_ASSIGN_OR_RETURN(t.access_token, recorded_token(doc, "access_token", false));
  OAUTH_ASSIGN_OR_RETURN(t.refresh_token, recorded_token(doc, "refresh_token", true));
  OAUTH_ASSIGN_OR_RETURN(t.id_token, recorded_token(doc, "id_token", true));
  OAUTH_ASSIGN_OR_RETURN(auto&& token_type, require_string(doc, "token_type"));
  if (token_type != "Bearer" && token_type != "DPoP") return bad("token_type");
  t.token_type = token_type_of(token_type);
  const JsonValue* expires_at = doc.value.find("expires_at");
  if (expires_at == nullptr) return bad("expires_at");
  if (!expires_at->is_null()) {
    OAUTH_ASSIGN_OR_RETURN(auto&& at, require_integer(doc, "expires_at", 0, INT64_MAX));
    t.expires_at = at;
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& proved, get_bool(doc, "proved"));
  if (!proved.has_value()) return bad("proved");
  t.proved = *proved;
  OAUTH_ASSIGN_OR_RETURN(auto&& key, require_string(doc, "dpop_key"));
  if (!key.empty()) {
    auto scalar = base64url_decode(key);
    if (!scalar) return bad("dpop_key");
    record.dpop_key = Secret(std::move(*scalar));
    if (!DpopKey::from_private_scalar(record.dpop_key.view())) return bad("dpop_key");
  }
  if ((t.proved || t.token_type == TokenType::dpop) && record.dpop_key.empty()) return bad("dpop_key");
  const JsonValue* claims = doc.value.find("claims");
  if (claims == nullptr || !(claims->is_null() || claims->is_object())) return bad("claims");
  if (claims->is_object()) {
    const JsonValue* sub = claims->find("sub");
    if (sub == nullptr || !sub->is_string() || sub->text() != record.subject) return bad("claims");
    record.claims = *claims;  // a copy: the document is wiped on return
  }
  return record;
}

}  // namespace oauth
