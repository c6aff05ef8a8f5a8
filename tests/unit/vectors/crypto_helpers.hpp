// Helpers for the signature tests: base64url/hex literals, and the raw RSA private operation
// so a test can sign an encoded message it built (and mutated) itself, Wycheproof style.
#pragma once
#include <openssl/bn.h>

#include <string>
#include <string_view>

#include "crypto/base64url.hpp"
#include "../support.hpp"

namespace oauth::test {

inline std::string b64u(std::string_view text) {
  auto decoded = base64url_decode(text);
  REQUIRE(decoded.ok());
  return std::move(decoded).value();
}

// s = em^d mod n as k octets (RFC 8017 §5.2.1 RSASP1 without CRT): test keys only.
inline std::string raw_rsa_sign(std::string_view n_b64u, std::string_view d_b64u, std::string_view em) {
  const std::string n = b64u(n_b64u), d = b64u(d_b64u);
  auto bn = [](std::string_view bytes) {
    return BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr);
  };
  BIGNUM *bn_n = bn(n), *bn_d = bn(d), *bn_m = bn(em), *bn_s = BN_new();
  BN_CTX* ctx = BN_CTX_new();
  REQUIRE(BN_mod_exp(bn_s, bn_m, bn_d, bn_n, ctx) == 1);
  const int k = BN_num_bytes(bn_n);
  std::string out(static_cast<std::size_t>(k), '\0');
  REQUIRE(BN_bn2binpad(bn_s, reinterpret_cast<unsigned char*>(&out[0]), k) == k);
  BN_free(bn_n);
  BN_clear_free(bn_d);
  BN_free(bn_m);
  BN_free(bn_s);
  BN_CTX_free(ctx);
  return out;
}

inline std::string flip_bit(std::string s, std::size_t byte, int bit = 0) {
  s[byte] = static_cast<char>(s[byte] ^ (1 << bit));
  return s;
}

}  // namespace oauth::test
