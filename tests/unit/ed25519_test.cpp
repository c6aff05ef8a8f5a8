// Ed25519 verification (RFC 8032) through OpenSSL's ossl_ed25519_verify.
#include "crypto/ed25519.hpp"

#include "core/error_codes.hpp"
#include "support.hpp"
#include "vectors/crypto_helpers.hpp"

using namespace oauth;
using oauth::test::b64u;
using oauth::test::flip_bit;
using oauth::test::hex_decode;

namespace {

// RFC 8032 §7.1 TEST 1 (empty message) and TEST 2 (one octet).
const std::string kTest1Key = hex_decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const std::string kTest1Sig = hex_decode(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
const std::string kTest2Key = hex_decode("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
const std::string kTest2Sig = hex_decode(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

// L = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 8032 §5.1).
const std::string kOrderL = hex_decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

Ed25519PublicKey key_of(const std::string& bytes) {
  auto key = Ed25519PublicKey::create(bytes);
  REQUIRE_OK(key);
  return *key;
}

// S + L in little-endian: the same point equation holds, but S is no longer canonical.
std::string add_order_to_s(std::string sig) {
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned sum = static_cast<unsigned char>(sig[32 + i]) + static_cast<unsigned char>(kOrderL[i]) + carry;
    sig[32 + i] = static_cast<char>(sum & 0xFF);
    carry = sum >> 8;
  }
  return sig;
}

}  // namespace

TEST_CASE("Ed25519 verifies RFC 8032 section 7.1 TEST 1 and TEST 2", "[ed25519][rfc8032]") {
  REQUIRE_OK(key_of(kTest1Key).verify("", kTest1Sig));
  REQUIRE_OK(key_of(kTest2Key).verify(hex_decode("72"), kTest2Sig));
  REQUIRE_ERROR(key_of(kTest1Key).verify("", kTest2Sig), codes::invalid_signature);
  REQUIRE_ERROR(key_of(kTest2Key).verify(hex_decode("72"), kTest1Sig), codes::invalid_signature);
}

TEST_CASE("Ed25519 verifies the RFC 8037 Appendix A.4 signing input", "[ed25519][rfc8037]") {
  const Ed25519PublicKey key = key_of(b64u("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"));
  CHECK(key.bytes() == kTest1Key);
  REQUIRE_OK(key.verify("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc",
                        b64u("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")));
}

TEST_CASE("a flipped bit in the Ed25519 message, signature or key is refused", "[ed25519][rfc8032]") {
  const std::string message = hex_decode("72");
  REQUIRE_ERROR(key_of(kTest2Key).verify(flip_bit(message, 0), kTest2Sig), codes::invalid_signature);
  for (std::size_t byte : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
    INFO("signature byte " << byte);
    REQUIRE_ERROR(key_of(kTest2Key).verify(message, flip_bit(kTest2Sig, byte, 1)), codes::invalid_signature);
  }
  REQUIRE_ERROR(key_of(flip_bit(kTest2Key, 5)).verify(message, kTest2Sig), codes::invalid_signature);
}

TEST_CASE("an Ed25519 signature with S >= L (non-canonical) is refused", "[ed25519][rfc8032]") {
  // RFC 8032 §5.1.7 step 1: "If any of the decodings fail (including S being out of range)".
  const std::string malleated = add_order_to_s(kTest1Sig);
  REQUIRE(malleated != kTest1Sig);
  REQUIRE_ERROR(key_of(kTest1Key).verify("", malleated), codes::invalid_signature);
  std::string s_is_l = kTest1Sig.substr(0, 32) + kOrderL;
  REQUIRE_ERROR(key_of(kTest1Key).verify("", s_is_l), codes::invalid_signature);
  std::string s_max = kTest1Sig.substr(0, 32) + std::string(32, '\xff');
  REQUIRE_ERROR(key_of(kTest1Key).verify("", s_max), codes::invalid_signature);
}

TEST_CASE("Ed25519 keys are 32 octets and signatures 64", "[ed25519][rfc8032]") {
  REQUIRE_ERROR(Ed25519PublicKey::create(kTest1Key.substr(1)), codes::invalid_key);
  REQUIRE_ERROR(Ed25519PublicKey::create(kTest1Key + '\0'), codes::invalid_key);
  REQUIRE_ERROR(Ed25519PublicKey::create(""), codes::invalid_key);
  REQUIRE_ERROR(key_of(kTest1Key).verify("", kTest1Sig.substr(0, 63)), codes::invalid_signature);
  REQUIRE_ERROR(key_of(kTest1Key).verify("", kTest1Sig + '\0'), codes::invalid_signature);
}
