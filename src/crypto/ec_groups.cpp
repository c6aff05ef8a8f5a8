#include "crypto/openssl_internal.hpp"  // first: deprecated-API switch
#include "crypto/ec_groups.hpp"

#include <array>
#include <cstddef>
#include <string_view>

#include "crypto/openssl_handles.hpp"

// src/crypto/ec_methods.c: OpenSSL's P-256 and Montgomery methods without the operations the core
// never reaches.
extern "C" const EC_METHOD* oauth_ec_nistp256_method(void);
extern "C" const EC_METHOD* oauth_ec_mont_method(void);

// Never defined: reaching it in a constant expression (a typo in the curve parameters below)
// fails the build.
int oauth_invalid_hex_digit();

namespace oauth {
namespace {

// A hex digit's value, at compile time.
constexpr int hex_digit(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : oauth_invalid_hex_digit();
}

// The big-endian bytes of a hex literal, decoded at compile time: the source keeps the standard's
// hex, the binary holds bytes and no parser.
template <std::size_t N>
constexpr std::array<unsigned char, (N - 1) / 2> hex(const char (&text)[N]) {
  static_assert(N % 2 == 1, "an even number of hex digits");
  std::array<unsigned char, (N - 1) / 2> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>(hex_digit(text[2 * i]) * 16 + hex_digit(text[2 * i + 1]));
  return bytes;
}

// Short Weierstrass y^2 = x^3 + ax + b over GF(p), base point G of prime order n, cofactor 1,
// each value `size` bytes.
template <std::size_t Size>
struct CurveParameters {
  std::array<unsigned char, Size> p, a, b, gx, gy, n;
};

// FIPS 186-4 §D.1.2.3 (P-256) and §D.1.2.4 (P-384); a = p - 3.
constexpr CurveParameters<32> kP256 = {
    hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    hex("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
    hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
    hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
    hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
    hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
};
constexpr CurveParameters<48> kP384 = {
    hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
    hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc"),
    hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
    hex("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
    hex("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
    hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
};

template <std::size_t Size>
BignumPtr bignum(const std::array<unsigned char, Size>& big_endian) {
  return bignum_from_bytes(std::string_view(reinterpret_cast<const char*>(big_endian.data()), Size));
}

template <std::size_t Size>
EC_GROUP* build_group(const EC_METHOD* method, const CurveParameters<Size>& c) {
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr p = bignum(c.p), a = bignum(c.a), b = bignum(c.b);
  BignumPtr gx = bignum(c.gx), gy = bignum(c.gy), n = bignum(c.n);
  if (!ctx || !p || !a || !b || !gx || !gy || !n) return nullptr;
  EcGroupPtr group(EC_GROUP_new(method));
  if (!group || EC_GROUP_set_curve(group.get(), p.get(), a.get(), b.get(), ctx.get()) != 1) return nullptr;
  EcPointPtr generator(EC_POINT_new(group.get()));
  if (!generator ||
      EC_POINT_set_affine_coordinates(group.get(), generator.get(), gx.get(), gy.get(), ctx.get()) != 1)
    return nullptr;
  if (EC_GROUP_set_generator(group.get(), generator.get(), n.get(), BN_value_one()) != 1) return nullptr;
  return group.release();
}

}  // namespace

std::size_t ec_coordinate_size(EcCurve curve) {
  switch (curve) {
    case EcCurve::p256: return 32;
    case EcCurve::p384: return 48;
  }
  return 0;
}

const EC_GROUP* ec_group(EcCurve curve) {
  switch (curve) {
    case EcCurve::p256: {
      static const EC_GROUP* group = build_group(oauth_ec_nistp256_method(), kP256);
      return group;
    }
    case EcCurve::p384: {
      static const EC_GROUP* group = build_group(oauth_ec_mont_method(), kP384);
      return group;
    }
  }
  return nullptr;
}

}  // namespace oauth
