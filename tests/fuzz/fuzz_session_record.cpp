// The session record a persisted session keeps in IndexedDB: script of the origin (XSS) can
// rewrite it, so it is parsed as hostile input (session_record_from_json).
#include "fuzz_input.hpp"
#include "session/session_record.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  auto record = session_record_from_json(in.rest());
  if (!record.ok()) {
    fuzz::require_typed(record.error());
    return 0;
  }
  // What was accepted writes back and reads again to the same record.
  Secret again = session_record_to_json(*record);
  auto reread = session_record_from_json(again.view());
  fuzz::require(reread.ok() && reread->refresh_token.view() == record->refresh_token.view() &&
                reread->dpop_jkt == record->dpop_jkt && reread->subject == record->subject);
  return 0;
}
