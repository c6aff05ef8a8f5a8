#include "protocol/revocation.hpp"

#include "core/error_codes.hpp"
#include "protocol/end_session.hpp"
#include "protocol/limits.hpp"
#include "protocol/url.hpp"
#include <map>

#include "support.hpp"

using namespace oauth;

namespace {
ServerMetadata server() {
  ServerMetadata m;
  m.issuer = "https://as.example.test";
  m.token_endpoint = "https://as.example.test/token";
  m.revocation_endpoint = "https://as.example.test/revoke";
  m.end_session_endpoint = "https://as.example.test/logout?ui=1";
  return m;
}

IssuerMetadata metadata(ServerMetadata m = server()) {
  auto bound = IssuerMetadata::of_issuer(std::move(m), "https://as.example.test");
  REQUIRE_OK(bound);
  return std::move(bound).value();
}
ClientConfig client() { return ClientConfig{"https://as.example.test", "spa", "https://app.example.test/cb"}; }
}  // namespace

TEST_CASE("revocation sends the refresh token first, then the access token", "[revocation][rfc7009]") {
  auto requests = build_revocation_requests(metadata(), client(), Secret("rt-1"), Secret("at-1"));
  REQUIRE_OK(requests);
  REQUIRE(requests->size() == 2);
  CHECK((*requests)[0].url == "https://as.example.test/revoke");
  CHECK((*requests)[0].method == "POST");
  CHECK((*requests)[0].body == "token=rt-1&token_type_hint=refresh_token&client_id=spa");
  CHECK((*requests)[1].body == "token=at-1&token_type_hint=access_token&client_id=spa");
}

TEST_CASE("a confidential client authenticates its revocation requests", "[revocation][rfc7009]") {
  auto auth = ClientAuth::client_secret_basic(Secret("s3cr3t"));
  REQUIRE_OK(auth);
  auto requests = build_revocation_requests(metadata(), client(), Secret("rt-1"), Secret(""), *auth);
  REQUIRE_OK(requests);
  REQUIRE(requests->size() == 1);
  CHECK(find_header((*requests)[0].headers, "authorization"));
  CHECK((*requests)[0].body.find("s3cr3t") == std::string::npos);
}

TEST_CASE("without a revocation endpoint there is nothing to send", "[revocation][rfc7009]") {
  ServerMetadata m = server();
  m.revocation_endpoint.clear();
  auto requests = build_revocation_requests(metadata(m), client(), Secret("rt-1"), Secret("at-1"));
  REQUIRE_OK(requests);
  CHECK(requests->empty());
}

TEST_CASE("the end-session URL carries the hint, client, return URI and a fresh state", "[end_session][oidc]") {
  auto request = build_end_session_request(metadata(), client(), "id.tok.en", "https://app.example.test/");
  REQUIRE_OK(request);
  CHECK(request->state.size() == 43);
  auto url = parse_url(request->url);
  REQUIRE_OK(url);
  auto params = parse_form_params(url->query.value_or(""));
  REQUIRE_OK(params);
  std::map<std::string, std::string> p(params->begin(), params->end());
  CHECK(p["ui"] == "1");
  CHECK(p["client_id"] == "spa");
  CHECK(p["id_token_hint"] == "id.tok.en");
  CHECK(p["post_logout_redirect_uri"] == "https://app.example.test/");
  CHECK(p["state"] == request->state);

  // The same request as a form POST (§2): the endpoint keeps its own query, the parameters the
  // core set go in the body, in order, and none of them is in the action.
  CHECK(request->action == "https://as.example.test/logout?ui=1");
  const FormParams form = {{"id_token_hint", "id.tok.en"},
                           {"client_id", "spa"},
                           {"post_logout_redirect_uri", "https://app.example.test/"},
                           {"state", request->state}};
  CHECK(request->params == form);

  REQUIRE_OK(check_end_session_callback("https://app.example.test/?state=" + request->state, request->state));
  REQUIRE_ERROR(check_end_session_callback("https://app.example.test/?state=forged", request->state), codes::state_mismatch);
  REQUIRE_ERROR(check_end_session_callback("https://app.example.test/", request->state), codes::state_mismatch);
  REQUIRE_ERROR(check_end_session_callback("https://app.example.test/?state=", ""), codes::state_mismatch);
}

TEST_CASE("a post-logout URL longer than kMaxCallbackUrlBytes is refused unread", "[end_session][limits]") {
  // Anyone's link, with the right state: over the limit it is never parsed.
  const std::string state = "s-0123456789";
  std::string padded = "https://app.example.test/?state=" + state + "&pad=";
  padded.append(kMaxCallbackUrlBytes - padded.size(), 'x');
  REQUIRE_OK(check_end_session_callback(padded, state));
  auto too_long = check_end_session_callback(padded + "x", state);
  REQUIRE_ERROR(too_long, codes::invalid_callback);
  CHECK(too_long.error().description == "the post-logout URL is longer than 8192 bytes");
}

TEST_CASE("end session is refused without an endpoint or with an unsafe return URI", "[end_session][oidc]") {
  ServerMetadata m = server();
  REQUIRE_ERROR(build_end_session_request(metadata(m), client(), "", "http://app.example.test/"), codes::invalid_argument);
  REQUIRE_ERROR(build_end_session_request(metadata(m), client(), "", "https://app.example.test/#x"), codes::invalid_argument);
  m.end_session_endpoint.clear();
  REQUIRE_ERROR(build_end_session_request(metadata(m), client(), "", ""), codes::invalid_metadata);
}
