#include "crypto/secret.hpp"

#include <openssl/crypto.h>

namespace oauth {

void secure_wipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

void secure_wipe(std::string& s) {
  // The whole buffer, not just the used part: earlier, longer contents may linger there.
  if (s.capacity() > 0) secure_wipe(&s[0], s.capacity());
  s.clear();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace oauth
