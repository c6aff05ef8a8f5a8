#include "crypto/rsa_verify.hpp"

#include "core/error_codes.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/rsa_padding.hpp"

namespace oauth {

struct RsaPublicKey::State {
  BignumPtr n;
  BignumPtr e;
  BnMontCtxPtr mont;  // Montgomery context of n, built once
  int bits = 0;
  std::size_t size = 0;
};

namespace {

Error key_error(const char* what) { return Error::remote(codes::invalid_key, what); }
Error signature_error(const char* what) { return Error::remote(codes::invalid_signature, what); }
Error internal_error() { return Error::local(codes::crypto_failure, OAUTH_TEXT("an RSA bignum operation failed")); }

// RFC 7518 §3.3 (minimum) and our bound on the work per verification (maximum).
Status check_modulus_size(const BIGNUM* n) {
  const int bits = BN_num_bits(n);
  if (bits < kRsaMinModulusBits) return key_error(OAUTH_TEXT("the RSA modulus is shorter than 2048 bits"));
  if (bits > kRsaMaxModulusBits) return key_error(OAUTH_TEXT("the RSA modulus is longer than 16384 bits"));
  return Ok{};
}

// RFC 8017 §3.1: n is a product of odd primes, so it is odd (and Montgomery needs it odd).
Status check_modulus_is_odd(const BIGNUM* n) {
  if (!BN_is_odd(n)) return key_error(OAUTH_TEXT("the RSA modulus is even"));
  return Ok{};
}

// RFC 8017 §3.1: 3 <= e <= n - 1, and e is odd (coprime to the even lambda(n)); and, bounding the
// work per verification as OpenSSL does, at most kRsaMaxExponentBits long.
Status check_exponent(const BIGNUM* e, const BIGNUM* n) {
  if (!BN_is_odd(e) || BN_is_one(e)) return key_error(OAUTH_TEXT("the RSA public exponent must be odd and greater than 1"));
  if (BN_ucmp(e, n) >= 0) return key_error(OAUTH_TEXT("the RSA public exponent must be smaller than the modulus"));
  if (BN_num_bits(e) > kRsaMaxExponentBits) return key_error(OAUTH_TEXT("the RSA public exponent is longer than 64 bits"));
  return Ok{};
}

}  // namespace

Result<RsaPublicKey> RsaPublicKey::create(std::string_view modulus, std::string_view exponent) {
  auto state = std::make_shared<State>();
  state->n = bignum_from_bytes(modulus);
  state->e = bignum_from_bytes(exponent);
  if (!state->n || !state->e) return internal_error();
  OAUTH_TRY(check_modulus_size(state->n.get()));
  OAUTH_TRY(check_modulus_is_odd(state->n.get()));
  OAUTH_TRY(check_exponent(state->e.get(), state->n.get()));
  BnCtxPtr ctx(BN_CTX_new());
  state->mont.reset(BN_MONT_CTX_new());
  if (!ctx || !state->mont || BN_MONT_CTX_set(state->mont.get(), state->n.get(), ctx.get()) != 1)
    return internal_error();
  state->bits = BN_num_bits(state->n.get());
  state->size = static_cast<std::size_t>(BN_num_bytes(state->n.get()));
  return RsaPublicKey(std::move(state));
}

int RsaPublicKey::modulus_bits() const { return state_->bits; }
std::size_t RsaPublicKey::modulus_size() const { return state_->size; }

Result<std::string> RsaPublicKey::public_operation(std::string_view signature) const {
  // RFC 8017 §8.1.2 / §8.2.2 step 1: the signature has exactly k octets.
  if (signature.size() != state_->size) return signature_error(OAUTH_TEXT("the RSA signature length differs from the modulus length"));
  BignumPtr s = bignum_from_bytes(signature);
  BignumPtr m(BN_new());
  BnCtxPtr ctx(BN_CTX_new());
  if (!s || !m || !ctx) return internal_error();
  // RFC 8017 §5.2.2 step 1: the signature representative must lie in [0, n - 1].
  if (BN_ucmp(s.get(), state_->n.get()) >= 0) return signature_error(OAUTH_TEXT("the RSA signature is not smaller than the modulus"));
  // Public values only, so the variable-time exponentiation is fine.
  if (BN_mod_exp_mont(m.get(), s.get(), state_->e.get(), state_->n.get(), ctx.get(), state_->mont.get()) != 1)
    return internal_error();
  std::string em = bignum_to_bytes(m.get(), state_->size);
  if (em.size() != state_->size) return internal_error();
  return em;
}

Status RsaPublicKey::verify_pkcs1_v1_5(Sha2 hash, std::string_view message, std::string_view signature) const {
  OAUTH_ASSIGN_OR_RETURN(auto&& em, public_operation(signature));
  return check_emsa_pkcs1_v1_5(em, hash, message);
}

Status RsaPublicKey::verify_pss(Sha2 hash, std::string_view message, std::string_view signature) const {
  OAUTH_ASSIGN_OR_RETURN(auto&& m, public_operation(signature));
  // RFC 8017 §8.1.2 step 2c: EM = I2OSP(m, emLen) with emLen = ceil((modBits - 1) / 8), which is
  // k - 1 when modBits - 1 is a multiple of 8: then the leading octet must be zero.
  const std::size_t em_bits = static_cast<std::size_t>(state_->bits) - 1;
  const std::size_t em_len = (em_bits + 7) / 8;
  std::string_view em = m;
  if (em_len < em.size()) {
    if (em[0] != '\0') return signature_error(OAUTH_TEXT("the RSA-PSS message representative is too large"));
    em.remove_prefix(1);
  }
  return check_emsa_pss(em, em_bits, hash, message);
}

}  // namespace oauth
