#include "crypto/sha2.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace oauth {
namespace {

template <typename Ctx, int (*Init)(Ctx*), int (*Update)(Ctx*, const void*, size_t),
          int (*Final)(unsigned char*, Ctx*)>
std::string run(std::string_view data, std::size_t size) {
  Ctx ctx;
  unsigned char out[SHA512_DIGEST_LENGTH];
  Init(&ctx);
  Update(&ctx, data.data(), data.size());
  Final(out, &ctx);
  OPENSSL_cleanse(&ctx, sizeof(ctx));
  return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace

std::size_t digest_size(Sha2 alg) {
  switch (alg) {
    case Sha2::sha256: return SHA256_DIGEST_LENGTH;
    case Sha2::sha384: return SHA384_DIGEST_LENGTH;
    case Sha2::sha512: return SHA512_DIGEST_LENGTH;
  }
  return 0;
}

std::string sha256(std::string_view data) {
  return run<SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final>(data, SHA256_DIGEST_LENGTH);
}
std::string sha384(std::string_view data) {
  return run<SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final>(data, SHA384_DIGEST_LENGTH);
}
std::string sha512(std::string_view data) {
  return run<SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final>(data, SHA512_DIGEST_LENGTH);
}

std::string digest(Sha2 alg, std::string_view data) {
  switch (alg) {
    case Sha2::sha256: return sha256(data);
    case Sha2::sha384: return sha384(data);
    case Sha2::sha512: return sha512(data);
  }
  return {};
}

}  // namespace oauth
