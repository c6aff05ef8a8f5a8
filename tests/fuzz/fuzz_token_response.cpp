// The token endpoint's answer (RFC 6749 §5.1, §5.2). Input: the HTTP status on the first line
// (200 when it is not a number), then the body.
#include "fuzz_input.hpp"
#include "protocol/token_response.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  int status = static_cast<int>(in.number(100, 599, 200));
  auto tokens = process_token_response(fuzz::json_response(status, in.rest()));
  if (!tokens.ok()) {
    fuzz::require_typed(tokens.error());
    // The server is to blame, and the error carries the status it answered with.
    fuzz::require(tokens.error().blame == Blame::remote && tokens.error().http_status == status);
    // A refusal of a 200 never repeats a secret it carried (an error response's
    // error_description is the server's own text).
    if (status == 200)
      fuzz::require_no_secrets(tokens.error(), in.rest(), {"access_token", "refresh_token", "id_token"});
    return 0;
  }
  fuzz::require(status == 200);
  fuzz::require(!tokens->access_token.empty());
  fuzz::require(tokens->token_type == "Bearer" || tokens->token_type == "DPoP");
  fuzz::require(!tokens->expires_in || (*tokens->expires_in >= 0 && *tokens->expires_in <= kMaxExpiresIn));
  fuzz::require(!tokens->refresh_token || !tokens->refresh_token->empty());
  fuzz::require(!tokens->id_token || !tokens->id_token->empty());
  return 0;
}
