// JWK thumbprints (RFC 7638): the SHA-256 hash of a key's required members in canonical JSON,
// base64url-encoded. DPoP uses it for dpop_jkt and cnf.jkt (RFC 9449 §6.1, §10).
#pragma once
#include <string>

#include "core/result.hpp"
#include "crypto/ecdsa.hpp"
#include "json/json_value.hpp"

namespace oauth {

// The public JWK of an EC key with only the members RFC 7638 §3.2 requires (crv, kty, x, y), as
// compact JSON text with its members sorted (RFC 7638 §3.3): the input of its thumbprint, and the
// jwk of a DPoP proof's header.
std::string ec_public_jwk_json(const EcPublicKey& key);

// RFC 7638 §3: the required members of `jwk` by kty (EC: crv kty x y; RSA: e kty n; OKP
// (RFC 8037 §2): crv kty x), each a string, in lexicographic order without whitespace
// (§3.3), hashed with SHA-256. Other kty values, or a required member missing or not a
// string, are invalid_key.
Result<std::string> jwk_thumbprint_sha256(const JsonValue& jwk);

// The same for an EC public key (it always has the required members).
std::string jwk_thumbprint_sha256(const EcPublicKey& key);

}  // namespace oauth
