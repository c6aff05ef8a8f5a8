/*
 * The two EC_METHODs the core builds its curves with (src/crypto/ec_groups.cpp): OpenSSL's
 * constant-time P-256 method (ecp_nistp256.c) and its generic Montgomery method (ecp_mont.c, for
 * P-384), copied entry for entry from EC_GFp_nistp256_method() and EC_GFp_mont_method() of the
 * pinned OpenSSL 3.0, with the operations the core never reaches left out (NULL), so the linker
 * drops their code. The core only verifies ECDSA signatures (P-256, P-384), signs and makes keys
 * (P-256, for DPoP) and checks public points; left out:
 *  - ECDH (ecdh_compute_key), the discriminant check (EC_GROUP_check), private-key octet
 *    conversions (EC_KEY_priv2oct/oct2priv) and EC_KEY_check_key (keycheck): never called;
 *  - P-256 precomputation tables (precompute_mult, EC_GROUP_precompute_mult): never made;
 *  - P-384's Montgomery ladder and coordinate blinding (ladder_*, blind_coordinates): only a
 *    secret scalar times one point takes the ladder (signing, key generation), never done on
 *    P-384; OpenSSL falls back to plain point operations if it ever were.
 * A NULL entry that some path does reach is a crash the tests would show: every operation above
 * runs in tests/unit (both curves, both directions) and under the fuzzers.
 */
#include "ec_local.h"

#include <openssl/obj_mac.h>

/* Both methods: group queries and point handling from ecp_smpl.c. */
#define OAUTH_EC_SIMPLE_GROUP_AND_POINT \
    .group_get_curve = ossl_ec_GFp_simple_group_get_curve, \
    .group_get_degree = ossl_ec_GFp_simple_group_get_degree, \
    .group_order_bits = ossl_ec_group_simple_order_bits, \
    .point_init = ossl_ec_GFp_simple_point_init, \
    .point_finish = ossl_ec_GFp_simple_point_finish, \
    .point_clear_finish = ossl_ec_GFp_simple_point_clear_finish, \
    .point_copy = ossl_ec_GFp_simple_point_copy, \
    .point_set_to_infinity = ossl_ec_GFp_simple_point_set_to_infinity, \
    .point_set_affine_coordinates = ossl_ec_GFp_simple_point_set_affine_coordinates

/* Both methods: point arithmetic from ecp_smpl.c (P-256 multiplies through its own mul). */
#define OAUTH_EC_SIMPLE_POINT_ARITHMETIC \
    .add = ossl_ec_GFp_simple_add, \
    .dbl = ossl_ec_GFp_simple_dbl, \
    .invert = ossl_ec_GFp_simple_invert, \
    .is_at_infinity = ossl_ec_GFp_simple_is_at_infinity, \
    .is_on_curve = ossl_ec_GFp_simple_is_on_curve, \
    .point_cmp = ossl_ec_GFp_simple_cmp, \
    .make_affine = ossl_ec_GFp_simple_make_affine, \
    .points_make_affine = ossl_ec_GFp_simple_points_make_affine

/* Both methods: key generation and ECDSA from ec_key.c and ecdsa_ossl.c. */
#define OAUTH_EC_KEYS_AND_ECDSA \
    .keygen = ossl_ec_key_simple_generate_key, \
    .keygenpub = ossl_ec_key_simple_generate_public_key, \
    .ecdsa_sign_setup = ossl_ecdsa_simple_sign_setup, \
    .ecdsa_sign_sig = ossl_ecdsa_simple_sign_sig, \
    .ecdsa_verify_sig = ossl_ecdsa_simple_verify_sig


const EC_METHOD *oauth_ec_nistp256_method(void)
{
    static const EC_METHOD method = {
        .flags = EC_FLAGS_DEFAULT_OCT,
        .field_type = NID_X9_62_prime_field,
        .group_init = ossl_ec_GFp_nistp256_group_init,
        .group_finish = ossl_ec_GFp_simple_group_finish,
        .group_clear_finish = ossl_ec_GFp_simple_group_clear_finish,
        .group_copy = ossl_ec_GFp_nist_group_copy,
        .group_set_curve = ossl_ec_GFp_nistp256_group_set_curve,
        OAUTH_EC_SIMPLE_GROUP_AND_POINT,
        .point_get_affine_coordinates = ossl_ec_GFp_nistp256_point_get_affine_coordinates,
        OAUTH_EC_SIMPLE_POINT_ARITHMETIC,
        .mul = ossl_ec_GFp_nistp256_points_mul,
        .have_precompute_mult = ossl_ec_GFp_nistp256_have_precompute_mult,
        .field_mul = ossl_ec_GFp_nist_field_mul,
        .field_sqr = ossl_ec_GFp_nist_field_sqr,
        .field_inv = ossl_ec_GFp_simple_field_inv,
        OAUTH_EC_KEYS_AND_ECDSA,
    };
    return &method;
}

const EC_METHOD *oauth_ec_mont_method(void)
{
    static const EC_METHOD method = {
        .flags = EC_FLAGS_DEFAULT_OCT,
        .field_type = NID_X9_62_prime_field,
        .group_init = ossl_ec_GFp_mont_group_init,
        .group_finish = ossl_ec_GFp_mont_group_finish,
        .group_clear_finish = ossl_ec_GFp_mont_group_clear_finish,
        .group_copy = ossl_ec_GFp_mont_group_copy,
        .group_set_curve = ossl_ec_GFp_mont_group_set_curve,
        OAUTH_EC_SIMPLE_GROUP_AND_POINT,
        .point_get_affine_coordinates = ossl_ec_GFp_simple_point_get_affine_coordinates,
        OAUTH_EC_SIMPLE_POINT_ARITHMETIC,
        .field_mul = ossl_ec_GFp_mont_field_mul,
        .field_sqr = ossl_ec_GFp_mont_field_sqr,
        .field_inv = ossl_ec_GFp_mont_field_inv,
        .field_encode = ossl_ec_GFp_mont_field_encode,
        .field_decode = ossl_ec_GFp_mont_field_decode,
        .field_set_to_one = ossl_ec_GFp_mont_field_set_to_one,
        OAUTH_EC_KEYS_AND_ECDSA,
    };
    return &method;
}
