// SHA-2 digests (FIPS 180-4) through OpenSSL's own sha256.c / sha512.c.
#pragma once
#include <string>
#include <string_view>

namespace oauth {

enum class Sha2 { sha256, sha384, sha512 };

std::size_t digest_size(Sha2 alg);
std::string sha256(std::string_view data);
std::string sha384(std::string_view data);
std::string sha512(std::string_view data);
std::string digest(Sha2 alg, std::string_view data);

}  // namespace oauth
