// The login transaction the shim keeps in sessionStorage for one redirect and hands back: script
// on the page (XSS) can rewrite it, so it is parsed as hostile input (transaction_from_json).
#include "fuzz_input.hpp"
#include "protocol/authorization_request.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  auto transaction = transaction_from_json(in.rest());
  if (!transaction.ok()) {
    fuzz::require_typed(transaction.error());
    return 0;
  }
  // What was accepted writes back and reads again to the same transaction.
  Secret again = transaction_to_json(*transaction);
  auto reread = transaction_from_json(again.view());
  fuzz::require(reread.ok() && reread->state == transaction->state && reread->verifier.view() == transaction->verifier.view());
  return 0;
}
