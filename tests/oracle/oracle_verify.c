/* Independent oracle: the system's libcrypto verifies signatures our core produced.
 * Input lines: "<alg> <public key, hex> <message, hex> <signature, hex>", alg = ES256.
 * The public key is an uncompressed SEC1 point; the signature is raw r||s (RFC 7518 §3.4). */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *hex, unsigned char *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
    return n;
}

static int verify_es256(const unsigned char *pub, size_t pub_len, const unsigned char *msg, size_t msg_len,
                        const unsigned char *sig, size_t sig_len) {
    if (sig_len != 64) return 0;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *pkey = NULL;
    int ok = EVP_PKEY_fromdata_init(pctx) > 0 && EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0;
    ECDSA_SIG *es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
    unsigned char *der = NULL;
    int der_len = i2d_ECDSA_SIG(es, &der);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ok = ok && der_len > 0 && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
         EVP_DigestVerify(md, der, (size_t)der_len, msg, msg_len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: oracle_verify FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 2; }
    static char alg[32], pubh[1024], msgh[8192], sigh[1024];
    static unsigned char pub[512], msg[4096], sig[512];
    int checked = 0, failed = 0;
    while (fscanf(f, "%31s %1023s %8191s %1023s", alg, pubh, msgh, sigh) == 4) {
        size_t pl = unhex(pubh, pub, sizeof pub), ml = unhex(msgh, msg, sizeof msg), sl = unhex(sigh, sig, sizeof sig);
        int ok = strcmp(alg, "ES256") == 0 && verify_es256(pub, pl, msg, ml, sig, sl);
        checked++;
        if (!ok) { failed++; fprintf(stderr, "vector %d (%s) did not verify\n", checked, alg); }
        /* A flipped bit must not verify either: the oracle itself is checked. */
        msg[0] ^= 1;
        if (ml > 0 && strcmp(alg, "ES256") == 0 && verify_es256(pub, pl, msg, ml, sig, sl)) {
            failed++; fprintf(stderr, "vector %d verified after tampering\n", checked);
        }
    }
    fclose(f);
    printf("%d passed, %d failed\n", checked - failed, failed);
    return (checked > 0 && failed == 0) ? 0 : 1;
}
