#include "session/client.hpp"

#include "core/error_codes.hpp"
#include "protocol/limits.hpp"
#include "protocol/url.hpp"
#include "jwt_signer.hpp"
#include "json_value_support.hpp"
#include "support.hpp"

using namespace oauth;

namespace {

const char* kIssuer = "https://as.example.test";
const char* kRedirect = "https://app.example.test/callback";

// `extra`: more members of the options object, each with its leading comma.
ClientSettings settings(const std::string& extra = "") {
  auto s = parse_client_settings(
      R"({"issuer":"https://as.example.test","clientId":"spa","redirectUri":"https://app.example.test/callback",)"
      R"("apiOrigins":["https://api.example.test"])" + extra + "}");
  REQUIRE_OK(s);
  return std::move(*s);
}

HttpResponse json_response(int status, std::string body) {
  return HttpResponse(status, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(body));
}

// `extra`: more members of the metadata, each with its leading comma.
HttpResponse metadata_response(const std::string& extra = "") {
  return json_response(200, R"({"issuer":"https://as.example.test",)"
                            R"("authorization_endpoint":"https://as.example.test/auth",)"
                            R"("token_endpoint":"https://as.example.test/token",)"
                            R"("jwks_uri":"https://as.example.test/jwks",)"
                            R"("code_challenge_methods_supported":["S256"],)"
                            R"("authorization_response_iss_parameter_supported":true)" + extra + "}");
}

Client ready_client(const std::string& metadata_extra = "", const std::string& settings_extra = "") {
  auto client = Client::create(settings(settings_extra));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response(metadata_extra)));
  return std::move(*client);
}

std::string query_param(const std::string& url, const std::string& name) {
  auto parsed = parse_url(url);
  REQUIRE_OK(parsed);
  auto params = parse_form_params(parsed->query.value_or(""));
  REQUIRE_OK(params);
  for (const auto& [k, v] : *params)
    if (k == name) return v;
  return {};
}

std::string callback_url(const std::string& state, const std::string& code = "the-code") {
  return std::string(kRedirect) + "?code=" + code + "&state=" + state + "&iss=https%3A%2F%2Fas.example.test";
}

// Plain OAuth (no openid scope): no ID token is due. The OIDC tests below sign real ones.
AuthorizationOptions oauth_only() {
  AuthorizationOptions o;
  o.scope = "api:read";
  return o;
}

const char* kTokenBody = R"({"access_token":"at-123","token_type":"Bearer","expires_in":300,)"
                         R"("refresh_token":"rt-456","scope":"api:read"})";

}  // namespace

TEST_CASE("a login runs from authorize to an authenticated session", "[session][rfc6749][rfc7636]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  CHECK(query_param(start->navigate->url, "state") == start->navigate->state);
  CHECK(query_param(start->navigate->url, "code_challenge_method") == "S256");

  auto step = client.callback(callback_url(start->navigate->state), "", 1010);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  CHECK(step->request->url == "https://as.example.test/token");
  CHECK(step->request->body.find("grant_type=authorization_code") != std::string::npos);
  CHECK(step->request->body.find("code_verifier=") != std::string::npos);

  auto done = client.resume(json_response(200, kTokenBody), 1011);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(*done->done->expires_at == 1311);
  CHECK(client.authenticated(1011));
  CHECK_FALSE(client.authenticated(1311));
}

TEST_CASE("a replayed callback finds no transaction", "[session][rfc6749]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_ERROR(client.callback(callback_url(start->navigate->state), "", 1002), codes::state_mismatch);
}

TEST_CASE("a failed callback still uses up its transaction", "[session][rfc9207]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  std::string forged = std::string(kRedirect) + "?code=x&state=" + start->navigate->state + "&iss=https%3A%2F%2Fevil.example.test";
  REQUIRE_ERROR(client.callback(forged, "", 1001), codes::iss_mismatch);
  REQUIRE_ERROR(client.callback(callback_url(start->navigate->state), "", 1002), codes::state_mismatch);
}

TEST_CASE("a callback refused before validation still uses up its transaction", "[session][rfc9700]") {
  Client client = ready_client();
  auto implicit = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(implicit);
  // A code in the fragment is the implicit or hybrid flow (OAuth 2.1 §4): refused, and spent.
  REQUIRE_ERROR(client.callback(callback_url(implicit->navigate->state) + "#code=x", "", 1001), codes::implicit_flow_refused);
  REQUIRE_ERROR(client.callback(callback_url(implicit->navigate->state), "", 1002), codes::state_mismatch);

  auto elsewhere = client.authorize(oauth_only(), 1003);
  REQUIRE_OK(elsewhere);
  REQUIRE_ERROR(client.callback("https://app.example.test/other?code=c&state=" + elsewhere->navigate->state, "", 1004),
                codes::redirect_uri_mismatch);
  REQUIRE_ERROR(client.callback(callback_url(elsewhere->navigate->state), "", 1005), codes::state_mismatch);
}

TEST_CASE("a callback longer than kMaxCallbackUrlBytes is refused unread, its transaction kept", "[session][limits]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  // A link anyone can send: the right state, and 64 KB of parameters the worker must not read.
  std::string hostile = callback_url(start->navigate->state);
  for (int i = 0; hostile.size() <= 64 * 1024; ++i) hostile += "&p" + std::to_string(i) + "=1";
  auto refused = client.callback(hostile, "", 1001);
  REQUIRE_ERROR(refused, codes::invalid_callback);
  CHECK(refused.error().description == "the callback URL is longer than 8192 bytes");
  CHECK(client.tokens() == nullptr);
  // Never read, so its state was not read either: the real callback still finds its transaction.
  auto step = client.callback(callback_url(start->navigate->state), "", 1002);
  REQUIRE_OK(step);
  CHECK(step->request);
}

TEST_CASE("a login may name the silent redirect URI; its callback must come back there", "[session][rfc6749]") {
  const char* kSilent = "https://app.example.test/silent-callback";
  auto s = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"spa",)"
                                 R"("redirectUri":"https://app.example.test/callback",)"
                                 R"("silentRedirectUri":"https://app.example.test/silent-callback"})");
  REQUIRE_OK(s);
  auto created = Client::create(std::move(*s));
  REQUIRE_OK(created);
  Client client = std::move(*created);
  REQUIRE_OK(client.accept_metadata(metadata_response()));
  AuthorizationOptions silent = oauth_only();
  silent.redirect_uri = kSilent;
  silent.prompt = "none";

  auto start = client.authorize(silent, 1000);
  REQUIRE_OK(start);
  CHECK(query_param(start->navigate->url, "redirect_uri") == kSilent);
  auto step = client.callback(std::string(kSilent) + "?code=c&state=" + start->navigate->state + "&iss=https%3A%2F%2Fas.example.test",
                              "", 1001);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  CHECK(step->request->body.find("redirect_uri=https%3A%2F%2Fapp.example.test%2Fsilent-callback") != std::string::npos);

  // The silent transaction's answer at the client's own redirect URI is refused, and spent.
  auto other = client.authorize(silent, 1002);
  REQUIRE_OK(other);
  REQUIRE_ERROR(client.callback(callback_url(other->navigate->state), "", 1003), codes::redirect_uri_mismatch);
  REQUIRE_ERROR(client.callback(std::string(kSilent) + "?code=c&state=" + other->navigate->state, "", 1004), codes::state_mismatch);
  // A state no transaction holds, at the silent page: state_mismatch.
  REQUIRE_ERROR(client.callback(std::string(kSilent) + "?code=c&state=unknown", "", 1004), codes::state_mismatch);
  // And the other way round: a default login answered at the silent URI.
  auto plain = client.authorize(oauth_only(), 1005);
  REQUIRE_OK(plain);
  REQUIRE_ERROR(client.callback(std::string(kSilent) + "?code=c&state=" + plain->navigate->state, "", 1006), codes::redirect_uri_mismatch);

  // A URI the settings do not name, even one differing only in case or a trailing slash.
  for (const char* uri : {"https://app.example.test/elsewhere", "https://app.example.test/silent-callback/",
                          "https://APP.example.test/silent-callback"}) {
    AuthorizationOptions o = oauth_only();
    o.redirect_uri = uri;
    REQUIRE_ERROR(client.authorize(o, 1007), codes::invalid_argument);
  }
  // Without a silentRedirectUri, only the client's own.
  Client plain_client = ready_client();
  REQUIRE_ERROR(plain_client.authorize(silent, 1008), codes::invalid_argument);
}

TEST_CASE("silentRedirectUri needs a distinct redirectUri", "[session]") {
  REQUIRE_ERROR(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"c",)"
                                      R"("silentRedirectUri":"https://a.test/silent"})"),
                codes::invalid_argument);
  REQUIRE_ERROR(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"c",)"
                                      R"("redirectUri":"https://a.test/cb","silentRedirectUri":"https://a.test/cb"})"),
                codes::invalid_argument);
  auto options = parse_authorization_options(R"({"redirectUri":"https://a.test/silent","prompt":"none"})");
  REQUIRE_OK(options);
  CHECK(options->redirect_uri == "https://a.test/silent");
}

TEST_CASE("the redirect mode brings its transaction back from storage", "[session]") {
  Client first = ready_client();
  auto start = first.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  // A new page load: a new client, the transaction only in the stored copy.
  Client second = ready_client();
  auto step = second.callback(callback_url(start->navigate->state), start->navigate->transaction_json.view(), 1005);
  REQUIRE_OK(step);
  CHECK(step->request);
}

TEST_CASE("a stored transaction for another state is refused", "[session][rfc6749]") {
  Client first = ready_client();
  auto a = first.authorize(oauth_only(), 1000);
  auto b = first.authorize(oauth_only(), 1000);
  REQUIRE_OK(a);
  REQUIRE_OK(b);
  Client second = ready_client();
  REQUIRE_ERROR(second.callback(callback_url(a->navigate->state), b->navigate->transaction_json.view(), 1001), codes::state_mismatch);
}

TEST_CASE("an expired transaction is refused", "[session]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_ERROR(client.callback(callback_url(start->navigate->state), "", 1000 + 601), codes::transaction_expired);
}

TEST_CASE("the oldest of too many pending transactions is dropped", "[session]") {
  Client client = ready_client();
  auto oldest = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(oldest);
  for (std::size_t i = 0; i < kMaxPendingTransactions; ++i) REQUIRE_OK(client.authorize(oauth_only(), 1000));
  REQUIRE_ERROR(client.callback(callback_url(oldest->navigate->state), "", 1001), codes::state_mismatch);
}

TEST_CASE("a token error leaves no session and the client usable", "[session][rfc6749]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  auto failed = client.resume(json_response(400, R"({"error":"invalid_grant","error_description":"used"})"), 1002);
  REQUIRE_ERROR(failed, "invalid_grant");
  CHECK(failed.error().blame == Blame::remote);
  CHECK_FALSE(client.authenticated(1002));
  REQUIRE_ERROR(client.resume(json_response(200, kTokenBody), 1003), codes::out_of_order);

  auto again = client.authorize(oauth_only(), 1004);
  REQUIRE_OK(again);
  REQUIRE_OK(client.callback(callback_url(again->navigate->state), "", 1005));
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1006));
  CHECK(client.authenticated(1006));
}

TEST_CASE("calls out of order are refused", "[session]") {
  auto client = Client::create(settings());
  REQUIRE_OK(client);
  REQUIRE_ERROR(client->authorize(oauth_only(), 1000), codes::out_of_order);
  REQUIRE_ERROR(client->callback(callback_url("s"), "", 1000), codes::out_of_order);
  REQUIRE_ERROR(client->resume(json_response(200, kTokenBody), 1000), codes::out_of_order);
}

TEST_CASE("metadata for another issuer is refused", "[session][rfc8414]") {
  auto client = Client::create(settings());
  REQUIRE_OK(client);
  auto other = json_response(200, R"({"issuer":"https://evil.example.test","token_endpoint":"https://evil.example.test/t"})");
  REQUIRE_ERROR(client->accept_metadata(other), codes::issuer_mismatch);
  CHECK_FALSE(client->metadata());
}

TEST_CASE("the access token goes only to configured API origins", "[session][rfc6750]") {
  Client client = ready_client();
  REQUIRE_ERROR(client.authorize_resource("https://api.example.test/me", "GET", 1000), codes::login_required);
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1002));

  auto headers = client.authorize_resource("https://api.example.test/me?x=1", "GET", 1003);
  REQUIRE_OK(headers);
  REQUIRE(headers->size() == 1);
  CHECK((*headers)[0].first == "Authorization");
  CHECK((*headers)[0].second == "Bearer at-123");

  REQUIRE_ERROR(client.authorize_resource("https://evil.example.test/me", "GET", 1003), codes::origin_not_allowed);
  REQUIRE_ERROR(client.authorize_resource("http://api.example.test/me", "GET", 1003), codes::origin_not_allowed);
  REQUIRE_ERROR(client.authorize_resource("https://api.example.test:444/me", "GET", 1003), codes::origin_not_allowed);
  REQUIRE_ERROR(client.authorize_resource("https://api.example.test.evil.test/", "GET", 1003), codes::origin_not_allowed);
  REQUIRE_ERROR(client.authorize_resource("https://api.example.test/me", "GET", 1302), codes::token_expired);
}

TEST_CASE("logout wipes the session", "[session]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1002));
  client.logout();
  CHECK_FALSE(client.authenticated(1003));
  CHECK(client.tokens() == nullptr);
  REQUIRE_ERROR(client.usable_tokens(1003), codes::login_required);
}

TEST_CASE("client settings are read strictly", "[session]") {
  auto [json, why] = GENERATE(table<const char*, const char*>({
      {R"({"issuer":"http://as.example.test","clientId":"c","redirectUri":"https://a.test/cb"})", "http issuer"},
      {R"({"issuer":"https://as.example.test","clientId":"","redirectUri":"https://a.test/cb"})", "empty client"},
      {R"({"issuer":"https://as.example.test","redirectUri":"https://a.test/cb"})", "no clientId"},
      {R"({"issuer":"https://as.example.test","clientId":"c","redirectUri":"https://a.test/cb","apiOrigins":["https://api.test/path"]})",
       "API origin with a path"},
      {R"({"issuer":"https://as.example.test","clientId":"c","redirectUri":"https://a.test/cb","apiOrigins":["http://api.test"]})",
       "http API origin"},
      {R"({"issuer":"https://as.example.test","clientId":"c","redirectUri":"https://a.test/cb","clockSkew":"60"})",
       "clockSkew string"},
      {R"({"issuer":"https://as.example.test","clientId":"c","redirectUri":"https://a.test/cb","secret":"x"})",
       "unknown member"},
      {R"(["not an object"])", "array"},
  }));
  INFO(why);
  REQUIRE_FALSE(parse_client_settings(json).ok());
}

TEST_CASE("login options are read strictly", "[session]") {
  auto ok = parse_authorization_options(R"({"scope":"openid api:read","resource":["https://api.test/"],"maxAge":0,)"
                                        R"("extraParams":{"ui_locales":"de"}})");
  REQUIRE_OK(ok);
  CHECK(ok->scope == "openid api:read");
  CHECK(ok->max_age == 0);
  REQUIRE(ok->extra_params.size() == 1);
  REQUIRE_ERROR(parse_authorization_options(R"({"scope":7})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_authorization_options(R"({"extraParams":{"a":1}})"), codes::invalid_argument);
  REQUIRE_ERROR(parse_authorization_options(R"({"responseType":"token"})"), codes::invalid_argument);
  REQUIRE_OK(parse_authorization_options(""));
}

namespace {
const char* kPopup = "https://app.example.test/popup-callback.html";

Client popup_client(const std::string& popup_uri = kPopup) {
  auto s = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"spa",)"
                                 R"("redirectUri":"https://app.example.test/callback","popupRedirectUri":")" +
                                 popup_uri + R"("})");
  REQUIRE_OK(s);
  auto client = Client::create(std::move(*s));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response()));
  return std::move(*client);
}

AuthorizationOptions popup_login() {
  AuthorizationOptions o = oauth_only();
  o.popup = true;
  return o;
}

std::string answer_at(const std::string& redirect_uri, const std::string& state) {
  return redirect_uri + "?code=the-code&state=" + state + "&iss=https%3A%2F%2Fas.example.test";
}
}  // namespace

// RFC 9700 §4.1.3 (exact redirect URIs): a second configured URI for popups, each login naming one.
TEST_CASE("a popup login names popupRedirectUri and its callback must come there; a redirect login keeps redirectUri", "[session][rfc9700]") {
  Client client = popup_client();
  auto popup = client.authorize(popup_login(), 1000);
  REQUIRE_OK(popup);
  CHECK(query_param(popup->navigate->url, "redirect_uri") == kPopup);
  auto redirect = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(redirect);
  CHECK(query_param(redirect->navigate->url, "redirect_uri") == kRedirect);

  // Each answer at the other login's URI is refused, and uses up its transaction.
  REQUIRE_ERROR(client.callback(answer_at(kRedirect, popup->navigate->state), "", 1001), codes::redirect_uri_mismatch);
  REQUIRE_ERROR(client.callback(answer_at(kPopup, popup->navigate->state), "", 1002), codes::state_mismatch);
  REQUIRE_ERROR(client.callback(answer_at(kPopup, redirect->navigate->state), "", 1003), codes::redirect_uri_mismatch);

  auto again = client.authorize(popup_login(), 1010);
  REQUIRE_OK(again);
  auto step = client.callback(answer_at(kPopup, again->navigate->state), "", 1011);
  REQUIRE_OK(step);
  REQUIRE(step->request);
  CHECK(query_param("https://x.test/?" + step->request->body, "redirect_uri") == kPopup);  // RFC 6749 §4.1.3
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1012));
  CHECK(client.authenticated(1012));

  // Anywhere else is no redirect URI of this client.
  auto third = client.authorize(popup_login(), 1020);
  REQUIRE_OK(third);
  REQUIRE_ERROR(client.callback(answer_at("https://app.example.test/elsewhere", third->navigate->state), "", 1021),
                codes::redirect_uri_mismatch);
}

TEST_CASE("without popupRedirectUri a popup login names redirectUri; a bad popupRedirectUri is refused", "[session][rfc9700]") {
  Client plain = ready_client();
  auto start = plain.authorize(popup_login(), 1000);
  REQUIRE_OK(start);
  CHECK(query_param(start->navigate->url, "redirect_uri") == kRedirect);
  REQUIRE_OK(plain.callback(callback_url(start->navigate->state), "", 1001));

  // A bad one is refused once, at create (settings_test.cpp), not at each login.
  REQUIRE_ERROR(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"spa",)"
                                      R"("redirectUri":"https://app.example.test/callback",)"
                                      R"("popupRedirectUri":"http://app.example.test/popup"})"),
                codes::invalid_argument);
  REQUIRE_ERROR(parse_authorization_options(R"({"popupLogin":"yes"})"), codes::invalid_argument);
  auto options = parse_authorization_options(R"({"popupLogin":true})");
  REQUIRE_OK(options);
  CHECK(options->popup);
}

namespace {
Client logged_in_client() {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1002));
  return client;
}
}  // namespace

TEST_CASE("a refresh rotates the refresh token", "[session][refresh][rfc6749]") {
  Client client = logged_in_client();
  auto request = client.refresh(1200);
  REQUIRE_OK(request);
  CHECK(request->request->body.find("grant_type=refresh_token") != std::string::npos);
  CHECK(request->request->body.find("refresh_token=rt-456") != std::string::npos);
  REQUIRE_ERROR(client.refresh(1200), codes::out_of_order);  // one at a time

  auto done = client.resume(json_response(200, R"({"access_token":"at-2","token_type":"Bearer",)"
                                               R"("expires_in":300,"refresh_token":"rt-2"})"), 1201);
  REQUIRE_OK(done);
  CHECK(client.tokens()->access_token.view() == "at-2");
  CHECK(client.tokens()->refresh_token.view() == "rt-2");
  CHECK(*client.tokens()->expires_at == 1501);
}

TEST_CASE("the proactive refresh is due refreshMargin before expiry, at most half the lifetime, and said in the result", "[session][refresh]") {
  // kTokenBody: 300 s from 1002, so expires at 1302; the default margin (60) is below half of 300.
  Client client = logged_in_client();
  CHECK(client.refresh_in(1002) == std::optional<std::int64_t>(240));
  CHECK(client.refresh_in(1300) == std::optional<std::int64_t>(1));  // overdue: at once, never 0 or less
  CHECK_FALSE(client.refresh_due(1241));
  CHECK(client.refresh_due(1242));

  // A margin above half the lifetime is capped there; the done step carries the answer.
  auto wide = Client::create(settings(R"(,"refreshMargin":600)"));
  REQUIRE_OK(wide);
  REQUIRE_OK(wide->accept_metadata(metadata_response()));
  auto start = wide->authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(wide->callback(callback_url(start->navigate->state), "", 1001));
  auto done = wide->resume(json_response(200, kTokenBody), 1002);
  REQUIRE_OK(done);
  REQUIRE(done->kind == Step::Kind::done);
  CHECK(done->done->refresh_in == std::optional<std::int64_t>(150));
  CHECK_FALSE(wide->refresh_due(1151));
  CHECK(wide->refresh_due(1152));
  for (const char* margin : {"-1", "86401", "1.5", "\"60\""}) {
    REQUIRE_ERROR(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"spa","refreshMargin":)" +
                                        std::string(margin) + "}"),
                  codes::invalid_argument);
  }
}

TEST_CASE("no proactive refresh without a refresh token, without expires_in, or for a token issued nearly expired", "[session][refresh]") {
  for (const char* body : {R"({"access_token":"a","token_type":"Bearer","expires_in":300})",
                           R"({"access_token":"a","token_type":"Bearer","refresh_token":"r"})",
                           R"({"access_token":"a","token_type":"Bearer","expires_in":1,"refresh_token":"r"})"}) {
    Client client = ready_client();
    auto start = client.authorize(oauth_only(), 1000);
    REQUIRE_OK(start);
    REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
    auto done = client.resume(json_response(200, body), 1002);
    REQUIRE_OK(done);
    CHECK_FALSE(done->done->refresh_in);
    CHECK_FALSE(client.refresh_in(1002));
  }
}

TEST_CASE("a PAR push waits beside a refresh: the refresh's answer is taken first, then the push's", "[session][par][rfc9126]") {
  Client client = ready_client(R"(,"pushed_authorization_request_endpoint":"https://as.example.test/par")");
  auto push = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(push);
  REQUIRE(push->kind == Step::Kind::perform);
  auto to = client.resume(json_response(201, R"({"request_uri":"urn:x:1","expires_in":60})"), 1000);
  REQUIRE_OK(to);
  REQUIRE(to->kind == Step::Kind::navigate);
  REQUIRE_OK(client.callback(callback_url(to->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, kTokenBody), 1002));

  REQUIRE_OK(client.refresh(1200));
  auto second = client.authorize(oauth_only(), 1200);  // pushed while the refresh waits
  REQUIRE_OK(second);
  REQUIRE(second->kind == Step::Kind::perform);
  auto refreshed = client.resume(json_response(200, R"({"access_token":"at-2","token_type":"Bearer","expires_in":300})"), 1201);
  REQUIRE_OK(refreshed);
  REQUIRE(refreshed->kind == Step::Kind::done);
  CHECK(client.tokens()->access_token.view() == "at-2");
  auto pushed = client.resume(json_response(201, R"({"request_uri":"urn:x:2","expires_in":60})"), 1201);
  REQUIRE_OK(pushed);
  REQUIRE(pushed->kind == Step::Kind::navigate);
  CHECK(pushed->navigate->url.find("urn%3Ax%3A2") != std::string::npos);
  REQUIRE_ERROR(client.resume(json_response(201, R"({"request_uri":"urn:x:3","expires_in":60})"), 1202), codes::out_of_order);
}

TEST_CASE("a refresh response without a refresh token keeps the current one", "[session][refresh][rfc6749]") {
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-2","token_type":"Bearer"})"), 1201));
  CHECK(client.tokens()->refresh_token.view() == "rt-456");
  CHECK(client.tokens()->access_token.view() == "at-2");
}

TEST_CASE("invalid_grant on refresh ends the session and leaves the client usable", "[session][refresh][rfc9700]") {
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  auto ended = client.resume(json_response(400, R"({"error":"invalid_grant"})"), 1201);
  REQUIRE_ERROR(ended, codes::session_expired);
  CHECK(client.tokens() == nullptr);
  CHECK_FALSE(client.authenticated(1201));
  REQUIRE_ERROR(client.refresh(1202), codes::login_required);
  auto again = client.authorize(oauth_only(), 1203);
  REQUIRE_OK(again);
}

// Glewlwyd answers a disabled refresh token with 400 and no body: no invalid_grant to read, but
// refused all the same (RFC 6749 §5.2 answers refusals with 400 or 401).
TEST_CASE("a 400 or 401 refresh answer ends the session whatever its body, with its status", "[session][refresh][rfc6749]") {
  auto [status, content_type, body] = GENERATE(table<int, const char*, const char*>({
      {400, "text/plain", ""},
      {400, "application/json", R"({"error":"invalid_request"})"},
      {401, "text/html", "<h1>Unauthorized</h1>"},
      {401, "application/json", R"({"error":"invalid_client"})"},
  }));
  INFO(status << " " << body);
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  auto ended = client.resume(HttpResponse(status, {{"Content-Type", content_type}}, body), 1201);
  REQUIRE_ERROR(ended, codes::session_expired);
  CHECK(ended.error().http_status == status);
  CHECK(ended.error().blame == Blame::remote);
  CHECK(ended.error().description.find("HTTP " + std::to_string(status)) != std::string::npos);
  CHECK(client.tokens() == nullptr);
  CHECK_FALSE(client.authenticated(1201));
  REQUIRE_ERROR(client.refresh(1202), codes::login_required);
}

TEST_CASE("a server error on refresh keeps the session", "[session][refresh]") {
  auto status = GENERATE(503, 500, 429, 403);
  INFO(status);
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  auto failed = client.resume(HttpResponse(status, {{"Content-Type", "text/html"}}, "<h1>down</h1>"), 1201);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code != codes::session_expired);
  CHECK(client.tokens()->refresh_token.view() == "rt-456");
  REQUIRE_OK(client.refresh(1202));
}

// The shim cannot cancel a request in the core: when a fetch is aborted (timeout, network) it
// feeds a status-0 response, which must end the exchange and leave the session as it was.
TEST_CASE("a refresh aborted mid-flight keeps the session, and the next refresh sends the same token", "[session][refresh]") {
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  auto aborted = client.resume(HttpResponse(0, {}, ""), 1230);
  REQUIRE_FALSE(aborted.ok());
  CHECK(aborted.error().code == codes::unexpected_status);
  CHECK(aborted.error().code != codes::session_expired);
  REQUIRE(client.tokens() != nullptr);
  CHECK(client.tokens()->access_token.view() == "at-123");
  CHECK(client.tokens()->refresh_token.view() == "rt-456");
  REQUIRE_ERROR(client.resume(HttpResponse(0, {}, ""), 1231), codes::out_of_order);  // nothing pending

  auto again = client.refresh(1240);
  REQUIRE_OK(again);
  CHECK(again->request->body.find("refresh_token=rt-456") != std::string::npos);
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-2","token_type":"Bearer",)"
                                              R"("expires_in":300,"refresh_token":"rt-2"})"), 1241));
  CHECK(client.tokens()->refresh_token.view() == "rt-2");
  CHECK(client.authenticated(1241));
}

TEST_CASE("a login aborted at the token request leaves no session and no pending exchange", "[session]") {
  Client client = ready_client();
  auto start = client.authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_FALSE(client.resume(HttpResponse(0, {}, ""), 1002).ok());
  CHECK(client.tokens() == nullptr);
  // The code was spent with its transaction: the same callback again finds none.
  REQUIRE_ERROR(client.callback(callback_url(start->navigate->state), "", 1003), codes::state_mismatch);
  REQUIRE_ERROR(client.refresh(1004), codes::login_required);
}

TEST_CASE("a callback while a refresh is in flight is refused, and the refresh still lands", "[session][refresh][rfc9700]") {
  Client client = logged_in_client();
  auto second = client.authorize(oauth_only(), 1190);
  REQUIRE_OK(second);
  REQUIRE_OK(client.refresh(1200));
  // Dropping the refresh here would lose the rotated refresh token the server is about to send.
  REQUIRE_ERROR(client.callback(callback_url(second->navigate->state), "", 1201), codes::out_of_order);
  REQUIRE_OK(client.resume(json_response(200, R"({"access_token":"at-2","token_type":"Bearer",)"
                                              R"("expires_in":300,"refresh_token":"rt-2"})"), 1202));
  CHECK(client.tokens()->refresh_token.view() == "rt-2");
  REQUIRE_OK(client.callback(callback_url(second->navigate->state), "", 1203));  // its transaction was kept
}

TEST_CASE("a refresh that changes the token type is refused", "[session][refresh][rfc9449]") {
  Client client = logged_in_client();
  REQUIRE_OK(client.refresh(1200));
  REQUIRE_ERROR(client.resume(json_response(200, R"({"access_token":"at-2","token_type":"DPoP"})"), 1201),
                codes::unsupported_token_type);
  CHECK(client.tokens()->access_token.view() == "at-123");
}

// --- OpenID Connect: the ID token is verified before the session exists -----------------------

namespace {

std::string oidc_token_body(const test::JwtSigner& signer, const std::string& nonce, const std::string& sub = "alice",
                            std::int64_t iat = 1000, const std::string& refresh_token = "rt-oidc") {
  nlohmann::json claims = {{"iss", kIssuer}, {"sub", sub}, {"aud", "spa"}, {"iat", iat}, {"exp", iat + 3600},
                           {"at_hash", test::at_hash_es256("at-oidc")}};
  if (!nonce.empty()) claims["nonce"] = nonce;
  return nlohmann::json{{"access_token", "at-oidc"}, {"token_type", "Bearer"}, {"expires_in", 300},
                        {"refresh_token", refresh_token}, {"id_token", signer.sign(claims)}}.dump();
}

std::string nonce_of(const Step& start) { return query_param(start.navigate->url, "nonce"); }

}  // namespace

TEST_CASE("an OIDC login fetches the JWKS and verifies the ID token before the session exists", "[session][oidc]") {
  test::JwtSigner signer("k1");
  Client client = ready_client();
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_FALSE(nonce_of(*start).empty());
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  auto jwks_step = client.resume(json_response(200, oidc_token_body(signer, nonce_of(*start))), 1002);
  REQUIRE_OK(jwks_step);
  REQUIRE(jwks_step->request);
  CHECK(jwks_step->request->url == "https://as.example.test/jwks");
  CHECK_FALSE(client.authenticated(1002));

  auto done = client.resume(json_response(200, signer.jwks()), 1003);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(test::to_nlohmann(done->done->user)["sub"] == "alice");
  CHECK(client.authenticated(1003));
}

TEST_CASE("an ID token with the wrong nonce leaves no session", "[session][oidc]") {
  test::JwtSigner signer("k1");
  Client client = ready_client();
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(signer, "another-nonce")), 1002));
  REQUIRE_ERROR(client.resume(json_response(200, signer.jwks()), 1003), codes::id_token_invalid);
  CHECK_FALSE(client.authenticated(1003));
  CHECK(client.tokens() == nullptr);
  CHECK(client.user().is_null());
}

TEST_CASE("an openid login answered without an ID token is refused", "[session][oidc]") {
  Client client = ready_client();
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_ERROR(client.resume(json_response(200, kTokenBody), 1002), codes::id_token_invalid);
  CHECK_FALSE(client.authenticated(1002));
}

TEST_CASE("a rotated signing key makes the client refetch the JWKS once", "[session][oidc]") {
  test::JwtSigner old_key("k1");
  test::JwtSigner new_key("k2");
  Client client = ready_client();
  auto first = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(first);
  REQUIRE_OK(client.callback(callback_url(first->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(old_key, nonce_of(*first))), 1002));
  REQUIRE_OK(client.resume(json_response(200, old_key.jwks()), 1003));

  // Later, the server signs with a new key: one refetch, then success.
  auto second = client.authorize(AuthorizationOptions{}, 1100);
  REQUIRE_OK(second);
  REQUIRE_OK(client.callback(callback_url(second->navigate->state), "", 1101));
  auto refetch = client.resume(json_response(200, oidc_token_body(new_key, nonce_of(*second), "alice", 1100)), 1102);
  REQUIRE_OK(refetch);
  REQUIRE(refetch->request);
  CHECK(refetch->request->url == "https://as.example.test/jwks");
  auto done = client.resume(json_response(200, new_key.jwks()), 1103);
  REQUIRE_OK(done);
  CHECK(client.authenticated(1103));
}

TEST_CASE("an unknown kid right after a JWKS fetch is refused, not refetched in a loop", "[session][oidc]") {
  test::JwtSigner published("k1");
  test::JwtSigner unpublished("k9");
  Client client = ready_client();
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(unpublished, nonce_of(*start))), 1002));
  REQUIRE_ERROR(client.resume(json_response(200, published.jwks()), 1003), codes::id_token_invalid);
  CHECK_FALSE(client.authenticated(1003));
}

namespace {
Client oidc_logged_in(const test::JwtSigner& signer, const std::string& more_metadata = "") {
  Client client = ready_client(more_metadata);
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(signer, nonce_of(*start))), 1002));
  REQUIRE_OK(client.resume(json_response(200, signer.jwks()), 1003));
  return client;
}
}  // namespace

// RP-Initiated Logout 1.0 §2: id_token_hint is optional; the default request goes by GET and must
// not put the ID token into a URL the browser keeps.
TEST_CASE("the end-session request carries the held ID token only when asked", "[session][oidc][end_session]") {
  test::JwtSigner signer("k1");
  Client client = oidc_logged_in(signer, R"(,"end_session_endpoint":"https://as.example.test/logout")");
  auto plain = client.end_session_request("https://app.example.test/", false);
  REQUIRE_OK(plain);
  CHECK(plain->url.rfind("https://as.example.test/logout?", 0) == 0);
  CHECK(query_param(plain->url, "client_id") == "spa");
  CHECK(query_param(plain->url, "post_logout_redirect_uri") == "https://app.example.test/");
  CHECK(query_param(plain->url, "state") == plain->state);
  CHECK(plain->url.find("id_token_hint") == std::string::npos);
  CHECK(plain->action == "https://as.example.test/logout");
  for (const auto& [name, value] : plain->params) CHECK(query_param(plain->url, name) == value);
  CHECK(plain->params.size() == 3);

  auto hinted = client.end_session_request("https://app.example.test/", true);
  REQUIRE_OK(hinted);
  REQUIRE(client.tokens() != nullptr);
  CHECK(query_param(hinted->url, "id_token_hint") == std::string(client.tokens()->id_token.view()));
  REQUIRE(hinted->params.size() == 4);
  CHECK(hinted->params.front() == std::pair<std::string, std::string>("id_token_hint", std::string(client.tokens()->id_token.view())));
  CHECK(hinted->state != plain->state);
}

TEST_CASE("a refresh whose ID token changes sub ends the session", "[session][oidc][refresh]") {
  test::JwtSigner signer("k1");
  Client client = oidc_logged_in(signer);
  REQUIRE_OK(client.refresh(1100));
  auto refused = client.resume(json_response(200, oidc_token_body(signer, "", "mallory", 1100, "rt-2")), 1101);
  REQUIRE_ERROR(refused, codes::session_expired);
  CHECK(refused.error().description.find("refreshed ID token") != std::string::npos);
  CHECK(client.tokens() == nullptr);
  CHECK(client.user().is_null());
  CHECK_FALSE(client.authenticated(1101));
  REQUIRE_ERROR(client.refresh(1102), codes::login_required);
  REQUIRE_OK(client.authorize(AuthorizationOptions{}, 1103));  // a new login works
}

TEST_CASE("a refresh whose ID token has a bad signature ends the session", "[session][oidc][refresh]") {
  test::JwtSigner signer("k1");
  Client client = oidc_logged_in(signer);
  REQUIRE_OK(client.refresh(1100));
  auto body = nlohmann::json::parse(oidc_token_body(signer, "", "alice", 1100, "rt-2"));
  std::string id_token = body["id_token"].get<std::string>();
  id_token.back() = id_token.back() == 'A' ? 'B' : 'A';
  body["id_token"] = id_token;
  REQUIRE_ERROR(client.resume(json_response(200, body.dump()), 1101), codes::session_expired);
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("a refresh whose JWKS refetch fails keeps the session with the rotated refresh token", "[session][oidc][refresh][rfc9700]") {
  test::JwtSigner old_key("k1");
  test::JwtSigner new_key("k2");
  Client client = oidc_logged_in(old_key);
  // The server rotated its signing key and the refresh token; the JWKS fetch for the new key fails.
  REQUIRE_OK(client.refresh(1100));
  auto refetch = client.resume(json_response(200, oidc_token_body(new_key, "", "alice", 1100, "rt-2")), 1101);
  REQUIRE_OK(refetch);
  REQUIRE(refetch->request);
  CHECK(refetch->request->url == "https://as.example.test/jwks");
  auto failed = client.resume(HttpResponse(503, {{"Content-Type", "text/plain"}}, "down"), 1102);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code != codes::session_expired);
  REQUIRE(client.tokens() != nullptr);
  CHECK(client.tokens()->refresh_token.view() == "rt-2");  // the spent rt-oidc is never sent again
  CHECK(test::to_nlohmann(client.user())["sub"] == "alice");

  auto retry = client.refresh(1200);
  REQUIRE_OK(retry);
  CHECK(retry->request->body.find("refresh_token=rt-2") != std::string::npos);
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(new_key, "", "alice", 1200, "rt-3")), 1201));
  auto done = client.resume(json_response(200, new_key.jwks()), 1202);
  REQUIRE_OK(done);
  CHECK(client.tokens()->refresh_token.view() == "rt-3");
  CHECK(client.authenticated(1202));
}

// --- ID-token algorithms: the server's, narrowed to the client's registered one (RFC 8725 §3.1) ---

namespace {

// A login whose ID token is signed ES256 (test::JwtSigner), against `metadata_extra` and
// `settings_extra`: the result of its last step, the JWKS's.
Result<Step> es256_login(const std::string& metadata_extra, const std::string& settings_extra = "") {
  test::JwtSigner signer("k1");
  Client client = ready_client(metadata_extra, settings_extra);
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(signer, nonce_of(*start))), 1002));
  auto done = client.resume(json_response(200, signer.jwks()), 1003);
  CHECK(client.authenticated(1003) == done.ok());
  return done;
}

}  // namespace

TEST_CASE("an ID token signed with an alg the server does not list is refused", "[session][oidc][rfc8725]") {
  REQUIRE_OK(es256_login(""));  // no list: every alg this client verifies
  REQUIRE_OK(es256_login(R"(,"id_token_signing_alg_values_supported":["RS256","ES256"])"));
  auto refused = es256_login(R"(,"id_token_signing_alg_values_supported":["RS256","none","HS256"])");
  REQUIRE_ERROR(refused, codes::id_token_invalid);
  CHECK(refused.error().description.find("alg is not one the client allows") != std::string::npos);
  REQUIRE_ERROR(es256_login(R"(,"id_token_signing_alg_values_supported":["HS256","none"])"), codes::id_token_invalid);
}

TEST_CASE("with idTokenSigningAlg only that alg is accepted, and the server must list it", "[session][oidc][rfc8725]") {
  const std::string both = R"(,"id_token_signing_alg_values_supported":["RS256","ES256"])";
  REQUIRE_OK(es256_login(both, R"(,"idTokenSigningAlg":"ES256")"));
  REQUIRE_OK(es256_login("", R"(,"idTokenSigningAlg":"ES256")"));
  REQUIRE_ERROR(es256_login(both, R"(,"idTokenSigningAlg":"RS256")"), codes::id_token_invalid);
  REQUIRE_ERROR(es256_login("", R"(,"idTokenSigningAlg":"PS256")"), codes::id_token_invalid);
  auto unlisted = es256_login(R"(,"id_token_signing_alg_values_supported":["RS256"])", R"(,"idTokenSigningAlg":"ES256")");
  REQUIRE_ERROR(unlisted, codes::id_token_invalid);
  CHECK(unlisted.error().description.find("idTokenSigningAlg ES256") != std::string::npos);
}

TEST_CASE("idTokenSigningAlg is an asymmetric alg this client verifies", "[session][rfc8725]") {
  const std::string base = R"({"issuer":"https://as.example.test","clientId":"spa","idTokenSigningAlg":)";
  for (const char* alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}) {
    auto s = parse_client_settings(base + "\"" + alg + "\"}");
    REQUIRE_OK(s);
    CHECK(jws_alg_name(*s->id_token_signing_alg) == alg);
  }
  for (const char* bad : {R"("none")", R"("HS256")", R"("es256")", R"("ES512")", R"("")", "7", "null"}) {
    INFO(bad);
    REQUIRE_ERROR(parse_client_settings(base + bad + "}"), codes::invalid_argument);
  }
  auto unset = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"spa"})");
  REQUIRE_OK(unset);
  CHECK_FALSE(unset->id_token_signing_alg);
}

// --- The JWKS: trusted for its Cache-Control lifetime, refetched once per exchange for a new kid ---

namespace {

std::string jwks_of(std::initializer_list<const test::JwtSigner*> signers) {
  nlohmann::json keys = nlohmann::json::array();
  for (const test::JwtSigner* signer : signers) keys.push_back(signer->jwk());
  return nlohmann::json{{"keys", keys}}.dump();
}

HttpResponse jwks_response(const std::string& body, const char* cache_control) {
  HttpResponse response = json_response(200, body);
  if (cache_control) response.headers.emplace_back("Cache-Control", cache_control);
  return response;
}

// Logged in at 1003 with the JWKS fetched then, served with `cache_control` (nullptr: none).
Client oidc_logged_in_with(const test::JwtSigner& signer, const char* cache_control) {
  Client client = ready_client();
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  REQUIRE_OK(client.callback(callback_url(start->navigate->state), "", 1001));
  REQUIRE_OK(client.resume(json_response(200, oidc_token_body(signer, nonce_of(*start))), 1002));
  REQUIRE_OK(client.resume(jwks_response(signer.jwks(), cache_control), 1003));
  return client;
}

// A refresh at `now` answered with an ID token of `signer`: whether the client asks for the JWKS.
bool refresh_fetches_jwks(Client& client, const test::JwtSigner& signer, std::int64_t now, const std::string& rt) {
  REQUIRE_OK(client.refresh(now));
  auto step = client.resume(json_response(200, oidc_token_body(signer, "", "alice", now, rt)), now + 1);
  REQUIRE_OK(step);
  if (step->done) return false;
  REQUIRE(step->request);
  CHECK(step->request->url == "https://as.example.test/jwks");
  return true;
}

}  // namespace

TEST_CASE("the JWKS is fetched again once its max-age has passed; a withdrawn key then ends the session",
          "[session][oidc][refresh][rfc9111]") {
  test::JwtSigner withdrawn("k1");
  test::JwtSigner successor("k2");
  Client client = oidc_logged_in_with(withdrawn, "public, max-age=600");
  // Until 1003 + 600, the held JWKS is trusted: no fetch.
  CHECK_FALSE(refresh_fetches_jwks(client, withdrawn, 1500, "rt-2"));
  CHECK(client.authenticated(1501));
  // Then it is fetched before the next ID token is believed; the issuer has withdrawn k1.
  REQUIRE(refresh_fetches_jwks(client, withdrawn, 1603, "rt-3"));
  auto refused = client.resume(jwks_response(successor.jwks(), "max-age=600"), 1605);
  REQUIRE_ERROR(refused, codes::session_expired);
  CHECK(refused.error().description.find("no key of the issuer's JWKS") != std::string::npos);
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("the JWKS lifetime is its max-age within 5 minutes and a day; an hour without one", "[session][oidc][rfc9111]") {
  auto [cache_control, lifetime] = GENERATE(table<const char*, std::int64_t>({
      {nullptr, kJwksDefaultLifetimeSeconds},
      {"max-age=900", 900},
      {"max-age=10", kJwksMinLifetimeSeconds},
      {"no-store", kJwksMinLifetimeSeconds},
      {"no-cache, max-age=86400", kJwksMinLifetimeSeconds},
      {"max-age=31536000", kJwksMaxLifetimeSeconds},
  }));
  INFO((cache_control ? cache_control : "(none)"));
  test::JwtSigner signer("k1");
  Client client = oidc_logged_in_with(signer, cache_control);
  CHECK_FALSE(refresh_fetches_jwks(client, signer, 1003 + lifetime - 2, "rt-2"));
  CHECK(refresh_fetches_jwks(client, signer, 1003 + lifetime, "rt-3"));
}

TEST_CASE("a refresh whose ID token names a new kid just after a JWKS fetch refetches it and keeps the session",
          "[session][oidc][refresh]") {
  test::JwtSigner old_key("k1");
  test::JwtSigner new_key("k2");
  Client client = oidc_logged_in_with(old_key, nullptr);
  // 7 seconds after the login's fetch, the server signs with a key it has just published.
  REQUIRE(refresh_fetches_jwks(client, new_key, 1010, "rt-2"));
  auto done = client.resume(jwks_response(jwks_of({&old_key, &new_key}), nullptr), 1012);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(client.tokens()->refresh_token.view() == "rt-2");
  CHECK(client.authenticated(1012));
  // The next exchange may refetch again, once: the limit is per exchange, not per minute.
  test::JwtSigner newer_key("k3");
  REQUIRE(refresh_fetches_jwks(client, newer_key, 1020, "rt-3"));
  REQUIRE_OK(client.resume(jwks_response(jwks_of({&new_key, &newer_key}), nullptr), 1021));
  CHECK(client.authenticated(1021));
}

TEST_CASE("a kid still unknown after the exchange's own JWKS fetch is refused without another fetch",
          "[session][oidc][refresh]") {
  test::JwtSigner published("k1");
  test::JwtSigner unpublished("k9");
  Client client = oidc_logged_in_with(published, nullptr);
  REQUIRE(refresh_fetches_jwks(client, unpublished, 1010, "rt-2"));
  auto refused = client.resume(jwks_response(published.jwks(), nullptr), 1011);
  // Asked again just now, the issuer publishes no key for the token: it cannot be verified, and a
  // refreshed ID token that fails verification ends the session (OIDC Core §12.2).
  REQUIRE_ERROR(refused, codes::session_expired);
  CHECK(client.tokens() == nullptr);
}

TEST_CASE("a confidential client authenticates its token requests with its secret", "[session][rfc6749]") {
  auto basic = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"web",)"
                                     R"("redirectUri":"https://app.example.test/callback","clientSecret":"s3cr3t"})");
  REQUIRE_OK(basic);
  CHECK(basic->auth.method() == ClientAuth::Method::client_secret_basic);
  auto post = parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"web","clientSecret":"s3cr3t",)"
                                    R"("tokenEndpointAuthMethod":"client_secret_post"})");
  REQUIRE_OK(post);
  CHECK(post->auth.method() == ClientAuth::Method::client_secret_post);
  REQUIRE_FALSE(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"web",)"
                                      R"("tokenEndpointAuthMethod":"client_secret_post"})").ok());
  REQUIRE_FALSE(parse_client_settings(R"({"issuer":"https://as.example.test","clientId":"web","clientSecret":"x",)"
                                      R"("tokenEndpointAuthMethod":"private_key_jwt"})").ok());

  auto client = Client::create(std::move(*basic));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(metadata_response()));
  auto start = client->authorize(oauth_only(), 1000);
  REQUIRE_OK(start);
  auto step = client->callback(callback_url(start->navigate->state), "", 1001);
  REQUIRE_OK(step);
  auto auth = find_header(step->request->headers, "Authorization");
  REQUIRE(auth);
  CHECK(*auth == "Basic d2ViOnMzY3IzdA==");  // base64("web:s3cr3t")
  CHECK(step->request->body.find("s3cr3t") == std::string::npos);
}
