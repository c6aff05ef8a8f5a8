// The JWS "alg" values this client verifies (RFC 7518 §3.1, RFC 8037 §3.1): asymmetric only.
// "none" and the HMAC algorithms are not in the enum, so no code path can accept them.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "crypto/sha2.hpp"

namespace oauth {

enum class JwsAlg : std::uint8_t { rs256, rs384, rs512, ps256, ps384, ps512, es256, es384, eddsa };

// The registered name ("RS256", ..., "EdDSA"); case-sensitive (RFC 7515 §4.1.1).
std::string_view jws_alg_name(JwsAlg alg);

// The alg for a registered name we support, nullopt for anything else ("none", "HS256", "ES512",
// "rs256", ...).
std::optional<JwsAlg> jws_alg_from_name(std::string_view name);

// The hash of the signing input for RS*/PS*/ES* (RFC 7518 §3.3-3.5); EdDSA hashes inside.
Sha2 jws_alg_hash(JwsAlg alg);

// A set of algs, e.g. the ones a client registered for its ID tokens
// (id_token_signed_response_alg, OIDC Registration §2).
class JwsAlgSet {
 public:
  static JwsAlgSet all_supported();
  static JwsAlgSet of(std::initializer_list<JwsAlg> algs);
  bool contains(JwsAlg alg) const { return (bits_ & bit(alg)) != 0; }
  void add(JwsAlg alg) { bits_ |= bit(alg); }
  bool empty() const { return bits_ == 0; }

 private:
  static std::uint32_t bit(JwsAlg alg) { return 1u << static_cast<unsigned>(alg); }
  std::uint32_t bits_ = 0;
};

}  // namespace oauth
