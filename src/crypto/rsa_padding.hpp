// The encoded-message side of RSA signature verification: EMSA-PKCS1-v1_5 (RFC 8017 §9.2)
// and EMSA-PSS (RFC 8017 §9.1) with MGF1 (RFC 8017 §B.2.1). Pure byte logic on the output
// of the public operation (rsa_verify.cpp), written by us and tested with mutated encodings.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/sha2.hpp"

namespace oauth {

// The DER DigestInfo prefix for `hash` (RFC 8017 §9.2 note 1), NULL parameters included.
std::string_view digest_info_prefix(Sha2 hash);

// EM = 0x00 || 0x01 || PS || 0x00 || DigestInfo(Hash(message)), PS = 0xFF repeated to fill
// em_len octets, at least 8 of them (RFC 8017 §9.2 steps 1-5).
Result<std::string> emsa_pkcs1_v1_5_encode(Sha2 hash, std::string_view message, std::size_t em_len);

// RFC 8017 §8.2.2 steps 3-4: `em` must equal the encoding computed here, compared in full and
// in constant time (no parsing of the signer's padding, so no parser to fool).
Status check_emsa_pkcs1_v1_5(std::string_view em, Sha2 hash, std::string_view message);

// MGF1 with `hash` (RFC 8017 §B.2.1): mask_len octets from `seed`.
std::string mgf1(Sha2 hash, std::string_view seed, std::size_t mask_len);

// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with MGF1(hash) and the given salt; em_bits = modBits - 1.
// Used by the tests to build encodings they then mutate.
Result<std::string> emsa_pss_encode(Sha2 hash, std::string_view message, std::size_t em_bits,
                                    std::string_view salt);

// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 of the same hash and a salt exactly as long as
// the hash (RFC 7518 §3.5); em_bits = modBits - 1 and em has ceil(em_bits / 8) octets.
Status check_emsa_pss(std::string_view em, std::size_t em_bits, Sha2 hash, std::string_view message);

}  // namespace oauth
