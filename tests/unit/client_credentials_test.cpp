// Client Credentials (RFC 6749 §4.4): the request, the client's authentication, the token cache
// and its renewal near expiry, and the server's errors without the secret in them.
#include "grants/client_credentials.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jwk_thumbprint.hpp"
#include "crypto/sha2.hpp"
#include "grants/grants.hpp"
#include "protocol/url.hpp"
#include "dpop_support.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;

namespace {

constexpr const char* kSecret = "s3cret:with/odd+chars";

HttpResponse metadata_response() {
  return test::json_response(200, R"({"issuer":"https://as.example.test",)"
                                  R"("token_endpoint":"https://as.example.test/token",)"
                                  R"("jwks_uri":"https://as.example.test/jwks"})");
}

Client service_client(const char* method = "client_secret_basic", const std::string& extra_settings = "") {
  auto settings = parse_client_settings(std::string(R"({"issuer":"https://as.example.test","clientId":"service",)") +
                                        R"("clientSecret":"s3cret:with/odd+chars","tokenEndpointAuthMethod":")" + method +
                                        R"(","apiOrigins":["https://api.example.test"])" + extra_settings + "}");
  REQUIRE_OK(settings);
  auto client = Client::create(std::move(*settings));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response()));
  return std::move(*client);
}

FormParams body_of(const HttpRequest& request) {
  auto params = parse_form_params(request.body);
  REQUIRE_OK(params);
  return std::move(params).value();
}

GrantOptions options(std::optional<std::string> scope, std::vector<std::string> resource = {}) {
  GrantOptions o;
  o.scope = std::move(scope);
  o.resource = std::move(resource);
  return o;
}

HttpResponse token(const std::string& access_token, int expires_in = 300, const std::string& extra = "") {
  return test::json_response(200, R"({"access_token":")" + access_token + R"(","token_type":"Bearer","expires_in":)" +
                                      std::to_string(expires_in) + extra + "}");
}

}  // namespace

TEST_CASE("client credentials: grant_type, scope, every resource, and the secret in the Basic header", "[client-credentials][rfc6749][rfc8707]") {
  Client client = service_client();
  auto request = build_client_credentials_request(*client.metadata(), client.settings().client,
                                                  options("api:read api:write", {"https://api.example.test/", "https://b.example.test/"}),
                                                  client.settings().auth);
  REQUIRE_OK(request);
  CHECK(request->method == "POST");
  CHECK(request->url == "https://as.example.test/token");
  // RFC 8707 §2: resource is the one parameter that repeats.
  const std::string as_query = "https://body.test/?" + request->body;
  CHECK(test::query_param(as_query, "grant_type") == "client_credentials");
  CHECK(test::query_param(as_query, "scope") == "api:read api:write");
  CHECK(test::query_values(as_query, "resource") ==
        std::vector<std::string>{"https://api.example.test/", "https://b.example.test/"});
  CHECK(test::query_param(as_query, "client_id") == "<absent>");
  CHECK(test::query_param(as_query, "client_secret") == "<absent>");
  // RFC 6749 §2.3.1: both parts form-urlencoded, joined by ':', base64.
  auto authorization = find_header(request->headers, "authorization");
  REQUIRE(authorization);
  CHECK(*authorization == "Basic " + base64_encode(std::string("service:") + percent_encode(kSecret)));
  CHECK(request->body.find("s3cret") == std::string::npos);
}

TEST_CASE("client credentials with client_secret_post: client_id and client_secret in the body", "[client-credentials][rfc6749]") {
  Client client = service_client("client_secret_post");
  auto request = build_client_credentials_request(*client.metadata(), client.settings().client, options(std::nullopt),
                                                  client.settings().auth);
  REQUIRE_OK(request);
  CHECK_FALSE(find_header(request->headers, "authorization"));
  CHECK(body_of(*request) == FormParams{{"grant_type", "client_credentials"}, {"client_id", "service"}, {"client_secret", kSecret}});
}

TEST_CASE("client credentials needs a client secret (RFC 6749 §4.4.2)", "[client-credentials][rfc6749]") {
  auto settings = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"public"})");
  REQUIRE_OK(settings);
  auto client = Client::create(std::move(*settings));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response()));
  ClientCredentialsGrant grant;
  REQUIRE_ERROR(grant.start(*client, options("api:read"), 1000), codes::invalid_argument);
}

TEST_CASE("client credentials: options are read strictly", "[client-credentials]") {
  REQUIRE_OK(parse_grant_options(""));
  REQUIRE_OK(parse_grant_options(R"({"scope":"api:read","resource":["https://api.example.test/"]})"));
  REQUIRE_ERROR(parse_grant_options(R"({"scope":"a  b"})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_grant_options(R"({"scope":7})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_grant_options(R"({"resource":"https://api.example.test/"})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_grant_options(R"({"resource":["https://api.example.test/#f"]})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_grant_options(R"({"resource":["relative/path"]})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_grant_options(R"({"clientSecret":"x"})"), codes::invalid_argument);
}

TEST_CASE("client credentials: the token is kept by the Client and reused until near expiry", "[client-credentials][cache]") {
  Client client = service_client();
  ClientCredentialsGrant grant;
  auto first = grant.start(client, options("api:read"), 1000);
  REQUIRE_OK(first);
  REQUIRE(first->request);
  auto done = grant.resume(client, token("at-1", 300), 1001);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(done->done->user.is_null());
  CHECK(*done->done->expires_at == 1301);
  CHECK(done->done->scope == "api:read");
  CHECK(client.authenticated(1001));

  // The same options: no request while the token is good (lifetime 300 s, renewed 60 s early).
  auto cached = grant.start(client, options("api:read"), 1240);
  REQUIRE_OK(cached);
  REQUIRE(cached->done);
  CHECK_FALSE(cached->request);
  CHECK(*cached->done->expires_at == 1301);

  // Within the margin: a new request, and the new token replaces the old one.
  auto renewal = grant.start(client, options("api:read"), 1241);
  REQUIRE_OK(renewal);
  REQUIRE(renewal->request);
  REQUIRE_OK(grant.resume(client, token("at-2", 300), 1242));
  CHECK(client.tokens()->access_token.view() == "at-2");
  auto again = grant.start(client, options("api:read"), 1243);
  REQUIRE_OK(again);
  CHECK(again->done);
}

TEST_CASE("client credentials: other options, a logout or another token mean a new request", "[client-credentials][cache]") {
  Client client = service_client();
  ClientCredentialsGrant grant;
  REQUIRE_OK(grant.start(client, options("api:read"), 1000));
  REQUIRE_OK(grant.resume(client, token("at-1"), 1000));
  // Each new request is answered with a failed exchange (status 0) before the next start.
  const HttpResponse no_answer(0, {}, "");
  for (GrantOptions other : {options("api:write"), options("api:read", {"https://api.example.test/"}), options(std::nullopt)}) {
    CHECK(grant.start(client, std::move(other), 1001)->request);
    CHECK_FALSE(grant.resume(client, no_answer, 1001).ok());
  }
  CHECK(grant.start(client, options("api:read"), 1001)->done);
  client.logout();
  CHECK(grant.start(client, options("api:read"), 1002)->request);
}

TEST_CASE("client credentials: one request at a time; a start while one waits is out_of_order", "[client-credentials]") {
  // A late answer to a replaced request would otherwise be cached under the new request's options.
  Client client = service_client();
  ClientCredentialsGrant grant;
  REQUIRE(grant.start(client, options("api:read"), 1000)->request);
  REQUIRE_ERROR(grant.start(client, options("api:write"), 1000), codes::out_of_order);
  // The first request's answer is still taken, for its own options.
  auto done = grant.resume(client, token("at-read"), 1001);
  REQUIRE_OK(done);
  CHECK(done->done->scope == "api:read");
  CHECK(grant.start(client, options("api:read"), 1002)->done);
  // A failed exchange (status 0) ends the wait too.
  REQUIRE(grant.start(client, options("api:write"), 1003)->request);
  REQUIRE_ERROR(grant.resume(client, HttpResponse(0, {}, ""), 1003), codes::unexpected_status);
  CHECK(grant.start(client, options("api:write"), 1004)->request);
}

TEST_CASE("client credentials: renewal comes 60 s early, or at half the lifetime when that is sooner", "[client-credentials][cache]") {
  CHECK_FALSE(client_credentials_needs_renewal(1300, 1000, 1239));
  CHECK(client_credentials_needs_renewal(1300, 1000, 1240));
  CHECK_FALSE(client_credentials_needs_renewal(1006, 1000, 1002));  // 6 s token: renewed after 3 s
  CHECK(client_credentials_needs_renewal(1006, 1000, 1003));
  CHECK(client_credentials_needs_renewal(1001, 1000, 1001));
  CHECK(client_credentials_needs_renewal(1000, 1000, 1000));        // expires_in 0
  CHECK_FALSE(client_credentials_needs_renewal(std::nullopt, 1000, 999999));  // no expires_in: kept
}

TEST_CASE("client credentials: a refresh token and an ID token in the answer are dropped", "[client-credentials][rfc6749]") {
  Client client = service_client();
  ClientCredentialsGrant grant;
  REQUIRE_OK(grant.start(client, options("api:read"), 1000));
  auto done = grant.resume(client, token("at-1", 300, R"(,"refresh_token":"rt-1","id_token":"a.b.c")"), 1000);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(client.tokens()->refresh_token.empty());
  CHECK(client.tokens()->id_token.empty());
  CHECK(client.user().is_null());
}

TEST_CASE("client credentials: the server's errors come back typed, without the secret", "[client-credentials][rfc6749]") {
  auto [status, body, code] = GENERATE(table<int, const char*, const char*>({
      {401, R"({"error":"invalid_client","error_description":"client authentication failed"})", "invalid_client"},
      {400, R"({"error":"invalid_target","error_description":"resource indicator is missing, or unknown"})", "invalid_target"},
      {400, R"({"error":"invalid_scope"})", "invalid_scope"},
      {500, "<html>s3cret:with/odd+chars</html>", codes::unexpected_status},
  }));
  Client client = service_client();
  ClientCredentialsGrant grant;
  REQUIRE_OK(grant.start(client, options("api:read"), 1000));
  auto failed = grant.resume(client, test::json_response(status, body), 1000);
  REQUIRE_ERROR(failed, code);
  CHECK(failed.error().blame == Blame::remote);
  CHECK(failed.error().http_status == status);
  const std::string encoded = percent_encode(kSecret);
  CHECK_NO_SECRETS(failed.error(), kSecret, "s3cret", encoded);
  CHECK_FALSE(client.authenticated(1000));
  REQUIRE_ERROR(grant.resume(client, token("at-1"), 1000), codes::out_of_order);
}

TEST_CASE("client credentials: a DPoP-bound token is refused without DPoP", "[client-credentials][rfc9449]") {
  Client client = service_client();
  ClientCredentialsGrant grant;
  REQUIRE_OK(grant.start(client, options("api:read"), 1000));
  REQUIRE_ERROR(grant.resume(client, test::json_response(200, R"({"access_token":"at","token_type":"DPoP"})"), 1000),
                codes::unsupported_token_type);
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("client credentials through the per-client Grants: JSON options, then the token for client.fetch", "[client-credentials]") {
  Client client = service_client();
  Grants grants;
  REQUIRE_ERROR(grants.client_credentials(client, R"({"scope":["api:read"]})", 1000), codes::invalid_argument);
  auto step = grants.client_credentials(client, R"({"scope":"api:read","resource":["https://api.example.test/"]})", 1000);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  REQUIRE_OK(grants.resume(client, token("at-9"), 1000));
  auto headers = client.authorize_resource("https://api.example.test/me", "GET", 1001);
  REQUIRE_OK(headers);
  CHECK((*headers)[0].second == "Bearer at-9");
  CHECK(grants.client_credentials(client, R"({"resource":["https://api.example.test/"],"scope":"api:read"})", 1001)->done);
}

namespace {

HttpResponse nonce_demand(const char* nonce) {
  HttpResponse r = test::json_response(400, R"({"error":"use_dpop_nonce","error_description":"send a nonce"})");
  r.headers.emplace_back("dpop-nonce", nonce);
  return r;
}

HttpResponse dpop_token(const std::string& access_token) {
  return test::json_response(200, R"({"access_token":")" + access_token + R"(","token_type":"DPoP","expires_in":300})");
}

test::DecodedProof proof_of(const HttpRequest& request) {
  auto proof = find_header(request.headers, "dpop");
  REQUIRE(proof);
  return test::verified_proof(*proof);
}

}  // namespace

TEST_CASE("client credentials with DPoP: the token request carries a proof, and the token is DPoP-bound", "[client-credentials][rfc9449]") {
  Client client = service_client("client_secret_basic", R"(,"dpop":true)");
  ClientCredentialsGrant grant;
  auto step = grant.start(client, options("api:read"), 1000);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  const test::DecodedProof p = proof_of(*step->request);
  CHECK(p.header.at("typ") == "dpop+jwt");
  CHECK(p.claims.at("htm") == "POST");
  CHECK(p.claims.at("htu") == "https://as.example.test/token");
  CHECK(p.claims.at("iat") == 1000);
  CHECK_FALSE(p.claims.contains("ath"));
  CHECK(p.header.at("jwk").dump().find("\"d\"") == std::string::npos);
  REQUIRE(client.dpop_key());
  CHECK(jwk_thumbprint_sha256(test::to_value(p.header.at("jwk"))).value() == client.dpop_key()->thumbprint());

  auto done = grant.resume(client, dpop_token("at-bound"), 1000);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(client.tokens()->token_type == TokenType::dpop);
  // The token goes to the API with a proof of the same key, carrying ath (RFC 9449 §7.1).
  auto headers = client.authorize_resource("https://api.example.test/me", "GET", 1001);
  REQUIRE_OK(headers);
  CHECK(*find_header(*headers, "authorization") == "DPoP at-bound");
  const test::DecodedProof api = test::verified_proof(*find_header(*headers, "dpop"));
  CHECK(api.claims.at("ath") == base64url_encode(sha256("at-bound")));
  CHECK(api.header.at("jwk") == p.header.at("jwk"));
}

TEST_CASE("client credentials with DPoP: a Bearer answer is refused unless dpopAllowBearer", "[client-credentials][rfc9449]") {
  Client strict = service_client("client_secret_basic", R"(,"dpop":true)");
  ClientCredentialsGrant grant;
  REQUIRE_OK(grant.start(strict, options("api:read"), 1000));
  auto refused = grant.resume(strict, token("at-plain"), 1000);
  REQUIRE_ERROR(refused, codes::unsupported_token_type);
  CHECK(refused.error().description.find("dpopAllowBearer") != std::string::npos);
  CHECK(strict.tokens() == nullptr);

  Client lenient = service_client("client_secret_basic", R"(,"dpop":true,"dpopAllowBearer":true)");
  ClientCredentialsGrant again;
  REQUIRE_OK(again.start(lenient, options("api:read"), 1000));
  REQUIRE_OK(again.resume(lenient, token("at-plain"), 1000));
  CHECK(lenient.tokens()->token_type == TokenType::bearer);
}

TEST_CASE("client credentials with DPoP: a nonce demand is answered once with a new proof carrying the nonce", "[client-credentials][rfc9449]") {
  Client client = service_client("client_secret_basic", R"(,"dpop":true)");
  ClientCredentialsGrant grant;
  auto first = grant.start(client, options("api:read"), 1000);
  REQUIRE_OK(first);
  const test::DecodedProof before = proof_of(*first->request);
  CHECK_FALSE(before.claims.contains("nonce"));

  auto retry = grant.resume(client, nonce_demand("n-1"), 1001);
  REQUIRE_OK(retry);
  REQUIRE(retry->request);
  CHECK(retry->request->body == first->request->body);  // the same grant request
  const test::DecodedProof after = proof_of(*retry->request);
  CHECK(after.claims.at("nonce") == "n-1");
  CHECK(after.claims.at("iat") == 1001);
  CHECK(after.claims.at("jti") != before.claims.at("jti"));

  // A second demand is the server's error, not another retry.
  REQUIRE_ERROR(grant.resume(client, nonce_demand("n-2"), 1002), "use_dpop_nonce");
  CHECK(client.tokens() == nullptr);
  // The next request already carries the newest nonce.
  auto next = grant.start(client, options("api:read"), 1003);
  REQUIRE_OK(next);
  CHECK(proof_of(*next->request).claims.at("nonce") == "n-2");
  REQUIRE_OK(grant.resume(client, dpop_token("at-1"), 1003));
  CHECK(client.tokens()->token_type == TokenType::dpop);
}

TEST_CASE("client credentials without DPoP in use: no proof, and no retry on a nonce demand", "[client-credentials][rfc9449]") {
  Client client = service_client();  // dpop absent, and the server lists no DPoP algs
  ClientCredentialsGrant grant;
  auto step = grant.start(client, options("api:read"), 1000);
  REQUIRE_OK(step);
  CHECK_FALSE(find_header(step->request->headers, "dpop"));
  REQUIRE_ERROR(grant.resume(client, nonce_demand("n-1"), 1000), "use_dpop_nonce");
  CHECK(client.dpop_key() == nullptr);
}
