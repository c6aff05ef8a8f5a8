// embind map of src/crypto: PKCE and randomness. No logic.
#include <emscripten/bind.h>

#include "convert.hpp"
#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/jws_verify.hpp"
#include "crypto/pkce.hpp"

namespace oauth::bindings {
namespace {

val pkce_challenge_js(const std::string& verifier, const std::string& method) {
  return to_js(pkce_challenge(verifier, method), [](const std::string& c) { return val(c); });
}

val generate_pkce_js() {
  return to_js(generate_pkce(), [](const PkcePair& p) {
    val o = val::object();
    o.set("verifier", std::string(p.verifier.view()));
    o.set("challenge", p.challenge);
    o.set("method", p.method);
    return o;
  });
}

val random_token_js(int bytes) {
  if (bytes < 1 || bytes > 1024) return failure(Error::local(codes::invalid_argument, "1 to 1024 bytes"));
  return to_js(random_bytes(static_cast<std::size_t>(bytes)),
               [](const std::string& b) { return val(base64url_encode(b)); });
}

// JWS verification on its own (benchmarks, and apps that verify other JWTs): the JWKS is parsed
// on every call.
val verify_jws_js(const std::string& compact, const std::string& jwks_json) {
  auto keys = Jwks::parse(jwks_json);
  if (!keys) return failure(keys.error());
  auto verified = verify_jws(compact, *keys, JwsAlgSet::all_supported());
  return verified ? success(val(std::string(jws_alg_name(verified->alg())))) : failure(verified.error());
}

val error_codes_js() {
  struct Entry {
    const char* code;
    const char* meaning;
  };
#define OAUTH_CODE_ENTRY(id, text, meaning) {text, meaning},
  static constexpr Entry kCodes[] = {OAUTH_ERROR_CODES(OAUTH_CODE_ENTRY)};
#undef OAUTH_CODE_ENTRY
  val list = val::array();
  for (const Entry& entry : kCodes) {
    val e = val::object();
    e.set("code", std::string(entry.code));
    e.set("meaning", std::string(entry.meaning));
    list.call<void>("push", e);
  }
  return list;
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
