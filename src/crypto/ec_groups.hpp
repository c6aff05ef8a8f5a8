// The two NIST curves JWA uses for ECDSA (RFC 7518 §3.4, §6.2.1.1), built once from their
// published domain parameters (FIPS 186-4 §D.1.2.3-4, SEC 2 §2.4.2, §2.5.1), so OpenSSL's
// table of every named curve stays out of the module.
#pragma once
#include <openssl/ec.h>

#include <cstddef>

namespace oauth {

enum class EcCurve { p256, p384 };

// Octets of a field element and of the group order: the length of JWK "x"/"y" (RFC 7518
// §6.2.1.2-3) and of each of r and s in a JWS signature (RFC 7518 §3.4).
std::size_t ec_coordinate_size(EcCurve curve);

// The cached group (never freed): P-256 on OpenSSL's constant-time ecp_nistp256 code,
// P-384 on the generic Montgomery code. Null only if building it failed (out of memory).
const EC_GROUP* ec_group(EcCurve curve);

}  // namespace oauth
