// A jwks_uri response (RFC 7517 §5): the body as it came.
#include "crypto/jwk.hpp"
#include "fuzz_input.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  auto jwks = Jwks::parse(in.rest());
  if (!jwks.ok()) {
    fuzz::require_typed(jwks.error());
    return 0;
  }
  for (const auto& ignored : jwks->ignored()) fuzz::require_typed(ignored.reason);
  // Verifying garbage with any kept key, under any alg, fails cleanly.
  for (const Jwk& key : jwks->keys()) {
    for (JwsAlg alg : {JwsAlg::rs256, JwsAlg::rs384, JwsAlg::rs512, JwsAlg::ps256, JwsAlg::ps384, JwsAlg::ps512,
                       JwsAlg::es256, JwsAlg::es384, JwsAlg::eddsa}) {
      auto verified = key.verify(alg, "e30.e30", "not a signature");
      fuzz::require(!verified.ok());
      fuzz::require_typed(verified.error());
    }
  }
  return 0;
}
