#include "crypto/rsa_padding.hpp"

#include <openssl/crypto.h>

#include <cstdint>

#include "core/error_codes.hpp"

namespace oauth {
namespace {

constexpr unsigned char kPssTrailer = 0xbc;             // RFC 8017 §9.1.1 step 12
constexpr std::size_t kPkcs1MinPaddingOctets = 8;       // RFC 8017 §9.2 step 3 ("at least 8")
constexpr std::size_t kPssZeroPrefixOctets = 8;         // RFC 8017 §9.1.1 step 5: M' starts with 8 zeros

Error bad_encoding(const char* what) { return Error::remote(codes::invalid_signature, what); }

unsigned char octet(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

std::string i2osp4(std::uint32_t value) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i, value >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xFF);
  return out;
}

std::string xor_bytes(std::string_view a, std::string_view b) {
  std::string out(a);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(octet(a, i) ^ octet(b, i));
  return out;
}

// 8 * emLen - emBits: the leftmost bits of EM that the modulus cannot carry.
unsigned unused_top_bits(std::size_t em_len, std::size_t em_bits) {
  return static_cast<unsigned>(8 * em_len - em_bits);
}

// H = Hash(0x00 x 8 || mHash || salt) (RFC 8017 §9.1.1 steps 5-6, §9.1.2 steps 12-13).
std::string pss_hash(Sha2 hash, std::string_view message_hash, std::string_view salt) {
  std::string m_prime(kPssZeroPrefixOctets, '\0');
  m_prime.append(message_hash.data(), message_hash.size());
  m_prime.append(salt.data(), salt.size());
  return digest(hash, m_prime);
}

// RFC 8017 §9.1.2 step 6: the bits above emBits must be zero in maskedDB.
bool pss_top_bits_are_zero(unsigned char first_octet, unsigned unused_bits) {
  const unsigned char allowed = static_cast<unsigned char>(0xFF >> unused_bits);
  return (first_octet & ~allowed & 0xFF) == 0;
}

// RFC 8017 §9.1.2 step 10: DB = PS (zeros) || 0x01 || salt.
bool pss_db_has_zero_padding_then_one(std::string_view db, std::size_t salt_len) {
  const std::size_t ps_len = db.size() - salt_len - 1;
  for (std::size_t i = 0; i < ps_len; ++i) {
    if (octet(db, i) != 0) return false;
  }
  return octet(db, ps_len) == 0x01;
}

}  // namespace

std::string_view digest_info_prefix(Sha2 hash) {
  // DER of DigestInfo { AlgorithmIdentifier { id-sha*, NULL }, OCTET STRING (hLen) }.
  static constexpr char kSha256[] = "\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20";
  static constexpr char kSha384[] = "\x30\x41\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x02\x05\x00\x04\x30";
  static constexpr char kSha512[] = "\x30\x51\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x03\x05\x00\x04\x40";
  switch (hash) {
    case Sha2::sha256: return {kSha256, sizeof(kSha256) - 1};
    case Sha2::sha384: return {kSha384, sizeof(kSha384) - 1};
    case Sha2::sha512: return {kSha512, sizeof(kSha512) - 1};
  }
  return {};
}

Result<std::string> emsa_pkcs1_v1_5_encode(Sha2 hash, std::string_view message, std::size_t em_len) {
  const std::string_view prefix = digest_info_prefix(hash);
  const std::size_t t_len = prefix.size() + digest_size(hash);
  // RFC 8017 §9.2 step 3: "intended encoded message length too short".
  if (em_len < t_len + 3 + kPkcs1MinPaddingOctets)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the RSA modulus is too short for this DigestInfo"));
  std::string em;
  em.reserve(em_len);
  em += '\x00';
  em += '\x01';
  em.append(em_len - t_len - 3, '\xff');
  em += '\x00';
  em.append(prefix.data(), prefix.size());
  em += digest(hash, message);
  return em;
}

Status check_emsa_pkcs1_v1_5(std::string_view em, Sha2 hash, std::string_view message) {
  auto expected = emsa_pkcs1_v1_5_encode(hash, message, em.size());
  if (!expected.ok()) return bad_encoding(OAUTH_TEXT("the RSA signature is too short for PKCS#1 v1.5"));
  // RFC 8017 §8.2.2 step 4: compare the whole encoded message, in constant time.
  if (CRYPTO_memcmp(em.data(), expected->data(), em.size()) != 0)
    return bad_encoding(OAUTH_TEXT("the RSA PKCS#1 v1.5 encoded message does not match the message"));
  return Ok{};
}

std::string mgf1(Sha2 hash, std::string_view seed, std::size_t mask_len) {
  std::string mask;
  mask.reserve(mask_len + digest_size(hash));
  std::string block(seed);
  for (std::uint32_t counter = 0; mask.size() < mask_len; ++counter) {
    block.resize(seed.size());
    block += i2osp4(counter);
    mask += digest(hash, block);
  }
  mask.resize(mask_len);
  return mask;
}

Result<std::string> emsa_pss_encode(Sha2 hash, std::string_view message, std::size_t em_bits,
                                    std::string_view salt) {
  const std::size_t h_len = digest_size(hash);
  const std::size_t em_len = (em_bits + 7) / 8;
  if (em_len < h_len + salt.size() + 2)  // RFC 8017 §9.1.1 step 3
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the RSA modulus is too short for this hash and salt"));
  const std::string h = pss_hash(hash, digest(hash, message), salt);
  std::string db(em_len - salt.size() - h_len - 2, '\0');  // PS
  db += '\x01';
  db.append(salt.data(), salt.size());
  std::string masked_db = xor_bytes(db, mgf1(hash, h, db.size()));
  masked_db[0] = static_cast<char>(octet(masked_db, 0) & (0xFF >> unused_top_bits(em_len, em_bits)));
  return masked_db + h + static_cast<char>(kPssTrailer);
}

Status check_emsa_pss(std::string_view em, std::size_t em_bits, Sha2 hash, std::string_view message) {
  const std::size_t h_len = digest_size(hash);
  const std::size_t salt_len = h_len;  // RFC 7518 §3.5: the salt is as long as the hash
  const std::size_t em_len = (em_bits + 7) / 8;
  if (em.size() != em_len) return bad_encoding(OAUTH_TEXT("the RSA-PSS encoded message has the wrong length"));
  if (em_len < h_len + salt_len + 2)  // RFC 8017 §9.1.2 step 3
    return bad_encoding(OAUTH_TEXT("the RSA-PSS encoded message is too short for the hash and salt"));
  if (octet(em, em_len - 1) != kPssTrailer)  // step 4
    return bad_encoding(OAUTH_TEXT("the RSA-PSS encoded message does not end in 0xbc"));
  const std::string_view masked_db = em.substr(0, em_len - h_len - 1);  // step 5
  const std::string_view h = em.substr(em_len - h_len - 1, h_len);
  const unsigned unused_bits = unused_top_bits(em_len, em_bits);
  if (!pss_top_bits_are_zero(octet(masked_db, 0), unused_bits))  // step 6
    return bad_encoding(OAUTH_TEXT("the RSA-PSS encoded message has bits set above the modulus size"));
  std::string db = xor_bytes(masked_db, mgf1(hash, h, masked_db.size()));  // steps 7-8
  db[0] = static_cast<char>(octet(db, 0) & (0xFF >> unused_bits));          // step 9
  if (!pss_db_has_zero_padding_then_one(db, salt_len))                      // step 10
    return bad_encoding(OAUTH_TEXT("the RSA-PSS data block has a wrong padding or salt length"));
  const std::string_view salt = std::string_view(db).substr(db.size() - salt_len);  // step 11
  const std::string h_prime = pss_hash(hash, digest(hash, message), salt);          // steps 12-13
  if (CRYPTO_memcmp(h.data(), h_prime.data(), h_len) != 0)                          // step 14
    return bad_encoding(OAUTH_TEXT("the RSA-PSS hash does not match the message"));
  return Ok{};
}

}  // namespace oauth
