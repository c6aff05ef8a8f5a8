// JWS Compact Serialization validation (RFC 7515 §5.2, §7.1) for signed JWTs such as ID tokens
// (OIDC Core §3.1.3.7 step 6), against a JWK Set. Only the signature and the JOSE header are
// judged here; the claims are the caller's (protocol) job.
#pragma once
#include <string_view>

#include "core/result.hpp"
#include "crypto/jwk.hpp"
#include "crypto/jws_alg.hpp"
#include "json/json_value.hpp"

namespace oauth {

inline constexpr std::size_t kMaxJwsBytes = 128 * 1024;  // far above any real ID token

class VerifiedJws;

// Accepts a JWS only when all hold:
//  - exactly three parts, each strict base64url (no padding, no whitespace) (RFC 7515 §7.1);
//  - the header and the payload are JSON objects without repeated member names (RFC 7515 §4,
//    RFC 7519 §4);
//  - "alg" is one of ours (RS*, PS*, ES256, ES384, EdDSA) and in `allowed`; "none" and HS* are
//    refused (RFC 8725 §3.1-3.2);
//  - no "crit" (RFC 7515 §4.1.11: we understand no extension), and no "jku", "jwk", "x5u" or
//    "x5c" (keys come only from the issuer's jwks_uri: OIDC Core §10.1, RFC 8725 §3.10);
//  - the key: the JWKS keys with the header's "kid" that fit the alg, or, without "kid", the
//    single key that fits it (RFC 7515 §6); no key with that kid is codes::unknown_kid, so the
//    caller can refetch the JWKS once;
//  - the signature verifies with that key (RFC 7515 §5.2 step 8).
// Error descriptions never quote the token or key material.
Result<VerifiedJws> verify_jws(std::string_view compact, const Jwks& keys, JwsAlgSet allowed);

// A JWS whose signature verified: only verify_jws() makes one.
class VerifiedJws {
 public:
  JwsAlg alg() const { return alg_; }
  const JsonValue& header() const { return header_; }    // a JSON object
  const JsonValue& payload() const { return payload_; }  // a JSON object (the claims)

 private:
  friend Result<VerifiedJws> verify_jws(std::string_view compact, const Jwks& keys, JwsAlgSet allowed);
  VerifiedJws(JwsAlg alg, JsonValue header, JsonValue payload)
      : alg_(alg), header_(std::move(header)), payload_(std::move(payload)) {}

  JwsAlg alg_;
  JsonValue header_;
  JsonValue payload_;
};

}  // namespace oauth
