// The post-logout redirect (OpenID Connect RP-Initiated Logout §3): whoever links to the app's
// post-logout URI chooses it. Input: the state the shim kept on the first line, then the URL.
#include <string>

#include "fuzz_input.hpp"
#include "protocol/end_session.hpp"
#include "protocol/url.hpp"

using namespace oauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  const std::string state(in.line());
  const std::string_view url = in.rest();

  auto checked = check_end_session_callback(url, state);
  if (!checked.ok()) {
    const Error& error = checked.error();
    fuzz::require_typed(error);
    fuzz::require(error.code == "invalid_callback" || error.code == "state_mismatch");
    // Neither our state nor the one the URL carries is repeated.
    if (fuzz::looks_secret(state)) fuzz::require(error.description.find(state) == std::string::npos);
    return 0;
  }
  // Accepted only with our (non-empty) state as the URL's one state parameter.
  fuzz::require(!state.empty());
  auto parsed = parse_url(url);
  fuzz::require(parsed.ok());
  auto params = parse_form_params(parsed->query.value_or(""));
  fuzz::require(params.ok());
  std::size_t states = 0;
  for (const auto& [name, value] : *params) {
    if (name != "state") continue;
    ++states;
    fuzz::require(value == state);
  }
  fuzz::require(states == 1);
  return 0;
}
