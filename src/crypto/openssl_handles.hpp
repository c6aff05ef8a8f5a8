// Owning handles for the OpenSSL objects the signature code uses (Tink style: one deleter
// per type, so every object is freed on every path). Secrets use the clearing variants.
#pragma once
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <memory>
#include <string>
#include <string_view>

namespace oauth {

struct BignumFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BignumClearFree { void operator()(BIGNUM* p) const { BN_clear_free(p); } };
struct BnCtxFree { void operator()(BN_CTX* p) const { BN_CTX_free(p); } };
struct BnMontCtxFree { void operator()(BN_MONT_CTX* p) const { BN_MONT_CTX_free(p); } };
struct EcGroupFree { void operator()(EC_GROUP* p) const { EC_GROUP_free(p); } };
struct EcPointFree { void operator()(EC_POINT* p) const { EC_POINT_free(p); } };
struct EcdsaSigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };

using BignumPtr = std::unique_ptr<BIGNUM, BignumFree>;
using SecretBignumPtr = std::unique_ptr<BIGNUM, BignumClearFree>;  // wiped when freed
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;
using BnMontCtxPtr = std::unique_ptr<BN_MONT_CTX, BnMontCtxFree>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, EcGroupFree>;
using EcPointPtr = std::unique_ptr<EC_POINT, EcPointFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

// An unsigned big-endian octet string as a BIGNUM; null on allocation failure or an input
// too long for OpenSSL's int lengths.
BignumPtr bignum_from_bytes(std::string_view big_endian);

// `value` as exactly `size` big-endian octets (left-padded with zeros); empty when it does
// not fit.
std::string bignum_to_bytes(const BIGNUM* value, std::size_t size);

}  // namespace oauth
