// Device Authorization (RFC 8628): the device authorization request and response, the polling
// state machine (pending, slow_down, denied, expired, the deadline, backing off), and the whole
// grant through the Client, with the ID token verified when openid is in scope.
#include "grants/device_authorization.hpp"
#include "grants/device_grant.hpp"
#include "grants/device_poll.hpp"
#include "grants/grants.hpp"

#include "core/error_codes.hpp"
#include "dpop_support.hpp"
#include "jwt_signer.hpp"
#include "protocol/url.hpp"
#include "protocol_fixtures.hpp"
#include "session/client_registry.hpp"

using namespace oauth;

namespace {

constexpr const char* kDeviceCode = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";
constexpr const char* kDeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

HttpResponse metadata_response(bool with_device_endpoint = true) {
  std::string body = R"({"issuer":"https://as.example.test","token_endpoint":"https://as.example.test/token",)"
                     R"("jwks_uri":"https://as.example.test/jwks")";
  if (with_device_endpoint) body += R"(,"device_authorization_endpoint":"https://as.example.test/device/auth")";
  return test::json_response(200, body + "}");
}

Client device_client(const std::string& extra_settings = "", bool with_device_endpoint = true) {
  auto settings = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"device",)"
                                        R"("apiOrigins":["https://api.example.test"])" + extra_settings + "}");
  REQUIRE_OK(settings);
  auto client = Client::create(std::move(*settings));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response(with_device_endpoint)));
  return std::move(*client);
}

FormParams body_of(const HttpRequest& request) {
  auto params = parse_form_params(request.body);
  REQUIRE_OK(params);
  return std::move(params).value();
}

// RFC 8628 §3.2's example, with its optional members switchable.
HttpResponse device_response(const std::string& extra = R"(,"verification_uri_complete":"https://as.example.test/device?user_code=WDJB-MJHT","interval":5)",
                             int expires_in = 1800) {
  return test::json_response(200, std::string(R"({"device_code":")") + kDeviceCode + R"(","user_code":"WDJB-MJHT",)" +
                                      R"("verification_uri":"https://as.example.test/device","expires_in":)" +
                                      std::to_string(expires_in) + extra + "}");
}

// The result a polling step's device_poll event reports.
std::string poll_result(const Step& step) {
  if (!step.event || step.event->type != "device_poll") return "<no device_poll event>";
  return step.event->detail.find("result")->text();
}

HttpResponse oauth_error(const char* code, int status = 400) {
  return test::json_response(status, std::string(R"({"error":")") + code + R"("})");
}

// The error process_token_response reads from the token endpoint's answer (what DevicePoll is told).
Error refusal_of(const HttpResponse& response) { return process_token_response(response).error(); }
Error refusal(const char* code) { return refusal_of(oauth_error(code)); }

// RFC 9449 §8: the token endpoint wants a proof carrying `nonce`.
HttpResponse nonce_demand(const char* nonce) {
  HttpResponse r = oauth_error("use_dpop_nonce");
  r.headers.emplace_back("dpop-nonce", nonce);
  return r;
}

// A DPoP client's device flow, answered up to its first poll (due at 1005).
void start_polling(Client& client, Grants& grants) {
  REQUIRE_OK(grants.device_start(client, R"({"scope":"api:read"})"));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
}

HttpResponse tokens(const std::string& extra = "") {
  return test::json_response(200, R"({"access_token":"at-dev","token_type":"Bearer","expires_in":600,"refresh_token":"rt-dev")" + extra + "}");
}

}  // namespace

// --- the device authorization request and response (§3.1, §3.2) -----------------------------

TEST_CASE("device authorization request: client_id, scope and resource posted to the device endpoint", "[device][rfc8628]") {
  Client client = device_client();
  GrantOptions options;
  options.scope = "openid profile";
  options.resource = {"https://api.example.test/"};
  auto request = build_device_authorization_request(*client.metadata(), client.settings().client, options, client.settings().auth);
  REQUIRE_OK(request);
  CHECK(request->method == "POST");
  CHECK(request->url == "https://as.example.test/device/auth");
  CHECK(find_header(request->headers, "content-type") == std::optional<std::string_view>("application/x-www-form-urlencoded"));
  CHECK(body_of(*request) == FormParams{{"scope", "openid profile"}, {"resource", "https://api.example.test/"}, {"client_id", "device"}});
}

TEST_CASE("device authorization request: a confidential client authenticates (§3.1)", "[device][rfc8628]") {
  Client client = device_client(R"(,"clientSecret":"dev-secret")");
  auto request = build_device_authorization_request(*client.metadata(), client.settings().client, {}, client.settings().auth);
  REQUIRE_OK(request);
  CHECK(find_header(request->headers, "authorization"));
  CHECK(body_of(*request).empty());
}

TEST_CASE("device authorization request: a server without the endpoint is device_flow_not_supported", "[device][rfc8628]") {
  Client client = device_client("", false);
  REQUIRE_ERROR(build_device_authorization_request(*client.metadata(), client.settings().client, {}, client.settings().auth),
                codes::device_flow_not_supported);
}

TEST_CASE("device authorization response: every member read (§3.2)", "[device][rfc8628]") {
  auto parsed = process_device_authorization_response(device_response());
  REQUIRE_OK(parsed);
  CHECK(parsed->device_code.view() == kDeviceCode);
  CHECK(parsed->user_code == "WDJB-MJHT");
  CHECK(parsed->verification_uri == "https://as.example.test/device");
  CHECK(parsed->verification_uri_complete == std::optional<std::string>("https://as.example.test/device?user_code=WDJB-MJHT"));
  CHECK(parsed->expires_in == 1800);
  CHECK(parsed->interval == 5);
}

TEST_CASE("device authorization response: interval defaults to 5, verification_uri_complete is optional", "[device][rfc8628]") {
  auto parsed = process_device_authorization_response(device_response(""));
  REQUIRE_OK(parsed);
  CHECK(parsed->interval == kDefaultPollInterval);
  CHECK_FALSE(parsed->verification_uri_complete);
  auto letters = process_device_authorization_response(test::json_response(
      200, R"({"device_code":"d","user_code":"ÄÖÜ-ЖЯ","verification_uri":"https://as.example.test/d","expires_in":60})"));
  REQUIRE_OK(letters);  // letters beyond ASCII are shown as they are
  CHECK(letters->user_code == "ÄÖÜ-ЖЯ");
  auto loopback = process_device_authorization_response(test::json_response(
      200, R"({"device_code":"d","user_code":"U","verification_uri":"http://127.0.0.1:4000/device","expires_in":60,"interval":2})"));
  REQUIRE_OK(loopback);
  CHECK(loopback->interval == 2);
}

TEST_CASE("device authorization response: malformed answers are refused without echoing the device code", "[device][rfc8628]") {
  auto [body, why] = GENERATE(table<std::string, const char*>({
      {R"({"user_code":"U","verification_uri":"https://as.example.test/d","expires_in":60})", "no device_code"},
      {R"({"device_code":"","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":60})", "empty device_code"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","verification_uri":"https://as.example.test/d","expires_in":60})", "no user_code"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U\u0007","verification_uri":"https://as.example.test/d","expires_in":60})", "control character"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U\u009b2J","verification_uri":"https://as.example.test/d","expires_in":60})", "C1 control (CSI)"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"WDJB-\u202eTHJM","verification_uri":"https://as.example.test/d","expires_in":60})", "right-to-left override"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"WDJB\u2066MJHT","verification_uri":"https://as.example.test/d","expires_in":60})", "left-to-right isolate"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","expires_in":60})", "no verification_uri"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"http://as.example.test/d","expires_in":60})", "http"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"javascript:void","expires_in":60})", "javascript:"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","verification_uri_complete":"data:x","expires_in":60})", "complete not https"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d"})", "no expires_in"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":"60"})", "expires_in string"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":0})", "expires_in 0"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":60,"interval":-1})", "negative interval"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":60,"interval":5.5})", "fractional interval"},
      {R"({"device_code":"GmRhmhcxhwAzkoEqiMEg","device_code":"GmRhmhcxhwAzkoEqiMEg","user_code":"U","verification_uri":"https://as.example.test/d","expires_in":60})", "repeated member"},
      {R"(["GmRhmhcxhwAzkoEqiMEg"])", "not an object"},
  }));
  INFO(why);
  auto parsed = process_device_authorization_response(test::json_response(200, body));
  REQUIRE_ERROR(parsed, codes::invalid_response);
  CHECK(parsed.error().blame == Blame::remote);
  CHECK_NO_SECRETS(parsed.error(), "GmRhmhcxhwAzkoEqiMEg");
}

TEST_CASE("device authorization response: the label, the status and the server's errors", "[device][rfc8628]") {
  REQUIRE_ERROR(process_device_authorization_response(test::json_response(200, R"({"device_code":"d"})", "text/plain")),
                codes::invalid_response);
  auto denied = process_device_authorization_response(oauth_error("invalid_client", 401));
  REQUIRE_ERROR(denied, "invalid_client");
  CHECK(denied.error().http_status == 401);
  REQUIRE_ERROR(process_device_authorization_response(HttpResponse(502, {}, "<h1>bad gateway</h1>")), codes::unexpected_status);
}

TEST_CASE("device access token request: the device_code grant type and the device code (§3.4)", "[device][rfc8628]") {
  Client client = device_client();
  Secret device_code(kDeviceCode);
  auto request = build_device_token_request(*client.metadata(), client.settings().client, device_code, client.settings().auth);
  REQUIRE_OK(request);
  CHECK(request->url == "https://as.example.test/token");
  CHECK(body_of(*request) == FormParams{{"grant_type", kDeviceGrant}, {"device_code", kDeviceCode}, {"client_id", "device"}});
}

// --- the polling state machine (§3.4, §3.5) -------------------------------------------------

TEST_CASE("polling: wait the interval, then authorization_pending keeps polling at the same pace", "[device][poll][rfc8628]") {
  DevicePoll poll(5, 600, 1000);
  auto first = poll.first(1000);
  REQUIRE_OK(first);
  CHECK(first->wait_seconds == 5);
  CHECK(first->reason.empty());
  for (std::int64_t t = 1005; t < 1100; t += 5) {
    auto next = poll.on_error(refusal("authorization_pending"), t);
    REQUIRE_OK(next);
    CHECK(next->wait_seconds == 5);
    CHECK(next->reason == "authorization_pending");
  }
}

TEST_CASE("polling: slow_down adds 5 s for this and every later poll (§3.5)", "[device][poll][rfc8628]") {
  DevicePoll poll(5, 600, 1000);
  auto slower = poll.on_error(refusal("slow_down"), 1005);
  REQUIRE_OK(slower);
  CHECK(slower->wait_seconds == 10);
  CHECK(slower->reason == "slow_down");
  auto pending = poll.on_error(refusal("authorization_pending"), 1015);
  REQUIRE_OK(pending);
  CHECK(pending->wait_seconds == 10);
  auto slower_still = poll.on_error(refusal("slow_down"), 1025);
  REQUIRE_OK(slower_still);
  CHECK(slower_still->wait_seconds == 15);
  CHECK(poll.interval() == 15);
}

TEST_CASE("polling: access_denied and expired_token from the server end it with typed errors", "[device][poll][rfc8628]") {
  auto code = GENERATE("access_denied", "expired_token", "invalid_grant", "invalid_client");
  DevicePoll poll(5, 600, 1000);
  auto ended = poll.on_error(refusal(code), 1005);
  REQUIRE_ERROR(ended, code);
  CHECK(ended.error().blame == Blame::remote);
  CHECK(ended.error().http_status == 400);
}

TEST_CASE("polling: a poll that would fall at or after expires_in is not made: expired_token", "[device][poll][rfc8628]") {
  DevicePoll poll(5, 12, 1000);  // deadline 1012
  REQUIRE_OK(poll.first(1000));
  auto second = poll.on_error(refusal("authorization_pending"), 1005);  // next at 1010
  REQUIRE_OK(second);
  auto late = poll.on_error(refusal("authorization_pending"), 1010);   // next at 1015
  REQUIRE_ERROR(late, codes::expired_token);
  CHECK(poll.deadline() == 1012);
  // A code that expires before the first poll could happen is given up at once.
  REQUIRE_ERROR(DevicePoll(5, 5, 1000).first(1000), codes::expired_token);
  // slow_down can push the next poll past the deadline too.
  DevicePoll slowed(5, 14, 1000);
  REQUIRE_ERROR(slowed.on_error(refusal("slow_down"), 1005), codes::expired_token);
}

TEST_CASE("polling: a malformed success or a server failure ends it with that error", "[device][poll][rfc8628]") {
  DevicePoll other(5, 600, 1000);
  REQUIRE_ERROR(other.on_error(refusal_of(test::json_response(200, R"({"token_type":"Bearer"})")), 1005), codes::invalid_response);
  REQUIRE_ERROR(other.on_error(refusal_of(HttpResponse(503, {}, "busy")), 1005), codes::unexpected_status);
}

TEST_CASE("polling: an interval of 0 still waits 1 s; no answer doubles the interval up to 300 s", "[device][poll][rfc8628]") {
  DevicePoll fast(0, 600, 1000);
  CHECK(fast.first(1000)->wait_seconds == kMinPollInterval);
  DevicePoll poll(5, 100000, 1000);
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    auto next = poll.on_no_response(1000);
    REQUIRE_OK(next);
    CHECK(next->reason == "no_response");
    waits.push_back(next->wait_seconds);
  }
  CHECK(waits == std::vector<std::int64_t>{10, 20, 40, 80, 160, 300, 300, 300});
}

// --- the grant through the Client -----------------------------------------------------------

TEST_CASE("device grant: request, prompt, pending, slow_down, tokens held by the Client", "[device][grant][rfc8628]") {
  Client client = device_client();
  Grants grants;
  auto request = grants.device_start(client, R"({"scope":"api:read offline_access"})");
  REQUIRE_OK(request);
  CHECK(request->request->url == "https://as.example.test/device/auth");

  auto first = grants.resume(client, device_response(), 1000);
  REQUIRE_OK(first);
  REQUIRE(first->event);
  REQUIRE(first->event->type == "device_code");
  CHECK(first->event->detail.find("userCode")->text() == "WDJB-MJHT");
  CHECK(first->event->detail.find("verificationUri")->text() == "https://as.example.test/device");
  CHECK(first->event->detail.find("expiresIn")->as_integer() == 1800);
  CHECK(first->event->detail.find("interval")->as_integer() == 5);
  REQUIRE(first->request);
  CHECK(first->wait_seconds == 5);
  CHECK(body_of(*first->request) == FormParams{{"grant_type", kDeviceGrant}, {"device_code", kDeviceCode}, {"client_id", "device"}});

  auto pending = grants.resume(client, oauth_error("authorization_pending"), 1005);
  REQUIRE_OK(pending);
  CHECK(pending->event->type == "device_poll");
  CHECK(poll_result(*pending) == "authorization_pending");
  auto slow = grants.resume(client, oauth_error("slow_down"), 1010);
  REQUIRE_OK(slow);
  CHECK(slow->wait_seconds == 10);
  CHECK(slow->event->detail.find("interval")->as_integer() == 10);
  CHECK_FALSE(client.authenticated(1010));

  auto done = grants.resume(client, tokens(R"(,"scope":"api:read offline_access")"), 1020);
  REQUIRE_OK(done);
  CHECK_FALSE(done->request);
  REQUIRE(done->kind == Step::Kind::done);
  REQUIRE(done->done);
  CHECK(done->done->user.is_null());
  CHECK(*done->done->expires_at == 1620);
  CHECK(client.authenticated(1020));
  CHECK(client.has_refresh_token());
  // The flow is over: nothing more to resume.
  REQUIRE_ERROR(grants.resume(client, tokens(), 1021), codes::out_of_order);
}

TEST_CASE("device grant: access_denied ends it and wipes the flow", "[device][grant][rfc8628]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, ""));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  REQUIRE_ERROR(grants.resume(client, oauth_error("access_denied"), 1005), "access_denied");
  REQUIRE_ERROR(grants.resume(client, oauth_error("authorization_pending"), 1010), codes::out_of_order);
  REQUIRE_ERROR(grants.resume(client, HttpResponse(0, {}, ""), 1010), codes::out_of_order);
  CHECK_FALSE(client.authenticated(1010));
}

TEST_CASE("device grant: the deadline ends polling with expired_token", "[device][grant][rfc8628]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, ""));
  REQUIRE_OK(grants.resume(client, device_response("", 11), 1000));  // polls at 1005, 1010
  REQUIRE_OK(grants.resume(client, oauth_error("authorization_pending"), 1005));
  REQUIRE_ERROR(grants.resume(client, oauth_error("authorization_pending"), 1010), codes::expired_token);
  REQUIRE_ERROR(grants.resume(client, tokens(), 1011), codes::out_of_order);
}

TEST_CASE("device grant: no answer to a poll backs off; cancel drops the flow", "[device][grant][rfc8628]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, ""));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  auto backoff = grants.resume(client, HttpResponse(0, {}, ""), 1005);
  REQUIRE_OK(backoff);
  CHECK(backoff->wait_seconds == 10);
  CHECK(backoff->request);
  grants.device_cancel();
  REQUIRE_ERROR(grants.resume(client, tokens(), 1015), codes::out_of_order);
  CHECK_FALSE(client.authenticated(1015));
}

TEST_CASE("device grant: an unusable device authorization response ends it", "[device][grant][rfc8628]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, ""));
  REQUIRE_ERROR(grants.resume(client, oauth_error("invalid_scope"), 1000), "invalid_scope");
  REQUIRE_ERROR(grants.resume(client, device_response(), 1001), codes::out_of_order);
}

TEST_CASE("device grant: openid in scope means an ID token, verified by the Client against the JWKS", "[device][grant][oidc]") {
  test::JwtSigner signer("dev-key");
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, R"({"scope":"openid profile"})"));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  nlohmann::json claims = {{"iss", "https://as.example.test"}, {"sub", "dave"}, {"aud", "device"}, {"iat", 1004},
                           {"exp", 1004 + 3600}, {"at_hash", test::at_hash_es256("at-dev")}};
  auto jwks_step = grants.resume(client, tokens(R"(,"id_token":")" + signer.sign(claims) + "\""), 1005);
  REQUIRE_OK(jwks_step);
    REQUIRE(jwks_step->request);
  CHECK(jwks_step->request->url == "https://as.example.test/jwks");
  CHECK_FALSE(client.authenticated(1005));
  auto done = grants.resume(client, test::json_response(200, signer.jwks()), 1006);  // handed on to the Client
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(test::to_nlohmann(done->done->user)["sub"] == "dave");
  CHECK(test::to_nlohmann(client.user())["sub"] == "dave");
  CHECK(client.authenticated(1006));
}

TEST_CASE("device grant: an ID token for another audience leaves no session", "[device][grant][oidc]") {
  test::JwtSigner signer("dev-key");
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, R"({"scope":"openid"})"));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  nlohmann::json claims = {{"iss", "https://as.example.test"}, {"sub", "dave"}, {"aud", "someone-else"}, {"iat", 1004}, {"exp", 5000}};
  REQUIRE_OK(grants.resume(client, tokens(R"(,"id_token":")" + signer.sign(claims) + "\""), 1005));
  REQUIRE_ERROR(client.resume(test::json_response(200, signer.jwks()), 1006), codes::id_token_invalid);
  CHECK_FALSE(client.authenticated(1006));
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("device grant: an openid grant answered without an ID token is refused", "[device][grant][oidc]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, R"({"scope":"openid profile"})"));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  REQUIRE_ERROR(grants.resume(client, tokens(), 1005), codes::id_token_invalid);
  CHECK_FALSE(client.authenticated(1005));
  // When the server narrowed the grant to no openid, none is due.
  REQUIRE_OK(grants.device_start(client, R"({"scope":"openid api:read"})"));
  REQUIRE_OK(grants.resume(client, device_response(), 1010));
  auto done = grants.resume(client, tokens(R"(,"scope":"api:read")"), 1015);
  REQUIRE_OK(done);
  CHECK(client.authenticated(1015));
}

TEST_CASE("device grant: a second start replaces a running flow; no start before discovery", "[device][grant]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, ""));
  REQUIRE_OK(grants.resume(client, device_response(), 1000));
  REQUIRE_OK(grants.device_start(client, ""));
  auto fresh = grants.resume(client, device_response(), 1001);
  REQUIRE_OK(fresh);
  CHECK(fresh->event->type == "device_code");

  auto settings = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"device"})");
  REQUIRE_OK(settings);
  auto bare = Client::create(std::move(*settings));
  REQUIRE_OK(bare);
  REQUIRE_ERROR(grants.device_start(*bare, ""), codes::out_of_order);
}

TEST_CASE("a running device flow is dropped with its client when the client registry removes it", "[device][grant][registry]") {
  const int handle = client_registry().add(device_client());
  const int other = client_registry().add(device_client());
  Client* client = client_registry().find(handle);
  Client* kept = client_registry().find(other);
  REQUIRE(client);
  REQUIRE(kept);
  REQUIRE_OK(grant_registry().of(handle).device_start(*client, ""));
  REQUIRE_OK(grant_registry().of(other).device_start(*kept, ""));
  REQUIRE_OK(grant_registry().of(handle).resume(*client, device_response(), 1000));
  REQUIRE_OK(grant_registry().of(other).resume(*kept, device_response(), 1000));

  client_registry().remove(handle);
  CHECK(client_registry().find(handle) == nullptr);
  Client fresh = device_client();  // the removed handle has no grant state left to poll with
  REQUIRE_ERROR(grant_registry().of(handle).resume(fresh, HttpResponse(0, {}, ""), 1005), codes::out_of_order);
  REQUIRE_OK(grant_registry().of(other).resume(*kept, HttpResponse(0, {}, ""), 1005));  // the other client's flow runs on
  client_registry().remove(other);
  grant_registry().remove(handle);
}

TEST_CASE("device grant with DPoP: each poll carries a proof for its due time; a nonce demand is polled again at once", "[device][grant][rfc9449]") {
  Client client = device_client(R"(,"dpop":true)");
  Grants grants;
  auto start = grants.device_start(client, R"({"scope":"api:read"})");
  REQUIRE_OK(start);
  CHECK_FALSE(find_header(start->request->headers, "dpop"));  // the device authorization endpoint is not a token endpoint
  auto first = grants.resume(client, device_response(), 1000);
  REQUIRE_OK(first);
  REQUIRE(first->request);
  CHECK(first->wait_seconds == 5);
  const test::DecodedProof p = test::verified_proof(*find_header(first->request->headers, "dpop"));
  CHECK(p.claims.at("htm") == "POST");
  CHECK(p.claims.at("htu") == "https://as.example.test/token");
  CHECK(p.claims.at("iat") == 1005);  // made for when the poll is due

  HttpResponse demand = nonce_demand("n-1");
  auto again = grants.resume(client, demand, 1005);
  REQUIRE_OK(again);
  REQUIRE(again->request);
  CHECK(again->wait_seconds == 0);
  CHECK(poll_result(*again) == "use_dpop_nonce");
  CHECK(again->request->body == first->request->body);
  const test::DecodedProof retried = test::verified_proof(*find_header(again->request->headers, "dpop"));
  CHECK(retried.claims.at("nonce") == "n-1");
  CHECK(retried.claims.at("iat") == 1005);

  // Pending again: the next poll keeps the nonce and waits the interval.
  auto pending = grants.resume(client, oauth_error("authorization_pending"), 1006);
  REQUIRE_OK(pending);
  CHECK(pending->wait_seconds == 5);
  CHECK(test::verified_proof(*find_header(pending->request->headers, "dpop")).claims.at("nonce") == "n-1");
  // A nonce demand after a fresh poll is retried again (once per poll).
  HttpResponse rotated = nonce_demand("n-2");
  auto retried_again = grants.resume(client, rotated, 1011);
  REQUIRE_OK(retried_again);
  CHECK(poll_result(*retried_again) == "use_dpop_nonce");

  auto done = grants.resume(client, test::json_response(200, R"({"access_token":"at-dev","token_type":"DPoP","expires_in":600})"), 1011);
  REQUIRE_OK(done);
  REQUIRE(done->kind == Step::Kind::done);
  CHECK(done->done);
  CHECK(client.tokens()->token_type == TokenType::dpop);
}

TEST_CASE("device grant with DPoP: a second nonce demand for the same poll ends the flow with the server's error", "[device][grant][rfc9449]") {
  Client client = device_client(R"(,"dpop":true)");
  Grants grants;
  start_polling(client, grants);
  HttpResponse demand = nonce_demand("n-1");
  REQUIRE_OK(grants.resume(client, demand, 1005));
  HttpResponse second = nonce_demand("n-2");
  REQUIRE_ERROR(grants.resume(client, second, 1005), "use_dpop_nonce");
  REQUIRE_ERROR(grants.resume(client, tokens(), 1006), codes::out_of_order);  // the flow has ended
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("device grant without DPoP: no proof on the polls, and a DPoP-bound answer is refused", "[device][grant][rfc9449]") {
  Client client = device_client();
  Grants grants;
  REQUIRE_OK(grants.device_start(client, R"({"scope":"api:read"})"));
  auto first = grants.resume(client, device_response(), 1000);
  REQUIRE_OK(first);
  CHECK_FALSE(find_header(first->request->headers, "dpop"));
  REQUIRE_ERROR(grants.resume(client, test::json_response(200, R"({"access_token":"at","token_type":"DPoP"})"), 1005),
                codes::unsupported_token_type);
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("device grant with DPoP: after a poll without an answer, the next poll may again be retried once for a nonce", "[device][grant][rfc9449]") {
  Client client = device_client(R"(,"dpop":true)");
  Grants grants;
  start_polling(client, grants);
  HttpResponse demand = nonce_demand("n-1");
  auto retried = grants.resume(client, demand, 1005);
  REQUIRE_OK(retried);
  CHECK(poll_result(*retried) == "use_dpop_nonce");
  // The retried poll gets no answer: the next one waits longer, and is a new poll.
  auto backed_off = grants.resume(client, HttpResponse(0, {}, ""), 1035);
  REQUIRE_OK(backed_off);
  REQUIRE(backed_off->request);
  HttpResponse rotated = nonce_demand("n-2");
  auto again = grants.resume(client, rotated, 1045);
  REQUIRE_OK(again);
  CHECK(poll_result(*again) == "use_dpop_nonce");
  CHECK(test::verified_proof(*find_header(again->request->headers, "dpop")).claims.at("nonce") == "n-2");
}
