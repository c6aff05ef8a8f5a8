// embind map of the src/crypto calls only tests and benches use: random tokens, and JWS
// verification on its own. In the Node module only (cmake/wasm.cmake leaves this file out of the
// browser's). No logic.
#include <emscripten/bind.h>

#include "answer.hpp"
#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/jws_verify.hpp"

namespace oauth::bindings {
namespace {

Answer random_token_js(int bytes) {
  if (bytes < 1 || bytes > 1024) return answer_error(Error::local(codes::invalid_argument, OAUTH_TEXT("1 to 1024 bytes")));
  return answer(random_bytes(static_cast<std::size_t>(bytes)),
                [](JsonWriter& out, const std::string& b) { out.string(base64url_encode(b)); });
}

// The JWKS is parsed on every call.
Answer verify_jws_js(Text compact, Text jwks_json) {
  auto keys = Jwks::parse(jwks_json.view());
  if (!keys) return answer_error(keys.error());
  return answer(verify_jws(compact.view(), *keys, JwsAlgSet::all_supported()),
                [](JsonWriter& out, const VerifiedJws& v) { out.string(jws_alg_name(v.alg())); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_crypto_extra) {
  emscripten::function("randomToken", &random_token_js);
  emscripten::function("verifyJws", &verify_jws_js);
}

}  // namespace oauth::bindings
