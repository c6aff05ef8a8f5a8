/*
 * The few OpenSSL entry points that the chosen OpenSSL files call but that we do not
 * compile from OpenSSL (whose versions would pull in providers, the DRBG and the error
 * tables). One file, so an auditor sees every replacement in one place.
 *
 *  - error queue: no-ops; callers still return failure, and we never print OpenSSL errors.
 *  - randomness: RAND_bytes_ex / RAND_priv_bytes_ex from the platform CSPRNG
 *    (oauth_entropy, src/crypto/entropy.cpp); a failure propagates as failure.
 *  - digests: a SHA-512-only stand-in for the EVP calls of Ed25519 verification and
 *    ECDSA nonce generation; any other digest fetch returns NULL.
 *  - OPENSSL_die (internal assertion failures, e.g. in the secure heap): abort, silently.
 *  - the P-224/P-521 precomputation hooks that ec_lib.c names for the nistp code paths: we
 *    build only P-256 on ecp_nistp256.c, so no group ever holds such a table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/* Provided by src/crypto/entropy.cpp: fills buf with len bytes, returns 1 or 0. */
int oauth_entropy(unsigned char *buf, size_t len);

/* --- error queue ------------------------------------------------------------------ */
void ERR_new(void) {}
void ERR_set_debug(const char *file, int line, const char *func) { (void)file; (void)line; (void)func; }
void ERR_set_error(int lib, int reason, const char *fmt, ...) { (void)lib; (void)reason; (void)fmt; }
void ERR_add_error_data(int num, ...) { (void)num; }
int ERR_set_mark(void) { return 1; }
int ERR_pop_to_mark(void) { return 1; }
int ERR_clear_last_mark(void) { return 1; }
unsigned long ERR_peek_last_error(void) { return 0; }
void ERR_clear_error(void) {}

/* --- internal assertions ----------------------------------------------------------- */
void OPENSSL_die(const char *message, const char *file, int line)
{
    (void)message; (void)file; (void)line;
    abort();
}

/* --- randomness ------------------------------------------------------------------- */
int RAND_bytes_ex(OSSL_LIB_CTX *ctx, unsigned char *buf, size_t num, unsigned int strength)
{
    (void)ctx; (void)strength;
    return oauth_entropy(buf, num);
}

int RAND_priv_bytes_ex(OSSL_LIB_CTX *ctx, unsigned char *buf, size_t num, unsigned int strength)
{
    (void)ctx; (void)strength;
    return oauth_entropy(buf, num);
}

/* --- SHA-512-only digest stand-in ---------------------------------------------------- */
struct evp_md_st { int nid; };
struct evp_md_ctx_st { const EVP_MD *md; SHA512_CTX sha; };
static const EVP_MD oauth_sha512_md = { 1 };

EVP_MD *EVP_MD_fetch(OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties)
{
    (void)ctx; (void)properties;
    if (algorithm != NULL && (strcmp(algorithm, "SHA512") == 0 || strcmp(algorithm, "SHA2-512") == 0))
        return (EVP_MD *)&oauth_sha512_md;
    return NULL;
}

void EVP_MD_free(EVP_MD *md) { (void)md; }

EVP_MD_CTX *EVP_MD_CTX_new(void) { return calloc(1, sizeof(EVP_MD_CTX)); }

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
    if (ctx == NULL) return;
    OPENSSL_cleanse(ctx, sizeof(*ctx));
    free(ctx);
}

int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
{
    (void)impl;
    if (ctx == NULL || type != &oauth_sha512_md) return 0;
    ctx->md = type;
    return SHA512_Init(&ctx->sha);
}

int EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *data, size_t count)
{
    if (ctx == NULL || ctx->md != &oauth_sha512_md) return 0;
    return SHA512_Update(&ctx->sha, data, count);
}

int EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *size)
{
    if (ctx == NULL || ctx->md != &oauth_sha512_md) return 0;
    if (!SHA512_Final(md, &ctx->sha)) return 0;
    if (size != NULL) *size = SHA512_DIGEST_LENGTH;
    return 1;
}

int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size,
               const EVP_MD *type, ENGINE *impl)
{
    EVP_MD_CTX ctx;
    int ok = EVP_DigestInit_ex(&ctx, type, impl) && EVP_DigestUpdate(&ctx, data, count)
             && EVP_DigestFinal_ex(&ctx, md, size);
    OPENSSL_cleanse(&ctx, sizeof(ctx));
    return ok;
}

int EVP_MD_get_size(const EVP_MD *md) { return md == &oauth_sha512_md ? SHA512_DIGEST_LENGTH : -1; }

/* --- nistp precomputation hooks ------------------------------------------------------ */
/* ec_lib.c frees a group's precomputed table by type; only P-256 uses the nistp code here,
 * and no P-224/P-521 table is ever made, so these are never reached. */
struct nistp224_pre_comp_st;
struct nistp521_pre_comp_st;
void EC_nistp224_pre_comp_free(struct nistp224_pre_comp_st *pre) { (void)pre; }
void EC_nistp521_pre_comp_free(struct nistp521_pre_comp_st *pre) { (void)pre; }
