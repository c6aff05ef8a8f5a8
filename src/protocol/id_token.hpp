// ID token validation (OIDC Core §3.1.3.7, §12.2): the signature through verify_jws against the
// issuer's JWKS, then every claim rule. Only validate_id_token makes a VerifiedIdToken.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/jwk.hpp"
#include "crypto/jws_alg.hpp"
#include "json/json_value.hpp"

namespace oauth {

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::optional<std::string> nonce;       // the transaction's; nullopt on refresh (OIDC Core §12.2)
  std::int64_t now = 0;
  std::int64_t clock_skew = 60;
  std::optional<std::int64_t> max_age;    // when requested, auth_time is required (§3.1.2.1)
  std::optional<std::string_view> access_token;  // for at_hash (§3.1.3.8 / §3.2.2.9)
  JwsAlgSet allowed_algs = JwsAlgSet::all_supported();
};

class VerifiedIdToken;

// The algorithms an ID token from this server may be signed with (RFC 8725 §3.1: accept only the
// ones expected): those of the server's id_token_signing_alg_values_supported (OIDC Discovery §3;
// every supported one when it lists none) that this client verifies, narrowed to `registered`,
// the client's id_token_signed_response_alg (OIDC Registration §2), when it has one. None left is
// id_token_invalid: no ID token of this server could be verified.
Result<JwsAlgSet> id_token_algs(const std::optional<std::vector<std::string>>& server_algs,
                                std::optional<JwsAlg> registered);

// Signature (verify_jws: alg, kid, key, no none/HS*), then: iss equals the issuer; aud contains
// client_id; azp equals client_id when present or when aud has several values; exp after now - skew;
// iat present and not after now + skew; nbf not after now + skew; nonce equals the expected one
// (and is absent-or-ignored only on refresh); auth_time present when max_age was requested and
// not older than max_age + skew; at_hash, when present, matches the access token. Every failure
// is id_token_invalid, except unknown_kid (refetch the JWKS once).
Result<VerifiedIdToken> validate_id_token(std::string_view compact, const Jwks& keys, const IdTokenExpectations& expect);

// OIDC Core §12.2: an ID token from a refresh has the same iss, sub, aud and azp as the first one
// (no azp when the first had none), the same auth_time when both carry one, and no nonce or the
// first one's.
Status check_refreshed_id_token(const VerifiedIdToken& original, const VerifiedIdToken& refreshed);

class VerifiedIdToken {
 public:
  const JsonValue& claims() const { return claims_; }
  const std::string& subject() const { return subject_; }

 private:
  friend Result<VerifiedIdToken> validate_id_token(std::string_view, const Jwks&, const IdTokenExpectations&);
  VerifiedIdToken(JsonValue claims, std::string subject) : claims_(std::move(claims)), subject_(std::move(subject)) {}
  JsonValue claims_;
  std::string subject_;
};

}  // namespace oauth
