// Native crypto bench, our side: the core's src/crypto functions with the OpenSSL files the wasm
// build compiles in (cmake/openssl_sources.cmake), compiled natively. See bench_main.hpp.
#include <openssl/opensslv.h>

#include <optional>

#include "bench_main.hpp"
#include "crypto/ecdsa.hpp"
#include "crypto/pkce.hpp"
#include "crypto/rsa_verify.hpp"
#include "crypto/sha2.hpp"

using namespace oauth;

class Impl {
 public:
  static constexpr const char* kName = "ours";
  static const char* version() { return OPENSSL_VERSION_TEXT; }  // the sources compiled in

  explicit Impl(const bench::Fixtures& f)
      : verifier_(f.at("verifier")), message_(f.at("message")), rs256_(f.at("rs256")), es256_(f.at("es256")) {
    auto rsa = RsaPublicKey::create(f.at("rsa_n"), f.at("rsa_e"));
    auto ec = EcPublicKey::create(EcCurve::p256, f.at("ec_x"), f.at("ec_y"));
    auto signer = EcPrivateKey::generate_p256();
    if (!rsa.ok() || !ec.ok() || !signer.ok()) bench::fail("the core refused a fixture key or made no key");
    rsa_.emplace(std::move(*rsa));
    ec_.emplace(std::move(*ec));
    signer_.emplace(std::move(*signer));
  }

  // Each operation does its job: the right challenge, the fixtures' signatures accepted and a
  // tampered message refused, our signatures verifying under our public key.
  void check(const bench::Fixtures& f) {
    auto challenge = pkce_challenge(verifier_);
    if (!challenge.ok() || *challenge != f.at("challenge")) bench::fail("pkce_challenge");
    if (!es256_verify()) bench::fail("the fixture ES256 signature was refused");
    if (!rs256_verify()) bench::fail("the fixture RS256 signature was refused");
    std::string tampered = message_;
    tampered[tampered.size() / 2] ^= 1;
    if (ec_->verify_digest(sha256(tampered), es256_).ok()) bench::fail("ES256 accepted a tampered message");
    if (rsa_->verify_pkcs1_v1_5(Sha2::sha256, tampered, rs256_).ok()) bench::fail("RS256 accepted a tampered message");
    auto a = signer_->sign_digest(sha256(message_));
    auto b = signer_->sign_digest(sha256(message_));
    if (!a.ok() || !b.ok() || *a == *b) bench::fail("two ES256 signatures are equal or missing");
    if (!signer_->public_key().verify_digest(sha256(message_), *a).ok()) bench::fail("our ES256 signature does not verify");
  }

  // PKCE S256 (RFC 7636 §4.2): the verifier's check, SHA-256, base64url.
  bool pkce_s256() { return pkce_challenge(verifier_).ok(); }
  // ES256 / RS256 verification of a JWS signing input (RFC 7518 §3.4, §3.3), hashing included.
  bool es256_verify() { return ec_->verify_digest(sha256(message_), es256_).ok(); }
  bool rs256_verify() { return rsa_->verify_pkcs1_v1_5(Sha2::sha256, message_, rs256_).ok(); }
  // ES256 signing as DPoP proofs are signed (src/protocol/dpop_proof.cpp): SHA-256, raw r||s.
  bool es256_sign() {
    auto s = signer_->sign_digest(sha256(message_));
    return s.ok() && s->size() == 64;
  }

 private:
  std::string verifier_, message_, rs256_, es256_;
  std::optional<RsaPublicKey> rsa_;
  std::optional<EcPublicKey> ec_;
  std::optional<EcPrivateKey> signer_;
};

int main(int argc, char** argv) { return bench::main<Impl>(argc, argv); }
