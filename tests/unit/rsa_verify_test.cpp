// RSA signature verification: known answers (RFC 7515 A.2, Node's crypto) and wide negative
// tests of our own padding code, made by signing mutated encoded messages with a test key.
#include "crypto/rsa_verify.hpp"

#include <functional>

#include "core/error_codes.hpp"
#include "crypto/rsa_padding.hpp"
#include "crypto/sha2.hpp"
#include "support.hpp"
#include "vectors/crypto_helpers.hpp"
#include "vectors/node_vectors.hpp"

using namespace oauth;
using oauth::test::b64u;
using oauth::test::flip_bit;
using oauth::test::hex_decode;
using oauth::test::raw_rsa_sign;
namespace node = oauth::test::node;

namespace {

// RFC 7515 Appendix A.2: the RS256 example's key, signing input and signature.
constexpr const char* kA2N =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pC"
    "gNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg"
    "665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FR"
    "WyuXpoQ";
constexpr const char* kA2SigningInput =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr const char* kA2Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1"
    "dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzD"
    "wusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe7"
    "7Rw";

RsaPublicKey key_2048() {
  auto key = RsaPublicKey::create(b64u(node::kRsa2048N), b64u(node::kRsa2048E));
  REQUIRE_OK(key);
  return *key;
}

RsaPublicKey key_2049() {
  auto key = RsaPublicKey::create(b64u(node::kRsa2049N), b64u(node::kRsa2049E));
  REQUIRE_OK(key);
  return *key;
}

std::string sign_em_2048(const std::string& em) { return raw_rsa_sign(node::kRsa2048N, node::kRsa2048D, em); }

std::string valid_pkcs1_em(Sha2 hash = Sha2::sha256) {
  auto em = emsa_pkcs1_v1_5_encode(hash, node::kMessage, 256);
  REQUIRE_OK(em);
  return *em;
}

// EM = 0x00 0x01 FF.. 0x00 || tail, with PS filling up to 256 octets (or `ff_count` FFs and
// `filler` right after the separator when the test wants a short padding).
std::string pkcs1_em_with_tail(const std::string& tail) {
  std::string em("\x00\x01", 2);
  em.append(256 - 3 - tail.size(), '\xff');
  em += '\x00';
  return em + tail;
}

std::string sha256_digest_info() {
  return std::string(digest_info_prefix(Sha2::sha256)) + sha256(node::kMessage);
}

}  // namespace

TEST_CASE("RS256 verifies the RFC 7515 Appendix A.2 example", "[rsa][rfc7515][rfc8017]") {
  auto key = RsaPublicKey::create(b64u(kA2N), b64u("AQAB"));
  REQUIRE_OK(key);
  CHECK(key->modulus_bits() == 2048);
  REQUIRE_OK(key->verify_pkcs1_v1_5(Sha2::sha256, kA2SigningInput, b64u(kA2Signature)));
  REQUIRE_ERROR(key->verify_pkcs1_v1_5(Sha2::sha256, std::string(kA2SigningInput) + ".", b64u(kA2Signature)),
                codes::invalid_signature);
}

TEST_CASE("RS256, RS384 and RS512 made by Node verify with their own hash only", "[rsa][rfc7518][rfc8017]") {
  const RsaPublicKey key = key_2048();
  REQUIRE_OK(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Rs256)));
  REQUIRE_OK(key.verify_pkcs1_v1_5(Sha2::sha384, node::kMessage, hex_decode(node::kRsa2048Rs384)));
  REQUIRE_OK(key.verify_pkcs1_v1_5(Sha2::sha512, node::kMessage, hex_decode(node::kRsa2048Rs512)));
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha384, node::kMessage, hex_decode(node::kRsa2048Rs256)),
                codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Rs512)),
                codes::invalid_signature);
}

TEST_CASE("PS256, PS384 and PS512 made by Node verify with salt length = hash length", "[rsa][pss][rfc7518][rfc8017]") {
  const RsaPublicKey key = key_2048();
  REQUIRE_OK(key.verify_pss(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Ps256)));
  REQUIRE_OK(key.verify_pss(Sha2::sha384, node::kMessage, hex_decode(node::kRsa2048Ps384)));
  REQUIRE_OK(key.verify_pss(Sha2::sha512, node::kMessage, hex_decode(node::kRsa2048Ps512)));
  REQUIRE_ERROR(key.verify_pss(Sha2::sha512, node::kMessage, hex_decode(node::kRsa2048Ps256)), codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pss(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Ps384)), codes::invalid_signature);
}

TEST_CASE("PSS and PKCS#1 v1.5 signatures are not interchangeable", "[rsa][pss][rfc8017]") {
  const RsaPublicKey key = key_2048();
  REQUIRE_ERROR(key.verify_pss(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Rs256)), codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Ps256)),
                codes::invalid_signature);
}

TEST_CASE("PSS with a 2049-bit modulus uses an encoded message one octet shorter than k", "[rsa][pss][rfc8017]") {
  const RsaPublicKey key = key_2049();
  CHECK(key.modulus_bits() == 2049);
  CHECK(key.modulus_size() == 257);
  REQUIRE_OK(key.verify_pss(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2049Ps256)));

  // The same encoded message with a non-zero octet in front (RFC 8017 §8.1.2 step 2c).
  auto em = emsa_pss_encode(Sha2::sha256, node::kMessage, 2048, std::string(32, 's'));
  REQUIRE_OK(em);
  const std::string good = raw_rsa_sign(node::kRsa2049N, node::kRsa2049D, std::string(1, '\0') + *em);
  REQUIRE_OK(key.verify_pss(Sha2::sha256, node::kMessage, good));
  const std::string bad = raw_rsa_sign(node::kRsa2049N, node::kRsa2049D, std::string(1, '\x01') + *em);
  REQUIRE_ERROR(key.verify_pss(Sha2::sha256, node::kMessage, bad), codes::invalid_signature);
}

TEST_CASE("an RSA key must have a modulus of 2048 to 16384 odd bits and an odd exponent between 1 and n",
          "[rsa][rfc7518][rfc8017]") {
  const std::string n = b64u(node::kRsa2048N);
  SECTION("a 1024-bit modulus is refused even with a valid signature") {
    REQUIRE_ERROR(RsaPublicKey::create(b64u(node::kRsa1024N), b64u(node::kRsa1024E)), codes::invalid_key);
  }
  SECTION("2047 bits is refused") {
    std::string short_n = n;
    short_n[0] = static_cast<char>((static_cast<unsigned char>(short_n[0]) & 0x7f) | 0x40);
    REQUIRE_ERROR(RsaPublicKey::create(short_n, "\x01\x00\x01"), codes::invalid_key);
  }
  SECTION("more than 16384 bits is refused") {
    std::string huge(2049, '\xff');
    huge[0] = '\x01';
    REQUIRE_ERROR(RsaPublicKey::create(huge, "\x01\x00\x01"), codes::invalid_key);
  }
  SECTION("an even modulus is refused") {
    std::string even = n;
    even.back() = static_cast<char>(even.back() & ~1);
    REQUIRE_ERROR(RsaPublicKey::create(even, "\x01\x00\x01"), codes::invalid_key);
  }
  SECTION("exponents 0, 1, 2, 65536, n and n + 2 are refused") {
    for (std::string e : {std::string(), std::string("\x00", 1), std::string("\x01"), std::string("\x02"),
                          std::string("\x01\x00\x00", 3), n}) {
      INFO("exponent of " << e.size() << " octets");
      REQUIRE_ERROR(RsaPublicKey::create(n, e), codes::invalid_key);
    }
  }
  SECTION("exponent 3 and a modulus with a leading zero octet are accepted") {
    REQUIRE_OK(RsaPublicKey::create(n, "\x03"));
    auto padded = RsaPublicKey::create(std::string(1, '\0') + n, std::string("\x00\x01\x00\x01", 4));
    REQUIRE_OK(padded);
    CHECK(padded->modulus_size() == 256);
    REQUIRE_OK(padded->verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, hex_decode(node::kRsa2048Rs256)));
  }
}

TEST_CASE("an RSA public exponent longer than 64 bits is refused, as OpenSSL's own RSA code does", "[rsa][rfc8017]") {
  // A large odd e < n is valid in RFC 8017 §3.1 but costs a full-size exponentiation per
  // verification (seconds with a 16384-bit key): a JWKS could stall the worker with it.
  const std::string n = b64u(node::kRsa2048N);
  std::string half_n = n;
  half_n[0] = static_cast<char>(static_cast<unsigned char>(half_n[0]) >> 1);  // odd, < n, 2047 bits
  REQUIRE_ERROR(RsaPublicKey::create(n, half_n), codes::invalid_key);
  std::string two_to_64_plus_1(9, '\0');
  two_to_64_plus_1.front() = '\x01';
  two_to_64_plus_1.back() = '\x01';
  REQUIRE_ERROR(RsaPublicKey::create(n, two_to_64_plus_1), codes::invalid_key);
  REQUIRE_OK(RsaPublicKey::create(n, std::string(8, '\xff')));  // 2^64 - 1: 64 bits
}

TEST_CASE("the signature must have exactly k octets and be smaller than n", "[rsa][rfc8017]") {
  const RsaPublicKey key = key_2048();
  const std::string sig = hex_decode(node::kRsa2048Rs256);
  const std::string n = b64u(node::kRsa2048N);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, sig.substr(1)), codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, sig.substr(0, 255)), codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, std::string(1, '\0') + sig), codes::invalid_signature);
  REQUIRE_ERROR(key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, ""), codes::invalid_signature);
  // s = n, s = n + 1 and all-ones: RSAVP1 refuses representatives out of range (RFC 8017 §5.2.2).
  std::string n_plus_1 = n;
  n_plus_1.back() = static_cast<char>(n_plus_1.back() + 1);  // n is odd: no carry
  for (const std::string& s : {n, n_plus_1, std::string(256, '\xff')}) {
    auto r = key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, s);
    REQUIRE_ERROR(r, codes::invalid_signature);
    CHECK(r.error().description.find("not smaller than the modulus") != std::string::npos);
    REQUIRE_ERROR(key.verify_pss(Sha2::sha256, node::kMessage, s), codes::invalid_signature);
  }
}

TEST_CASE("a flipped bit in the message or the signature is refused", "[rsa][pss][rfc8017]") {
  const RsaPublicKey key = key_2048();
  const std::string message = node::kMessage;
  for (const char* hex : {node::kRsa2048Rs256, node::kRsa2048Ps256}) {
    const bool pss = hex == node::kRsa2048Ps256;
    auto verify = [&](const std::string& m, const std::string& s) {
      return pss ? key.verify_pss(Sha2::sha256, m, s) : key.verify_pkcs1_v1_5(Sha2::sha256, m, s);
    };
    const std::string sig = hex_decode(hex);
    REQUIRE_OK(verify(message, sig));
    for (std::size_t byte : {std::size_t{0}, message.size() / 2, message.size() - 1}) {
      INFO((pss ? "PSS" : "PKCS#1") << " message byte " << byte);
      REQUIRE_ERROR(verify(flip_bit(message, byte), sig), codes::invalid_signature);
    }
    for (std::size_t byte : {std::size_t{0}, std::size_t{1}, std::size_t{128}, std::size_t{255}}) {
      INFO((pss ? "PSS" : "PKCS#1") << " signature byte " << byte);
      REQUIRE_ERROR(verify(message, flip_bit(sig, byte, 3)), codes::invalid_signature);
    }
  }
}

// Wycheproof-style: each case builds an encoded message, signs it with the raw private key
// and checks that our PKCS#1 v1.5 verification refuses it (the first case is the control).
TEST_CASE("PKCS#1 v1.5 encoded messages that differ from the expected one are refused", "[rsa][rfc8017][wycheproof]") {
  const RsaPublicKey key = key_2048();
  const std::string digest = sha256(node::kMessage);
  const std::string prefix(digest_info_prefix(Sha2::sha256));
  struct Case {
    const char* id;
    std::function<std::string()> em;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"control: the correct encoding", [] { return valid_pkcs1_em(); }, true},
      {"wrong hash OID in DigestInfo (SHA-384 OID, SHA-256 digest)",
       [&] { std::string t = sha256_digest_info(); t[14] = '\x02'; return pkcs1_em_with_tail(t); }, false},
      {"DigestInfo and digest of SHA-512 when SHA-256 is expected",
       [&] { return pkcs1_em_with_tail(std::string(digest_info_prefix(Sha2::sha512)) + sha512(node::kMessage)); }, false},
      {"DigestInfo without the NULL parameters",
       [&] {
         return pkcs1_em_with_tail(std::string("\x30\x2f\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x04\x20", 17) + digest);
       }, false},
      {"truncated DigestInfo: digest one octet short",
       [&] { return pkcs1_em_with_tail(prefix + digest.substr(0, 31)); }, false},
      {"truncated DigestInfo: no digest at all", [&] { return pkcs1_em_with_tail(prefix); }, false},
      {"extra octet after the digest", [&] { return pkcs1_em_with_tail(sha256_digest_info() + "X"); }, false},
      {"extra garbage after the digest (Bleichenbacher 2006)",
       [&] { return pkcs1_em_with_tail(sha256_digest_info() + std::string(40, 'G')); }, false},
      {"DigestInfo outer length says 0x32",
       [&] { std::string t = sha256_digest_info(); t[1] = '\x32'; return pkcs1_em_with_tail(t); }, false},
      {"digest OCTET STRING length says 0x21",
       [&] { std::string t = sha256_digest_info(); t[18] = '\x21'; return pkcs1_em_with_tail(t); }, false},
      {"leading octet 0x01 instead of 0x00",
       [] { std::string em = valid_pkcs1_em(); em[0] = '\x01'; return em; }, false},
      {"block type 0x02 instead of 0x01",
       [] { std::string em = valid_pkcs1_em(); em[1] = '\x02'; return em; }, false},
      {"block type 0x00 instead of 0x01",
       [] { std::string em = valid_pkcs1_em(); em[1] = '\x00'; return em; }, false},
      {"short padding: 7 FF octets, garbage between separator and DigestInfo",
       [&] {
         std::string em("\x00\x01", 2);
         em.append(7, '\xff');
         em += '\x00';
         const std::string t = sha256_digest_info();
         em.append(256 - em.size() - t.size(), 'g');
         return em + t;
       }, false},
      {"short padding: no FF octets at all",
       [&] {
         std::string em("\x00\x01\x00", 3);
         const std::string t = sha256_digest_info();
         em.append(256 - em.size() - t.size(), '\x00');
         return em + t;
       }, false},
      {"PS holds a 0xFE octet", [] { std::string em = valid_pkcs1_em(); em[100] = '\xfe'; return em; }, false},
      {"PS holds an early 0x00 separator", [] { std::string em = valid_pkcs1_em(); em[50] = '\x00'; return em; }, false},
      {"last PS octet is 0x00 (separator one early, DigestInfo one octet longer)",
       [] { std::string em = valid_pkcs1_em(); em[256 - 53] = '\x00'; return em; }, false},
      {"separator 0x00 replaced by 0xFF",
       [] { std::string em = valid_pkcs1_em(); em[256 - 52] = '\xff'; return em; }, false},
      {"digest with one flipped bit", [] { return flip_bit(valid_pkcs1_em(), 255); }, false},
      {"encoded message of all zeros", [] { return std::string(256, '\0'); }, false},
      {"encoded message = 1", [] { return std::string(255, '\0') + '\x01'; }, false},
      {"encoded message = 0x0001 followed by all FF", [] { return std::string("\x00\x01", 2) + std::string(254, '\xff'); }, false},
  };
  for (const Case& c : cases) {
    INFO(c.id);
    const std::string em = c.em();
    REQUIRE(em.size() == 256);
    const Status direct = check_emsa_pkcs1_v1_5(em, Sha2::sha256, node::kMessage);
    const Status full = key.verify_pkcs1_v1_5(Sha2::sha256, node::kMessage, sign_em_2048(em));
    CHECK(direct.ok() == c.valid);
    CHECK(full.ok() == c.valid);
    if (!c.valid && !full.ok()) CHECK(full.error().code == std::string(codes::invalid_signature));
  }
}

TEST_CASE("the PKCS#1 v1.5 encoding has the RFC 8017 layout", "[rsa][rfc8017]") {
  const std::string em = valid_pkcs1_em(Sha2::sha384);
  CHECK(em.substr(0, 2) == std::string("\x00\x01", 2));
  CHECK(em.find_first_not_of('\xff', 2) == 256 - 48 - 19 - 1);
  CHECK(em.substr(256 - 48 - 19, 19) == digest_info_prefix(Sha2::sha384));
  CHECK(em.substr(256 - 48) == sha384(node::kMessage));
  // RFC 8017 §9.2 step 3: fewer than 11 + tLen octets cannot hold the encoding.
  REQUIRE_ERROR(emsa_pkcs1_v1_5_encode(Sha2::sha512, "m", 64 + 19 + 10), codes::invalid_argument);
  REQUIRE_OK(emsa_pkcs1_v1_5_encode(Sha2::sha512, "m", 64 + 19 + 11));
}

// Same style for PSS. With a 2048-bit modulus emBits = 2047, emLen = 256, and the data block
// DB = PS (190 zeros) || 0x01 || salt (32) sits under the mask in EM[0..223), H in EM[223..255).
// Flipping a bit of maskedDB flips the same bit of DB, so a case can aim at one DB field.
TEST_CASE("PSS encoded messages that break an RFC 8017 §9.1.2 rule are refused", "[rsa][pss][rfc8017][wycheproof]") {
  const RsaPublicKey key = key_2048();
  const std::string salt32(32, '\x5a');
  auto encode = [](std::size_t salt_len, Sha2 hash = Sha2::sha256) {
    auto em = emsa_pss_encode(hash, node::kMessage, 2047, std::string(salt_len, '\x5a'));
    REQUIRE_OK(em);
    return *em;
  };
  struct Case {
    const char* id;
    std::function<std::string()> em;
    const char* reason;  // a word of the expected error description; nullptr = valid
  };
  const std::vector<Case> cases = {
      {"control: salt of 32 octets", [&] { return encode(32); }, nullptr},
      {"salt of 0 octets", [&] { return encode(0); }, "padding or salt"},
      {"salt of 20 octets", [&] { return encode(20); }, "padding or salt"},
      {"salt of 31 octets", [&] { return encode(31); }, "padding or salt"},
      {"salt of 33 octets", [&] { return encode(33); }, "padding or salt"},
      {"salt of 64 octets", [&] { return encode(64); }, "padding or salt"},
      {"trailer 0xbd", [&] { std::string em = encode(32); em[255] = '\xbd'; return em; }, "0xbc"},
      {"trailer 0x00", [&] { std::string em = encode(32); em[255] = '\x00'; return em; }, "0xbc"},
      {"trailer 0xcc (the IEEE 1363 hash-id form)", [&] { std::string em = encode(32); em[255] = '\xcc'; return em; }, "0xbc"},
      {"top bit of maskedDB set", [&] { return flip_bit(encode(32), 0, 7); }, "above the modulus"},
      {"mask tampered in the zero padding", [&] { return flip_bit(encode(32), 10); }, "padding or salt"},
      {"mask tampered at the 0x01 separator", [&] { return flip_bit(encode(32), 190, 1); }, "padding or salt"},
      {"mask tampered so the separator reads 0x00", [&] { return flip_bit(encode(32), 190, 0); }, "padding or salt"},
      {"mask tampered in the salt", [&] { return flip_bit(encode(32), 200); }, "does not match"},
      {"H tampered", [&] { return flip_bit(encode(32), 230); }, "padding or salt"},
      {"encoded for SHA-384 (salt 32), checked as SHA-256", [&] { return encode(32, Sha2::sha384); }, "padding or salt"},
      {"all zeros", [] { return std::string(256, '\0'); }, "0xbc"},
      {"all zeros but the trailer", [] { return std::string(255, '\0') + '\xbc'; }, "padding or salt"},
  };
  for (const Case& c : cases) {
    INFO(c.id);
    const std::string em = c.em();
    REQUIRE(em.size() == 256);
    const Status direct = check_emsa_pss(em, 2047, Sha2::sha256, node::kMessage);
    const Status full = key.verify_pss(Sha2::sha256, node::kMessage, sign_em_2048(em));
    CHECK(direct.ok() == (c.reason == nullptr));
    CHECK(full.ok() == (c.reason == nullptr));
    if (c.reason != nullptr && !direct.ok()) CHECK(direct.error().description.find(c.reason) != std::string::npos);
    if (c.reason != nullptr && !full.ok()) CHECK(full.error().code == std::string(codes::invalid_signature));
  }
}

TEST_CASE("a PSS signature over a different message is refused", "[rsa][pss][rfc8017]") {
  const RsaPublicKey key = key_2048();
  auto em = emsa_pss_encode(Sha2::sha256, "another message", 2047, std::string(32, 'x'));
  REQUIRE_OK(em);
  const std::string sig = sign_em_2048(*em);
  REQUIRE_OK(key.verify_pss(Sha2::sha256, "another message", sig));
  REQUIRE_ERROR(key.verify_pss(Sha2::sha256, node::kMessage, sig), codes::invalid_signature);
}

TEST_CASE("MGF1 matches its definition for a multi-block mask", "[rsa][pss][rfc8017]") {
  const std::string mask = mgf1(Sha2::sha256, "seed", 80);
  REQUIRE(mask.size() == 80);
  CHECK(mask.substr(0, 32) == sha256(std::string("seed\0\0\0\0", 8)));
  CHECK(mask.substr(32, 32) == sha256(std::string("seed\0\0\0\x01", 8)));
  CHECK(mask.substr(64) == sha256(std::string("seed\0\0\0\x02", 8)).substr(0, 16));
}
