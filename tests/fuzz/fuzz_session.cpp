// The session's state machine (src/session/client.cpp) fed a sequence of server answers: a login
// (token response, then the JWKS when an ID token came) and refreshes. Input: the scope on the first
// line ("openid ..." makes it an OIDC login), then responses separated by a line "---", each its
// HTTP status on the first line and the body after it.
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "session/client.hpp"
#include "session/settings.hpp"

using namespace oauth;

namespace {

constexpr std::int64_t kNow = 1700000000;

HttpResponse response_of(std::string_view part) {
  fuzz::Fields in(reinterpret_cast<const std::uint8_t*>(part.data()), part.size());
  int status = static_cast<int>(in.number(0, 599, 200));
  return fuzz::json_response(status, in.rest());
}

Client ready_client() {
  auto settings = parse_client_settings(
      R"({"issuer":"https://as.example.test","clientId":"spa","redirectUri":"https://app.example.test/callback",)"
      R"("apiOrigins":["https://api.example.test"]})");
  fuzz::require(settings.ok());
  auto client = Client::create(std::move(*settings));
  fuzz::require(client.ok());
  auto metadata = client->accept_metadata(fuzz::json_response(
      200, R"({"issuer":"https://as.example.test","authorization_endpoint":"https://as.example.test/auth",)"
           R"("token_endpoint":"https://as.example.test/token","jwks_uri":"https://as.example.test/jwks",)"
           R"("code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":true})"));
  fuzz::require(metadata.ok());
  return std::move(*client);
}

// Starts a login and answers its callback: the client then waits for the token response.
Result<Step> start_login(Client& client, const AuthorizationOptions& options) {
  auto start = client.authorize(options, kNow);
  if (!start.ok()) return std::move(start).take_error();
  return client.callback("https://app.example.test/callback?code=c0de&state=" + start->navigate->state +
                             "&iss=https%3A%2F%2Fas.example.test",
                         "", kNow);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  AuthorizationOptions options;
  options.scope = std::string(in.line());
  std::vector<std::string_view> responses = fuzz::split_parts(in.rest());

  Client client = ready_client();
  auto step = start_login(client, options);
  if (!step.ok()) {  // a scope the request builder refuses
    fuzz::require_typed(step.error());
    return 0;
  }
  fuzz::require(step->request.has_value());

  std::size_t next = 0;
  bool refreshing = false;
  bool had_session = false;  // when the current login started
  while (next < responses.size()) {
    step = client.resume(response_of(responses[next++]), kNow);
    if (!step.ok()) {
      fuzz::require_typed(step.error());
      // A failed first login leaves no session; a failed refresh keeps the one there was (or,
      // after invalid_grant or any 400/401 answer, ends it).
      if (!refreshing && !had_session) fuzz::require(client.tokens() == nullptr);
    } else if (step->request) {
      continue;  // the JWKS, or a refetch of it
    } else {
      fuzz::require(step->done.has_value() && client.tokens() != nullptr);
      fuzz::require(!client.tokens()->access_token.empty());
      fuzz::require(client.tokens()->token_type == TokenType::bearer);  // no DPoP in this client
    }
    // Whatever happened, the client goes on: a refresh when it holds a refresh token, else a
    // new login.
    if (client.has_refresh_token()) {
      auto refresh = client.refresh(kNow);
      fuzz::require(refresh.ok());
      refreshing = true;
    } else {
      had_session = client.tokens() != nullptr;
      step = start_login(client, options);
      fuzz::require(step.ok() && step->request.has_value());
      refreshing = false;
    }
  }
  // The token only ever goes to the configured API origin.
  if (client.tokens()) {
    auto header = client.authorize_resource("https://evil.example.test/", "GET", kNow);
    fuzz::require(!header.ok() && header.error().code == "origin_not_allowed");
  }
  client.logout();
  fuzz::require(client.tokens() == nullptr && !client.has_refresh_token());
  return 0;
}
