#include "crypto/openssl_internal.hpp"  // first: deprecated-API switch, EC_KEY layout
#include "crypto/ecdsa.hpp"

#include "core/error_codes.hpp"

namespace oauth {
namespace {

constexpr std::size_t kMinDigestSize = 32;  // SHA-256
constexpr std::size_t kMaxDigestSize = 64;  // SHA-512

Error key_error(const char* what) { return Error::remote(codes::invalid_key, what); }
Error signature_error(const char* what) { return Error::remote(codes::invalid_signature, what); }
Error internal_error(const char* what) { return Error::local(codes::crypto_failure, what); }

// SEC 1 §3.2.2.1 step 2: each coordinate is an element of GF(p), i.e. below p.
bool coordinate_is_field_element(const BIGNUM* v, const EC_GROUP* group) {
  return !BN_is_negative(v) && BN_ucmp(v, EC_GROUP_get0_field(group)) < 0;
}

// SEC 1 §4.1.4 step 1: r and s are integers in [1, n-1]; so is a private key d (§3.2.1).
bool scalar_in_signature_range(const BIGNUM* v, const EC_GROUP* group) {
  return !BN_is_zero(v) && !BN_is_negative(v) && BN_ucmp(v, EC_GROUP_get0_order(group)) < 0;
}

Status check_digest_size(std::string_view digest) {
  if (digest.size() < kMinDigestSize || digest.size() > kMaxDigestSize)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("an ECDSA digest must be a SHA-2 digest (32 to 64 octets)"));
  return Ok{};
}

// An EC_KEY view of our objects for OpenSSL's internal ECDSA functions (no EC_KEY_METHOD,
// no library context: the functions we call read only group, pub_key, priv_key and flags).
EC_KEY key_view(const EC_GROUP* group, const EC_POINT* point, const BIGNUM* scalar) {
  EC_KEY key{};
  key.group = const_cast<EC_GROUP*>(group);
  key.pub_key = const_cast<EC_POINT*>(point);
  key.priv_key = const_cast<BIGNUM*>(scalar);
  return key;
}

Result<EcdsaSigPtr> signature_from_raw(std::string_view raw, std::size_t size, const EC_GROUP* group) {
  // RFC 7518 §3.4: R and S as fixed-size octet strings, concatenated; a DER SEQUENCE is refused.
  if (raw.size() != 2 * size)
    return signature_error(OAUTH_TEXT("an ECDSA signature must be r||s of exactly twice the coordinate size"));
  BignumPtr r = bignum_from_bytes(raw.substr(0, size));
  BignumPtr s = bignum_from_bytes(raw.substr(size));
  if (!r || !s) return internal_error(OAUTH_TEXT("could not read the ECDSA signature"));
  if (!scalar_in_signature_range(r.get(), group) || !scalar_in_signature_range(s.get(), group))
    return signature_error(OAUTH_TEXT("ECDSA r and s must lie in [1, n-1]"));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return internal_error(OAUTH_TEXT("could not build the ECDSA signature"));
  r.release();  // owned by sig now
  s.release();
  return sig;
}

std::string signature_to_raw(const ECDSA_SIG* sig, std::size_t size) {
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string rs = bignum_to_bytes(r, size);
  std::string ss = bignum_to_bytes(s, size);
  if (rs.size() != size || ss.size() != size) return {};
  return rs + ss;
}

}  // namespace

Result<EcPublicKey> EcPublicKey::create(EcCurve curve, std::string_view x, std::string_view y) {
  const std::size_t size = ec_coordinate_size(curve);
  if (x.size() != size || y.size() != size)  // RFC 7518 §6.2.1.2-3: full coordinate length
    return key_error(OAUTH_TEXT("EC coordinates must have exactly the curve's coordinate length"));
  const EC_GROUP* group = ec_group(curve);
  if (group == nullptr) return internal_error(OAUTH_TEXT("could not build the EC group"));
  BignumPtr bx = bignum_from_bytes(x), by = bignum_from_bytes(y);
  BnCtxPtr ctx(BN_CTX_new());
  auto state = std::make_shared<State>();
  state->point.reset(EC_POINT_new(group));
  if (!bx || !by || !ctx || !state->point) return internal_error(OAUTH_TEXT("could not allocate an EC point"));
  if (!coordinate_is_field_element(bx.get(), group) || !coordinate_is_field_element(by.get(), group))
    return key_error(OAUTH_TEXT("an EC coordinate is not smaller than the field prime"));
  // SEC 1 §3.2.2.1 step 3 (on the curve); OpenSSL 3 also refuses off-curve points when setting.
  if (EC_POINT_set_affine_coordinates(group, state->point.get(), bx.get(), by.get(), ctx.get()) != 1 ||
      EC_POINT_is_on_curve(group, state->point.get(), ctx.get()) != 1)
    return key_error(OAUTH_TEXT("the EC public point is not on the curve"));
  if (EC_POINT_is_at_infinity(group, state->point.get()))  // SEC 1 §3.2.2.1 step 1
    return key_error(OAUTH_TEXT("the EC public point is the point at infinity"));
  state->curve = curve;
  state->x = std::string(x);
  state->y = std::string(y);
  return EcPublicKey(std::move(state));
}

Status EcPublicKey::verify_digest(std::string_view digest, std::string_view signature) const {
  OAUTH_TRY(check_digest_size(digest));
  const EC_GROUP* group = ec_group(state_->curve);
  if (group == nullptr) return internal_error(OAUTH_TEXT("could not build the EC group"));
  OAUTH_ASSIGN_OR_RETURN(auto&& sig, signature_from_raw(signature, ec_coordinate_size(state_->curve), group));
  EC_KEY key = key_view(group, point(), nullptr);
  const int verified = ossl_ecdsa_simple_verify_sig(reinterpret_cast<const unsigned char*>(digest.data()),
                                                    static_cast<int>(digest.size()), sig.get(), &key);
  if (verified == 1) return Ok{};
  if (verified == 0) return signature_error(OAUTH_TEXT("the ECDSA signature does not verify"));
  return internal_error(OAUTH_TEXT("ECDSA verification failed internally"));
}

Result<EcPrivateKey> EcPrivateKey::generate_p256() {
  const EC_GROUP* group = ec_group(EcCurve::p256);
  if (group == nullptr) return internal_error(OAUTH_TEXT("could not build the EC group"));
  EC_KEY key = key_view(group, nullptr, nullptr);
  const int generated = ossl_ec_key_simple_generate_key(&key);
  SecretBignumPtr scalar(key.priv_key);  // owned (and wiped) by us from here on
  EcPointPtr point(key.pub_key);
  if (generated != 1 || !scalar || !point)
    return internal_error(OAUTH_TEXT("EC key generation failed (random source or memory)"));
  BignumPtr x(BN_new()), y(BN_new());
  BnCtxPtr ctx(BN_CTX_new());
  if (!x || !y || !ctx || EC_POINT_get_affine_coordinates(group, point.get(), x.get(), y.get(), ctx.get()) != 1)
    return internal_error(OAUTH_TEXT("could not read the generated EC public point"));
  const std::size_t size = ec_coordinate_size(EcCurve::p256);
  OAUTH_ASSIGN_OR_RETURN(auto&& public_key, EcPublicKey::create(EcCurve::p256, bignum_to_bytes(x.get(), size),
                                                                bignum_to_bytes(y.get(), size)));
  return EcPrivateKey(std::move(scalar), std::move(public_key));
}

Result<EcPrivateKey> EcPrivateKey::from_p256_scalar(std::string_view d) {
  const std::size_t size = ec_coordinate_size(EcCurve::p256);
  // A key from the caller's own keeping: a bad one is the caller's fault (local), not a server's.
  auto bad = [](const char* what) { return Error::local(codes::invalid_key, what); };
  if (d.size() != size) return bad(OAUTH_TEXT("an EC private key must have exactly the curve's scalar length"));
  const EC_GROUP* group = ec_group(EcCurve::p256);
  if (group == nullptr) return internal_error(OAUTH_TEXT("could not build the EC group"));
  SecretBignumPtr scalar(bignum_from_bytes(d).release());
  BnCtxPtr ctx(BN_CTX_new());
  EcPointPtr point(EC_POINT_new(group));
  if (!scalar || !ctx || !point) return internal_error(OAUTH_TEXT("could not allocate an EC key"));
  if (!scalar_in_signature_range(scalar.get(), group)) return bad(OAUTH_TEXT("an EC private key must lie in [1, n-1]"));
  BignumPtr x(BN_new()), y(BN_new());
  if (!x || !y || EC_POINT_mul(group, point.get(), scalar.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_get_affine_coordinates(group, point.get(), x.get(), y.get(), ctx.get()) != 1)
    return internal_error(OAUTH_TEXT("could not compute the EC public point"));
  OAUTH_ASSIGN_OR_RETURN(auto&& public_key,
                         EcPublicKey::create(EcCurve::p256, bignum_to_bytes(x.get(), size), bignum_to_bytes(y.get(), size)));
  return EcPrivateKey(std::move(scalar), std::move(public_key));
}

Secret EcPrivateKey::scalar_bytes() const {
  if (!scalar_) return Secret();
  return Secret(bignum_to_bytes(scalar_.get(), ec_coordinate_size(public_key_.curve())));
}

Result<std::string> EcPrivateKey::sign_digest(std::string_view digest) const {
  if (!scalar_) return Error::local(codes::invalid_argument, OAUTH_TEXT("this EC private key was moved from"));
  OAUTH_TRY(check_digest_size(digest));
  const EcCurve curve = public_key_.curve();
  const EC_GROUP* group = ec_group(curve);
  if (group == nullptr) return internal_error(OAUTH_TEXT("could not build the EC group"));
  EC_KEY key = key_view(group, public_key_.point(), scalar_.get());
  EcdsaSigPtr sig(ossl_ecdsa_simple_sign_sig(reinterpret_cast<const unsigned char*>(digest.data()),
                                             static_cast<int>(digest.size()), nullptr, nullptr, &key));
  if (!sig) return internal_error(OAUTH_TEXT("ECDSA signing failed (random source or memory)"));
  std::string raw = signature_to_raw(sig.get(), ec_coordinate_size(curve));
  if (raw.empty()) return internal_error(OAUTH_TEXT("could not encode the ECDSA signature"));
  return raw;
}

}  // namespace oauth
