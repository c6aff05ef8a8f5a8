#include "crypto/openssl_handles.hpp"

#include <climits>

namespace oauth {

BignumPtr bignum_from_bytes(std::string_view big_endian) {
  if (big_endian.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                             static_cast<int>(big_endian.size()), nullptr));
}

std::string bignum_to_bytes(const BIGNUM* value, std::size_t size) {
  if (value == nullptr || size > static_cast<std::size_t>(INT_MAX)) return {};
  std::string out(size, '\0');
  if (BN_bn2binpad(value, reinterpret_cast<unsigned char*>(&out[0]), static_cast<int>(size)) !=
      static_cast<int>(size))
    return {};
  return out;
}

}  // namespace oauth
