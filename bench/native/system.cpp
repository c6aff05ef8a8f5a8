// Native crypto bench, the system's side: the same operations through the system libcrypto
// (Debian's libssl-dev), as an application using OpenSSL 3 does them: EVP with the digest fetched
// once, keys imported once, JOSE's raw r||s converted to and from DER. Its own binary: its
// symbols are the same as those of the OpenSSL files in our core. See bench_main.hpp.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>

#include "bench_main.hpp"

namespace {

EVP_PKEY* from_params(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0) key = nullptr;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

class Impl {
 public:
  static constexpr const char* kName = "system";
  static const char* version() { return OpenSSL_version(OPENSSL_VERSION); }  // the library loaded

  explicit Impl(const bench::Fixtures& f)
      : verifier_(f.at("verifier")), message_(f.at("message")), rs256_(f.at("rs256")), es256_(f.at("es256")) {
    sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    BIGNUM* n = BN_bin2bn(bytes(f.at("rsa_n")), static_cast<int>(f.at("rsa_n").size()), nullptr);
    BIGNUM* e = BN_bin2bn(bytes(f.at("rsa_e")), static_cast<int>(f.at("rsa_e").size()), nullptr);
    OSSL_PARAM_BLD* rsa = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(rsa, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(rsa, OSSL_PKEY_PARAM_RSA_E, e);
    rsa_ = from_params("RSA", rsa, EVP_PKEY_PUBLIC_KEY);
    BN_free(n);
    BN_free(e);
    const std::string point = "\x04" + f.at("ec_x") + f.at("ec_y");  // SEC 1 §2.3.3, uncompressed
    OSSL_PARAM_BLD* ec = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(ec, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    OSSL_PARAM_BLD_push_octet_string(ec, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    ec_ = from_params("EC", ec, EVP_PKEY_PUBLIC_KEY);
    signer_ = EVP_EC_gen("P-256");
    md_ = EVP_MD_CTX_new();
    if (!sha256_ || !rsa_ || !ec_ || !signer_ || !md_) bench::fail("libcrypto refused a fixture key or made no key");
  }
  ~Impl() {
    EVP_MD_CTX_free(md_);
    EVP_PKEY_free(signer_);
    EVP_PKEY_free(ec_);
    EVP_PKEY_free(rsa_);
    EVP_MD_free(sha256_);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void check(const bench::Fixtures& f) {
    if (challenge() != f.at("challenge")) bench::fail("the S256 challenge");
    if (!es256_verify()) bench::fail("the fixture ES256 signature was refused");
    if (!rs256_verify()) bench::fail("the fixture RS256 signature was refused");
    std::string tampered = message_;
    tampered[tampered.size() / 2] ^= 1;
    if (verify_raw(ec_, tampered, es256_)) bench::fail("ES256 accepted a tampered message");
    if (verify(rsa_, tampered, rs256_)) bench::fail("RS256 accepted a tampered message");
    const std::string a = sign_raw(), b = sign_raw();
    if (a.size() != 64 || b.size() != 64 || a == b) bench::fail("two ES256 signatures are equal or missing");
    if (!verify_raw(signer_, message_, a)) bench::fail("the ES256 signature does not verify");
  }

  // The same job as the core's pkce_challenge: the verifier's check (RFC 7636 §4.1), SHA-256,
  // base64url without padding (libcrypto's base64, then the URL-safe alphabet).
  bool pkce_s256() { return challenge().size() == 43; }
  bool es256_verify() { return verify_raw(ec_, message_, es256_); }
  bool rs256_verify() { return verify(rsa_, message_, rs256_); }
  bool es256_sign() { return sign_raw().size() == 64; }

 private:
  std::string challenge() {
    if (verifier_.size() < 43 || verifier_.size() > 128) return {};
    for (char c : verifier_) {
      const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '.' || c == '_' || c == '~';
      if (!unreserved) return {};
    }
    unsigned char digest[32];
    unsigned int size = 0;
    if (!EVP_Digest(verifier_.data(), verifier_.size(), digest, &size, sha256_, nullptr)) return {};
    char text[48];
    int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text), digest, static_cast<int>(size));
    while (length > 0 && text[length - 1] == '=') --length;
    for (int i = 0; i < length; ++i) text[i] = text[i] == '+' ? '-' : text[i] == '/' ? '_' : text[i];
    return std::string(text, length);
  }

  bool verify(EVP_PKEY* key, const std::string& message, const std::string& signature) {
    EVP_MD_CTX_reset(md_);
    return EVP_DigestVerifyInit(md_, nullptr, sha256_, nullptr, key) == 1 &&
           EVP_DigestVerify(md_, bytes(signature), signature.size(), bytes(message), message.size()) == 1;
  }

  // JOSE's r||s (RFC 7518 §3.4) → DER, then verify.
  bool verify_raw(EVP_PKEY* key, const std::string& message, const std::string& raw) {
    if (raw.size() != 64) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(bytes(raw), 32, nullptr), BN_bin2bn(bytes(raw) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int der_size = i2d_ECDSA_SIG(sig, &der);
    const bool ok = der_size > 0 && verify(key, message, std::string(reinterpret_cast<char*>(der), der_size));
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return ok;
  }

  // Sign, then DER → r||s.
  std::string sign_raw() {
    unsigned char der[80];
    std::size_t der_size = sizeof der;
    EVP_MD_CTX_reset(md_);
    if (EVP_DigestSignInit(md_, nullptr, sha256_, nullptr, signer_) != 1 ||
        EVP_DigestSign(md_, der, &der_size, bytes(message_), message_.size()) != 1)
      return {};
    const unsigned char* p = der;
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_size));
    if (!sig) return {};
    unsigned char raw[64];
    const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32) == 32 && BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32) == 32;
    ECDSA_SIG_free(sig);
    return ok ? std::string(reinterpret_cast<char*>(raw), 64) : std::string();
  }

  std::string verifier_, message_, rs256_, es256_;
  EVP_MD* sha256_ = nullptr;
  EVP_PKEY* rsa_ = nullptr;
  EVP_PKEY* ec_ = nullptr;
  EVP_PKEY* signer_ = nullptr;
  EVP_MD_CTX* md_ = nullptr;
};

int main(int argc, char** argv) { return bench::main<Impl>(argc, argv); }
