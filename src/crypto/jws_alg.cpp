#include "crypto/jws_alg.hpp"

namespace oauth {
namespace {

struct AlgEntry {
  JwsAlg alg;
  std::string_view name;
  Sha2 hash;
};

constexpr AlgEntry kAlgs[] = {
    {JwsAlg::rs256, "RS256", Sha2::sha256}, {JwsAlg::rs384, "RS384", Sha2::sha384},
    {JwsAlg::rs512, "RS512", Sha2::sha512}, {JwsAlg::ps256, "PS256", Sha2::sha256},
    {JwsAlg::ps384, "PS384", Sha2::sha384}, {JwsAlg::ps512, "PS512", Sha2::sha512},
    {JwsAlg::es256, "ES256", Sha2::sha256}, {JwsAlg::es384, "ES384", Sha2::sha384},
    {JwsAlg::eddsa, "EdDSA", Sha2::sha512},
};

const AlgEntry& entry(JwsAlg alg) {
  for (const AlgEntry& e : kAlgs) {
    if (e.alg == alg) return e;
  }
  return kAlgs[0];  // unreachable: every enumerator has an entry
}

}  // namespace

std::string_view jws_alg_name(JwsAlg alg) { return entry(alg).name; }
Sha2 jws_alg_hash(JwsAlg alg) { return entry(alg).hash; }

std::optional<JwsAlg> jws_alg_from_name(std::string_view name) {
  for (const AlgEntry& e : kAlgs) {
    if (e.name == name) return e.alg;
  }
  return std::nullopt;
}

JwsAlgSet JwsAlgSet::all_supported() {
  JwsAlgSet set;
  for (const AlgEntry& e : kAlgs) set.bits_ |= bit(e.alg);
  return set;
}

JwsAlgSet JwsAlgSet::of(std::initializer_list<JwsAlg> algs) {
  JwsAlgSet set;
  for (JwsAlg alg : algs) set.bits_ |= bit(alg);
  return set;
}

}  // namespace oauth
