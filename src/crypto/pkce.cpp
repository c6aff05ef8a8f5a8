#include "crypto/pkce.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/sha2.hpp"

namespace oauth {
namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

Status check_pkce_verifier(std::string_view verifier) {
  if (verifier.size() < kPkceVerifierMinLength || verifier.size() > kPkceVerifierMaxLength)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("a PKCE verifier must have 43 to 128 characters"));
  for (char c : verifier) {
    if (!is_unreserved(c))
      return Error::local(codes::invalid_argument, OAUTH_TEXT("a PKCE verifier may hold only unreserved characters"));
  }
  return Ok{};
}

Result<std::string> pkce_challenge(std::string_view verifier, std::string_view method) {
  // `plain` sends the verifier itself through the browser: never (OAuth 2.1 §4.1.1).
  if (method != "S256")
    return Error::local(codes::unsupported_pkce_method, OAUTH_TEXT("only the S256 PKCE method is supported"));
  OAUTH_TRY(check_pkce_verifier(verifier));
  return base64url_encode(sha256(verifier));
}

Result<PkcePair> generate_pkce(std::size_t random_bytes_count) {
  if (random_bytes_count < 32 || random_bytes_count > 96)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("a PKCE verifier needs 32 to 96 random bytes"));
  OAUTH_ASSIGN_OR_RETURN(auto&& raw, random_bytes(random_bytes_count));
  Secret verifier(base64url_encode(raw));
  secure_wipe(raw);
  OAUTH_ASSIGN_OR_RETURN(auto&& challenge, pkce_challenge(verifier.view()));
  return PkcePair{std::move(verifier), std::move(challenge), "S256"};
}

}  // namespace oauth
