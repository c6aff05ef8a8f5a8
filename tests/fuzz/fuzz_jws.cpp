// A JWS in compact serialization (RFC 7515 §7.1) as a server sends it in id_token, against a
// JWKS. Input: the JWKS on the first line, then the compact JWS. Signatures rarely verify here;
// fuzz_id_token signs what it is given to reach the claim checks.
#include "crypto/jws_verify.hpp"
#include "fuzz_input.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  auto jwks = Jwks::parse(in.line());
  if (!jwks.ok()) return 0;
  auto jws = verify_jws(in.rest(), *jwks, JwsAlgSet::all_supported());
  if (!jws.ok()) {
    fuzz::require_typed(jws.error());
    return 0;
  }
  fuzz::require(jws->header().is_object() && jws->payload().is_object());
  fuzz::require(jws->header().find("crit") == nullptr && jws->header().find("jku") == nullptr &&
                jws->header().find("jwk") == nullptr);
  return 0;
}
