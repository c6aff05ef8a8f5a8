#include "crypto/entropy.hpp"

#include "core/error_codes.hpp"
#include "crypto/secret.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
// One call per chunk into the platform CSPRNG; any exception (no crypto object, a throwing
// getRandomValues) becomes -1 here instead of trapping the module.
EM_JS(int, oauth_platform_random, (unsigned char* out, int size), {
  try {
    var c = globalThis.crypto;
    if (!c || typeof c.getRandomValues !== 'function') return -1;
    var view = HEAPU8.subarray(out, out + size);
    var tmp = new Uint8Array(size);
    c.getRandomValues(tmp);
    view.set(tmp);
    tmp.fill(0);
    return 0;
  } catch (e) {
    return -1;
  }
});
#else
#include <unistd.h>
#endif

namespace oauth {
namespace {

int platform_source(unsigned char* out, std::size_t size) {
  // Both sources take at most 256 bytes (getentropy) / 65536 (getRandomValues) per call.
  while (size > 0) {
    std::size_t chunk = size < 256 ? size : 256;
#ifdef __EMSCRIPTEN__
    if (oauth_platform_random(out, static_cast<int>(chunk)) != 0) return 0;
#else
    if (getentropy(out, chunk) != 0) return 0;
#endif
    out += chunk;
    size -= chunk;
  }
  return 1;
}

EntropySource g_source = &platform_source;

}  // namespace

void set_entropy_source_for_testing(EntropySource source) {
  g_source = source != nullptr ? source : &platform_source;
}

Status fill_random(unsigned char* out, std::size_t size) {
  if (size == 0) return Ok{};
  if (g_source(out, size) != 1) {
    secure_wipe(out, size);
    return Error::local(codes::entropy_failure, OAUTH_TEXT("the platform random source failed"));
  }
  return Ok{};
}

Result<std::string> random_bytes(std::size_t size) {
  std::string out(size, '\0');
  OAUTH_TRY(fill_random(reinterpret_cast<unsigned char*>(&out[0]), size));
  return out;
}

}  // namespace oauth

// Called by OpenSSL's RAND_bytes_ex / RAND_priv_bytes_ex shims (src/crypto/openssl_shims.c).
extern "C" int oauth_entropy(unsigned char* buf, std::size_t len) {
  return oauth::fill_random(buf, len).ok() ? 1 : 0;
}
