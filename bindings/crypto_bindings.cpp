// embind map of src/crypto: PKCE, randomness, JWS verification on its own, and the error-code
// table. No logic.
#include <emscripten/bind.h>

#include "answer.hpp"
#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/jws_verify.hpp"
#include "crypto/pkce.hpp"

namespace oauth::bindings {
namespace {

Answer pkce_challenge_js(Text verifier, Text method) {
  return answer(pkce_challenge(verifier.view(), method.view()), [](JsonWriter& out, const std::string& challenge) { out.string(challenge); });
}

Answer generate_pkce_js() {
  return answer(generate_pkce(), [](JsonWriter& out, const PkcePair& p) {
    out.begin_object().member("verifier", p.verifier.view()).member("challenge", p.challenge).member("method", p.method).end_object();
  });
}

Answer random_token_js(int bytes) {
  if (bytes < 1 || bytes > 1024) return answer_error(Error::local(codes::invalid_argument, "1 to 1024 bytes"));
  return answer(random_bytes(static_cast<std::size_t>(bytes)),
                [](JsonWriter& out, const std::string& b) { out.string(base64url_encode(b)); });
}

// JWS verification on its own (benchmarks, and apps that verify other JWTs): the JWKS is parsed
// on every call.
Answer verify_jws_js(Text compact, Text jwks_json) {
  auto keys = Jwks::parse(jwks_json.view());
  if (!keys) return answer_error(keys.error());
  return answer(verify_jws(compact.view(), *keys, JwsAlgSet::all_supported()),
                [](JsonWriter& out, const VerifiedJws& v) { out.string(jws_alg_name(v.alg())); });
}

// [{ code, meaning }]: the table of our own codes (src/core/error_codes.hpp), as a bare array.
Answer error_codes_js() {
  struct Entry {
    const char* code;
    const char* meaning;
  };
#define OAUTH_CODE_ENTRY(id, text, meaning) {text, meaning},
  static constexpr Entry kCodes[] = {OAUTH_ERROR_CODES(OAUTH_CODE_ENTRY)};
#undef OAUTH_CODE_ENTRY
  JsonWriter& out = begin_answer().begin_array();
  for (const Entry& e : kCodes) out.begin_object().member("code", e.code).member("meaning", e.meaning).end_object();
  out.end_array();
  return finish_answer();
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_crypto) {
  emscripten::function("pkceChallenge", &pkce_challenge_js);
  emscripten::function("generatePkce", &generate_pkce_js);
  emscripten::function("randomToken", &random_token_js);
  emscripten::function("errorCodes", &error_codes_js);
  emscripten::function("verifyJws", &verify_jws_js);
}

}  // namespace oauth::bindings
