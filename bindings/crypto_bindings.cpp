// embind map of src/crypto: PKCE and the error-code table. No logic. (Randomness and JWS
// verification on their own, which only tests and benches call, are in crypto_extra_bindings.cpp,
// in the Node module only.)
#include <emscripten/bind.h>

#include "answer.hpp"
#include "core/error_codes.hpp"
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

// [{ code, meaning }]: the table of our own codes (src/core/error_codes.hpp), as a bare array. The
// meanings are human texts (OAUTH_TEXT): markers in the browser's module, written back by the page.
Answer error_codes_js() {
  struct Entry {
    const char* code;
    const char* meaning;
  };
#define OAUTH_CODE_ENTRY(id, text, meaning) {text, OAUTH_TEXT(meaning)},
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
  emscripten::function("errorCodes", &error_codes_js);
}

}  // namespace oauth::bindings
