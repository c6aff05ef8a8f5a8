// OpenSSL 3.0 internals used by the signature code: private struct layouts (EC_KEY,
// ECDSA_SIG from crypto/ec/ec_local.h) and internal entry points
// (ossl_ecdsa_simple_verify_sig, ossl_ecdsa_simple_sign_sig, ossl_ec_key_simple_generate_key,
// ossl_ed25519_verify). Pinned to the version in scripts/openssl-prepare.sh: re-check these
// on every upgrade. Include this first in a .cpp, and only there (never from a header).
#pragma once
#include "internal/deprecated.h"  // EC_GROUP_new and the EC_GFp_*_method tables are deprecated in 3.0

extern "C" {
#include "crypto/ecx.h"
#include "ec_local.h"
}
