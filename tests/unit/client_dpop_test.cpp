// The session with DPoP (RFC 9449) and PAR (RFC 9126): proofs on token and resource requests,
// one nonce retry at each, the key kept for refresh and wiped at logout, pushed requests.
#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jwk_thumbprint.hpp"
#include "crypto/sha2.hpp"
#include "protocol/url.hpp"
#include "session/client.hpp"
#include "dpop_support.hpp"
#include "protocol_fixtures.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

using namespace oauth;
using nlohmann::json;

namespace {

const char* kRedirect = "https://app.example.test/callback";

ClientSettings dpop_settings(const std::string& extra = "") {
  auto s = parse_client_settings(
      R"({"issuer":"https://as.example.test","clientId":"spa","redirectUri":"https://app.example.test/callback",)"
      R"("apiOrigins":["https://api.example.test"])" + extra + "}");
  REQUIRE_OK(s);
  return std::move(*s);
}

HttpResponse json_response(int status, std::string body, HttpHeaders extra = {}) {
  extra.emplace_back("Content-Type", "application/json");
  return HttpResponse(status, std::move(extra), std::move(body));
}

std::string metadata_json(const std::string& extra) {
  return R"({"issuer":"https://as.example.test","authorization_endpoint":"https://as.example.test/auth",)"
         R"("token_endpoint":"https://as.example.test/token","code_challenge_methods_supported":["S256"],)"
         R"("authorization_response_iss_parameter_supported":true)" + extra + "}";
}

const char* kDpopMetadata = R"(,"dpop_signing_alg_values_supported":["RS256","ES256"])";

Client client_with(const std::string& metadata_extra, const std::string& settings_extra = "") {
  auto client = Client::create(dpop_settings(settings_extra));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(json_response(200, metadata_json(metadata_extra))));
  return std::move(*client);
}

AuthorizationOptions api_scope() {
  AuthorizationOptions o;
  o.scope = "api:read";
  return o;
}

using test::query_param;

std::string callback_url(const std::string& state) {
  return std::string(kRedirect) + "?code=the-code&state=" + state + "&iss=https%3A%2F%2Fas.example.test";
}

using test::verified_proof;

test::DecodedProof request_proof(const HttpRequest& request) {
  auto header = find_header(request.headers, "DPoP");
  REQUIRE(header);
  return verified_proof(*header);
}

// Authorizes at 1000 and comes back at 1001: the code exchange the client asks to perform.
HttpRequest code_exchange(Client& client) {
  auto start = client.authorize(api_scope(), 1000);
  REQUIRE_OK(start);
  auto step = client.callback(callback_url(start->navigate->state), "", 1001);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  return *step->request;
}

const char* kDpopTokens = R"({"access_token":"at-1","token_type":"DPoP","expires_in":300,"refresh_token":"rt-1"})";

// Logs in against a DPoP server; returns the token request the client sent.
HttpRequest log_in(Client& client) {
  HttpRequest sent = code_exchange(client);
  auto done = client.resume(json_response(200, kDpopTokens), 1002);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  return sent;
}

}  // namespace

TEST_CASE("DPoP is used automatically when the server lists ES256, and not otherwise", "[session][dpop][rfc9449]") {
  CHECK(client_with(kDpopMetadata).dpop_enabled());
  CHECK_FALSE(client_with(R"(,"dpop_signing_alg_values_supported":["RS256"])").dpop_enabled());
  CHECK_FALSE(client_with("").dpop_enabled());
  CHECK_FALSE(client_with(kDpopMetadata, R"(,"dpop":false)").dpop_enabled());
  CHECK(client_with("", R"(,"dpop":true)").dpop_enabled());
}

TEST_CASE("the authorization request carries dpop_jkt, the session key's thumbprint", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  auto start = client.authorize(api_scope(), 1000);
  REQUIRE_OK(start);
  REQUIRE(client.dpop_key());
  CHECK(query_param(start->navigate->url, "dpop_jkt") == client.dpop_key()->thumbprint());

  AuthorizationOptions unbound = api_scope();
  unbound.bind_dpop_key = false;
  auto redirect = client.authorize(unbound, 1000);
  REQUIRE_OK(redirect);
  CHECK(query_param(redirect->navigate->url, "dpop_jkt") == "<absent>");
  CHECK(query_param(client_with("").authorize(api_scope(), 1000)->navigate->url, "dpop_jkt") == "<absent>");
}

TEST_CASE("the code exchange carries a proof for POST at the token endpoint", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  HttpRequest sent = log_in(client);
  test::DecodedProof p = request_proof(sent);
  CHECK(p.claims.at("htm") == "POST");
  CHECK(p.claims.at("htu") == "https://as.example.test/token");
  CHECK(p.claims.at("iat") == 1001);
  CHECK_FALSE(p.claims.contains("ath"));
  CHECK(jwk_thumbprint_sha256(test::to_value(p.header.at("jwk"))).value() == client.dpop_key()->thumbprint());
  CHECK(client.tokens()->token_type == TokenType::dpop);
}

TEST_CASE("a use_dpop_nonce answer at the token endpoint is retried once with the nonce", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  HttpRequest first = code_exchange(client);
  std::string first_jti = request_proof(first).claims.at("jti").get<std::string>();
  HttpResponse demand = json_response(400, R"({"error":"use_dpop_nonce","error_description":"nonce required"})",
                                      {{"DPoP-Nonce", "server-nonce-1"}});
  auto retry = client.resume(demand, 1002);
  REQUIRE_OK(retry);
  REQUIRE(retry->request);
  CHECK(retry->request->body == first.body);
  test::DecodedProof p = request_proof(*retry->request);
  CHECK(p.claims.at("nonce") == "server-nonce-1");
  CHECK(p.claims.at("jti") != first_jti);

  SECTION("a second demand is the server's error, not another retry") {
    auto again = client.resume(json_response(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n-2"}}), 1003);
    REQUIRE_ERROR(again, "use_dpop_nonce");
    CHECK_FALSE(client.tokens());
  }
  SECTION("the retried exchange completes the login") {
    auto done = client.resume(json_response(200, kDpopTokens), 1003);
    REQUIRE_OK(done);
    CHECK(done->done);
  }
}

TEST_CASE("a use_dpop_nonce answer without a nonce is not retried", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  code_exchange(client);
  REQUIRE_ERROR(client.resume(json_response(400, R"({"error":"use_dpop_nonce"})"), 1002), "use_dpop_nonce");
}

TEST_CASE("a Bearer answer to a DPoP token request is refused unless allowed", "[session][dpop][rfc9449]") {
  const char* bearer = R"({"access_token":"at-1","token_type":"Bearer","expires_in":300})";
  for (bool allowed : {false, true}) {
    Client client = client_with(kDpopMetadata, allowed ? R"(,"dpopAllowBearer":true)" : "");
    code_exchange(client);
    auto done = client.resume(json_response(200, bearer), 1002);
    if (allowed) {
      REQUIRE_OK(done);
      auto headers = client.authorize_resource("https://api.example.test/me", "GET", 1003);
      REQUIRE_OK(headers);
      CHECK(*find_header(*headers, "Authorization") == "Bearer at-1");
    } else {
      REQUIRE_ERROR(done, codes::unsupported_token_type);
    }
  }
}

TEST_CASE("a DPoP token from a server we did not send a proof to is refused", "[session][dpop][rfc9449]") {
  Client client = client_with("");
  CHECK_FALSE(find_header(code_exchange(client).headers, "DPoP"));
  REQUIRE_ERROR(client.resume(json_response(200, kDpopTokens), 1002), codes::unsupported_token_type);
}

TEST_CASE("the refresh carries a proof of the same key, with the token endpoint's nonce", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  const json login_jwk = request_proof(code_exchange(client)).header.at("jwk");
  // A nonce on the success response replaces any held one (RFC 9449 §8.2).
  REQUIRE_OK(client.resume(json_response(200, kDpopTokens, {{"DPoP-Nonce", "from-200"}}), 1002));

  auto refresh = client.refresh(1100);
  REQUIRE_OK(refresh);
  test::DecodedProof p = request_proof(*refresh->request);
  CHECK(p.header.at("jwk") == login_jwk);
  CHECK(p.claims.at("nonce") == "from-200");
  CHECK(refresh->request->body.find("grant_type=refresh_token") != std::string::npos);
  auto done = client.resume(
      json_response(200, R"({"access_token":"at-2","token_type":"DPoP","expires_in":300,"refresh_token":"rt-2"})"), 1101);
  REQUIRE_OK(done);
  CHECK(client.tokens()->access_token.view() == "at-2");
}

TEST_CASE("a second use_dpop_nonce demand on refresh is reported and keeps the session", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  log_in(client);
  REQUIRE_OK(client.refresh(1100));
  auto retry = client.resume(json_response(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n-1"}}), 1101);
  REQUIRE_OK(retry);
  REQUIRE(retry->request);
  // A demand to retry with a nonce (§8) is no refusal of the refresh token, even the second time.
  REQUIRE_ERROR(client.resume(json_response(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n-2"}}), 1102),
                "use_dpop_nonce");
  REQUIRE(client.tokens() != nullptr);
  CHECK(client.tokens()->refresh_token.view() == "rt-1");
}

TEST_CASE("a Bearer session on a DPoP server refreshes without a proof and stays Bearer", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  // A grant whose request carried no proof (dpopAllowBearer would be needed after a proof).
  TokenExchange grant("api:read", TokenExchange::Subject::user);
  DpopNonceCache nonces;
  HttpRequest request;
  REQUIRE_OK(grant.start(request, nullptr, nonces, 1000));
  auto granted = client.resume(
      json_response(200, R"({"access_token":"at-g","token_type":"Bearer","expires_in":300,"refresh_token":"rt-g"})"), 1000,
      &grant);
  REQUIRE_OK(granted);
  REQUIRE(granted->done);
  auto refresh = client.refresh(1100);
  REQUIRE_OK(refresh);
  CHECK_FALSE(find_header(refresh->request->headers, "DPoP"));
  auto headers = client.authorize_resource("https://api.example.test/me", "GET", 1101);
  REQUIRE_OK(headers);
  CHECK(*find_header(*headers, "Authorization") == "Bearer at-g");
}

// RFC 9449 §5: a Bearer answer to a proved request leaves the refresh token bound to the key.
TEST_CASE("a Bearer access token got with a proof refreshes with a proof of the same key", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata, R"(,"dpopAllowBearer":true)");
  const json login_jwk = request_proof(code_exchange(client)).header.at("jwk");
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-b","token_type":"Bearer","refresh_token":"rt-b"})"), 1002));
  REQUIRE(client.tokens()->token_type == TokenType::bearer);
  auto refresh = client.refresh(1100);
  REQUIRE_OK(refresh);
  CHECK(request_proof(*refresh->request).header.at("jwk") == login_jwk);
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-b2","token_type":"Bearer","refresh_token":"rt-b2"})"), 1101));
  auto again = client.refresh(1200);
  REQUIRE_OK(again);
  CHECK(request_proof(*again->request).header.at("jwk") == login_jwk);
  // The server may bind the access token too once it sees the proof again.
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-d","token_type":"DPoP"})"), 1201));
  auto headers = client.authorize_resource("https://api.example.test/me", "GET", 1202);
  REQUIRE_OK(headers);
  CHECK(*find_header(*headers, "Authorization") == "DPoP at-d");
}

// RFC 9700 §4.14.2: the server spent the old refresh token when it answered with a new one.
TEST_CASE("a refresh answer of another token type is refused, and its rotated refresh token kept", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  log_in(client);
  REQUIRE_OK(client.refresh(1100));
  REQUIRE_ERROR(client.resume(json_response(200, R"({"access_token":"at-x","token_type":"Bearer","refresh_token":"rt-2"})"), 1101),
                codes::unsupported_token_type);
  CHECK(client.tokens()->access_token.view() == "at-1");
  auto next = client.refresh(1102);
  REQUIRE_OK(next);
  CHECK(query_param("https://x.test/?" + next->request->body, "refresh_token") == "rt-2");
}

TEST_CASE("a resource request goes as Authorization: DPoP with a proof carrying ath", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  log_in(client);
  auto headers = client.authorize_resource("https://api.example.test/me?x=1#f", "GET", 1010);
  REQUIRE_OK(headers);
  CHECK(*find_header(*headers, "Authorization") == "DPoP at-1");
  test::DecodedProof p = verified_proof(*find_header(*headers, "DPoP"));
  CHECK(p.claims.at("htm") == "GET");
  CHECK(p.claims.at("htu") == "https://api.example.test/me");
  CHECK(p.claims.at("ath") == base64url_encode(sha256("at-1")));
  CHECK_FALSE(p.claims.contains("nonce"));
  REQUIRE_ERROR(client.authorize_resource("https://evil.example.test/me", "GET", 1010), codes::origin_not_allowed);
}

TEST_CASE("a resource's use_dpop_nonce challenge asks for one more try with its nonce", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  log_in(client);
  HttpResponse challenge(401, {{"WWW-Authenticate", R"(DPoP error="use_dpop_nonce", algs="ES256")"}, {"DPoP-Nonce", "api-n"}}, "");
  CHECK(client.accept_resource_response("https://api.example.test/me", challenge));
  auto headers = client.authorize_resource("https://api.example.test/other", "POST", 1011);
  REQUIRE_OK(headers);
  CHECK(verified_proof(*find_header(*headers, "DPoP")).claims.at("nonce") == "api-n");
  // The API's nonce is not the token endpoint's.
  auto refresh = client.refresh(1012);
  REQUIRE_OK(refresh);
  CHECK_FALSE(request_proof(*refresh->request).claims.contains("nonce"));

  HttpResponse other_error(401, {{"WWW-Authenticate", R"(DPoP error="invalid_token")"}, {"DPoP-Nonce", "api-n2"}}, "");
  CHECK_FALSE(client.accept_resource_response("https://api.example.test/me", other_error));
  HttpResponse no_nonce(401, {{"WWW-Authenticate", R"(DPoP error="use_dpop_nonce")"}}, "");
  CHECK_FALSE(client.accept_resource_response("https://api.example.test/me", no_nonce));
  CHECK_FALSE(client.accept_resource_response("https://evil.example.test/me", challenge));
}

TEST_CASE("logout wipes the DPoP key; the next login has a new one", "[session][dpop][rfc9449]") {
  Client client = client_with(kDpopMetadata);
  log_in(client);
  const std::string first = client.dpop_key()->thumbprint();
  client.logout();
  CHECK_FALSE(client.dpop_key());
  log_in(client);
  CHECK(client.dpop_key()->thumbprint() != first);
}

TEST_CASE("a code bound to a key the session lost is refused before the exchange", "[session][dpop][rfc9449]") {
  Client first = client_with(kDpopMetadata);
  auto start = first.authorize(api_scope(), 1000);  // bound: dpop_jkt sent
  REQUIRE_OK(start);
  Client second = client_with(kDpopMetadata);       // a new page load: a new key
  REQUIRE_ERROR(second.callback(callback_url(start->navigate->state), start->navigate->transaction_json.view(), 1001), codes::dpop_key_lost);

  AuthorizationOptions unbound = api_scope();
  unbound.bind_dpop_key = false;
  auto redirect = first.authorize(unbound, 1000);
  REQUIRE_OK(redirect);
  Client third = client_with(kDpopMetadata);
  auto step = third.callback(callback_url(redirect->navigate->state), redirect->navigate->transaction_json.view(), 1001);
  REQUIRE_OK(step);
  CHECK(find_header(step->request->headers, "DPoP"));
}

TEST_CASE("with PAR the parameters are pushed and the URL holds client_id and request_uri only", "[session][par][rfc9126]") {
  Client client = client_with(std::string(kDpopMetadata) +
                              R"(,"pushed_authorization_request_endpoint":"https://as.example.test/par")");
  auto start = client.authorize(api_scope(), 1000);
  REQUIRE_OK(start);
  REQUIRE(start->kind == Step::Kind::perform);
  CHECK_FALSE(start->navigate);
  CHECK(start->request->method == "POST");
  CHECK(start->request->url == "https://as.example.test/par");
  auto form = parse_form_params(start->request->body);
  REQUIRE_OK(form);
  std::string state, jkt;
  for (const auto& [k, v] : *form) {
    if (k == "state") state = v;
    if (k == "dpop_jkt") jkt = v;
  }
  CHECK(start->request->body.find("code_challenge_method=S256") != std::string::npos);
  CHECK(start->request->body.find("client_id=spa") != std::string::npos);
  CHECK(jkt == client.dpop_key()->thumbprint());

  auto pushed_step = client.resume(json_response(201, R"({"request_uri":"urn:ietf:params:oauth:request_uri:abc","expires_in":60})"), 1000);
  REQUIRE_OK(pushed_step);
  REQUIRE(pushed_step->kind == Step::Kind::navigate);
  const Navigation* pushed = &*pushed_step->navigate;
  CHECK(pushed->url == "https://as.example.test/auth?client_id=spa&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc");
  CHECK(pushed->state == state);
  auto step = client.callback(callback_url(pushed->state), "", 1001);
  REQUIRE_OK(step);
  CHECK(step->request);
}

TEST_CASE("a failed or malformed push leaves no transaction behind", "[session][par][rfc9126]") {
  Client client = client_with(R"(,"pushed_authorization_request_endpoint":"https://as.example.test/par")");
  for (const auto& response :
       {json_response(400, R"({"error":"invalid_request"})"), json_response(201, R"({"request_uri":"","expires_in":60})"),
        json_response(201, R"({"request_uri":"urn:x","expires_in":0})"), json_response(201, R"({"expires_in":60})"),
        HttpResponse(201, {}, R"({"request_uri":"urn:x","expires_in":60})"),
        json_response(201, R"({"request_uri":"urn:x y","expires_in":60})")}) {
    auto start = client.authorize(api_scope(), 1000);
    REQUIRE_OK(start);
    REQUIRE_FALSE(client.resume(response, 1000).ok());
    REQUIRE_ERROR(client.resume(response, 1000), codes::out_of_order);
  }
}

TEST_CASE("PAR is used when required, and refused to be skipped", "[session][par][rfc9126]") {
  const std::string required = R"(,"pushed_authorization_request_endpoint":"https://as.example.test/par",)"
                               R"("require_pushed_authorization_requests":true)";
  REQUIRE(client_with(required).authorize(api_scope(), 1000)->kind == Step::Kind::perform);
  REQUIRE_ERROR(client_with(required, R"(,"par":false)").authorize(api_scope(), 1000),
                codes::pushed_authorization_required);
  auto plain = client_with("", R"(,"par":false)").authorize(api_scope(), 1000);
  REQUIRE_OK(plain);
  CHECK(plain->kind == Step::Kind::navigate);
  REQUIRE_ERROR(client_with("", R"(,"par":true)").authorize(api_scope(), 1000), codes::invalid_metadata);
}
