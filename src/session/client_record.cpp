// Persistence of a session (session/session_record.hpp): the external DPoP key, the record of
// the refresh token, and a session brought back from one.
#include "core/error_codes.hpp"
#include "session/client.hpp"
#include "session/session_record.hpp"

namespace oauth {

Result<std::string> Client::use_external_dpop_key(std::string_view public_jwk_json) {
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, OAUTH_TEXT("another request is pending"));
  OAUTH_ASSIGN_OR_RETURN(auto&& key, DpopKey::external(public_jwk_json));
  if (tokens_ && tokens_->proved && dpop_key_ && dpop_key_->thumbprint() != key.thumbprint())
    return Error::local(codes::dpop_key_mismatch, OAUTH_TEXT("the held tokens are bound to another DPoP key"));
  dpop_key_ = std::move(key);
  external_dpop_ = true;
  return dpop_key_->thumbprint();
}

Result<Secret> Client::export_session(bool require_bound) const {
  if (!has_refresh_token()) return Error::local(codes::login_required, OAUTH_TEXT("there is no refresh token to keep"));
  if (pending_ == Pending::refresh) return Error::local(codes::out_of_order, OAUTH_TEXT("a refresh is pending"));
  const bool bound = tokens_->proved;  // RFC 9449 §5: a proved request's refresh token is bound to the key
  if (bound && (!dpop_key_ || !dpop_key_->is_external()))
    return Error::local(codes::persist_unsupported, OAUTH_TEXT("the refresh token is bound to a DPoP key that ends with this process"));
  if (require_bound && !bound)
    return Error::local(codes::persist_unsupported, OAUTH_TEXT("the refresh token is not DPoP-bound"));
  if (require_bound && settings_.auth.method() != ClientAuth::Method::none)
    return Error::local(codes::persist_unsupported,
                        OAUTH_TEXT("a confidential client's refresh token is bound to its authentication, not to the DPoP key (RFC 9449 §5)"));
  SessionRecord record;
  record.issuer = settings_.client.issuer;
  record.client_id = settings_.client.client_id;
  record.refresh_token = tokens_->refresh_token.clone();
  record.scope = tokens_->scope;
  if (bound) record.dpop_jkt = dpop_key_->thumbprint();
  record.subject = id_token_ ? id_token_->subject() : restored_subject_;
  return session_record_to_json(record);
}

Status Client::restore_session(std::string_view record_json) {
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, OAUTH_TEXT("another request is pending"));
  OAUTH_ASSIGN_OR_RETURN(auto&& record, session_record_from_json(record_json));
  if (record.issuer != settings_.client.issuer || record.client_id != settings_.client.client_id)
    return Error::local(codes::session_record_foreign, OAUTH_TEXT("the session record is for another issuer or client"));
  if (!record.dpop_jkt.empty() && (!dpop_key_ || dpop_key_->thumbprint() != record.dpop_jkt))
    return Error::local(codes::dpop_key_mismatch, OAUTH_TEXT("the session record is bound to another DPoP key"));
  std::optional<DpopKey> key = std::move(dpop_key_);  // the record's key, checked above
  logout();                                           // nothing else of an earlier session survives
  dpop_key_ = std::move(key);
  TokenSet set;
  set.refresh_token = std::move(record.refresh_token);
  set.scope = std::move(record.scope);
  set.proved = !record.dpop_jkt.empty();
  tokens_ = std::move(set);
  restored_subject_ = std::move(record.subject);
  return Ok{};
}

Result<Secret> Client::export_server_session() const {
  if (!tokens_) return Error::local(codes::login_required, OAUTH_TEXT("there is no session to keep"));
  if (pending_ == Pending::refresh) return Error::local(codes::out_of_order, OAUTH_TEXT("a refresh is pending"));
  if (external_dpop_) return Error::local(codes::persist_unsupported, OAUTH_TEXT("the DPoP key is held outside the core"));
  ServerSessionRecord record;
  record.issuer = settings_.client.issuer;
  record.client_id = settings_.client.client_id;
  TokenSet& t = record.tokens;
  t.access_token = tokens_->access_token.clone();
  t.token_type = tokens_->token_type;
  t.expires_at = tokens_->expires_at;
  t.refresh_token = tokens_->refresh_token.clone();
  t.id_token = tokens_->id_token.clone();
  t.scope = tokens_->scope;
  t.proved = tokens_->proved;
  if (dpop_key_) record.dpop_key = dpop_key_->private_scalar();
  record.subject = id_token_ ? id_token_->subject() : restored_subject_;
  if (user_.is_object()) record.claims = user_;
  return server_session_record_to_json(record);
}

Status Client::restore_server_session(std::string_view record_json) {
  if (pending_ != Pending::none) return Error::local(codes::out_of_order, OAUTH_TEXT("another request is pending"));
  if (external_dpop_) return Error::local(codes::persist_unsupported, OAUTH_TEXT("this session's DPoP key is held outside the core"));
  OAUTH_ASSIGN_OR_RETURN(auto&& record, server_session_record_from_json(record_json));
  if (record.issuer != settings_.client.issuer || record.client_id != settings_.client.client_id)
    return Error::local(codes::session_record_foreign, OAUTH_TEXT("the session record is for another issuer or client"));
  std::optional<DpopKey> key;
  if (!record.dpop_key.empty()) {
    OAUTH_ASSIGN_OR_RETURN(key, DpopKey::from_private_scalar(record.dpop_key.view()));  // checked by the parse
  }
  logout();  // nothing else of an earlier session survives
  dpop_key_ = std::move(key);
  tokens_ = std::move(record.tokens);
  restored_subject_ = std::move(record.subject);
  user_ = std::move(record.claims);
  return Ok{};
}

}  // namespace oauth
