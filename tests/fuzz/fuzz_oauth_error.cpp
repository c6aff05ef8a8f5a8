// Error responses from any endpoint (RFC 6749 §5.2), HTML error pages included. Input: the HTTP
// status on the first line (400 when it is not a number), then the body.
#include "fuzz_input.hpp"
#include "protocol/oauth_error.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  int status = static_cast<int>(in.number(100, 599, 400));
  Error error = process_error_response(fuzz::json_response(status, in.rest()), "the token endpoint");
  fuzz::require_typed(error);
  fuzz::require(error.blame == Blame::remote && error.http_status == status);
  // A description or uri the server sent is kept only in RFC 6749 §5.2 characters.
  for (const std::string* text : {&error.description, &error.uri})
    for (char c : *text) fuzz::require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  return 0;
}
