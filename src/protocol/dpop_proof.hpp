// DPoP proofs (RFC 9449 §4): a per-session ES256 key pair and the signed JWT that binds each
// token or resource request to it. The private key lives only here, in wasm memory, and is
// wiped when the DpopKey is dropped (logout) -- or, for an external key (persistence), it lives
// outside the core as a non-extractable WebCrypto key: the core then builds every proof and
// leaves only the ES256 signature over its signing input to the key's holder (web/dpop-webcrypto.mjs).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/ecdsa.hpp"
#include "protocol/url.hpp"

namespace oauth {

// Random bytes behind each proof's jti (RFC 9449 §4.2: enough that collisions are negligible).
inline constexpr std::size_t kDpopJtiRandomBytes = 16;

// RFC 9449 §4.2 htu: the request's URI without query and fragment, with the scheme and host
// lower-cased and the scheme's default port left out (RFC 3986 §6.2.2-6.2.3), so the server's
// normalised comparison (§4.3 step 9) matches. From a URL parsed once for the request (its nonce,
// its origin and its htu); the text form refuses a URL we cannot parse (invalid_argument).
std::string dpop_htu(const Url& url);
Result<std::string> dpop_htu(std::string_view url);
// The request URL of a proof, parsed: invalid_argument when it is not an absolute URL.
Result<Url> dpop_request_url(std::string_view url);

// What one proof says (RFC 9449 §4.2).
struct DpopProofClaims {
  std::string_view method;        // htm: the HTTP method (a token, e.g. "POST")
  const Url& url;                 // the request URL, parsed once; htu is derived with dpop_htu()
  std::int64_t issued_at = 0;     // iat, seconds since the epoch
  std::string_view nonce;         // the server's DPoP-Nonce (§8); empty: no nonce claim
  std::string_view access_token;  // for resource requests (§7.1): ath; empty: no ath claim
};

class DpopKey {
 public:
  // A fresh P-256 key pair from the platform CSPRNG (the constant-time ecp_nistp256 code signs).
  static Result<DpopKey> generate();
  // A key held outside the core, known by its public JWK (RFC 7517: kty "EC", crv "P-256", x, y
  // at full length and on the curve; a private member "d" is refused: invalid_key). Its proofs
  // are JWS signing inputs, BASE64URL(header) "." BASE64URL(claims) (RFC 7515 §5.1 step 6), for
  // the holder to sign with ES256 (ECDSA P-256 SHA-256, r||s: RFC 7518 §3.4) and complete as
  // signing_input "." BASE64URL(signature).
  static Result<DpopKey> external(std::string_view public_jwk_json);
  // A key of the core's own kept by a server between its processes (the backend's store, sealed):
  // its scalar d (EcPrivateKey::from_p256_scalar; a bad one is invalid_key), and back. The scalar
  // is empty for an external key, whose private half the core never sees.
  static Result<DpopKey> from_private_scalar(std::string_view d);
  Secret private_scalar() const { return key_ ? key_->scalar_bytes() : Secret(); }

  DpopKey(DpopKey&&) noexcept = default;
  DpopKey& operator=(DpopKey&&) noexcept = default;

  // The RFC 7638 SHA-256 thumbprint of the public key: dpop_jkt (§10) and cnf.jkt (§6.1).
  const std::string& thumbprint() const { return thumbprint_; }
  const EcPublicKey& public_key() const { return public_key_; }
  // The private key is held outside the core: proof() gives signing inputs (see external()).
  bool is_external() const { return !key_; }

  // A compact JWS: header {typ: "dpop+jwt", alg: "ES256", jwk: the public key}, claims jti (fresh
  // random), htm, htu, iat, and nonce and ath when given (ath = base64url SHA-256 of the token).
  // Refused (invalid_argument): a method that is not an HTTP token, an unusable URL, a nonce
  // outside RFC 9449 §8.1's syntax, a negative iat. For an external key: the signing input only.
  Result<std::string> proof(const DpopProofClaims& claims) const;

 private:
  DpopKey(std::optional<EcPrivateKey> key, EcPublicKey public_key);

  std::optional<EcPrivateKey> key_;  // none: external
  EcPublicKey public_key_;
  std::string header_;  // base64url of the JOSE header, the same for every proof
  std::string thumbprint_;
};

// nonce = 1*NQCHAR, NQCHAR = %x21 / %x23-5B / %x5D-7E (RFC 9449 §8.1), at most
// kMaxDpopNonceLength characters (ours: a bound on what a server makes us store and echo).
inline constexpr std::size_t kMaxDpopNonceLength = 1024;
bool is_valid_dpop_nonce(std::string_view nonce);

}  // namespace oauth
