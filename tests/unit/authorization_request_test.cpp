#include "protocol/authorization_request.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error_codes.hpp"
#include "crypto/entropy.hpp"
#include "crypto/pkce.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::query_param;
using oauth::test::query_values;
using oauth::test::test_client;
using oauth::test::issuer_metadata;
using oauth::test::test_metadata;
using oauth::test::test_server_metadata;

namespace {

constexpr std::int64_t kNow = 1700000000;

AuthorizationRequest build_ok(const AuthorizationOptions& options = {},
                              const ServerMetadata& metadata = test_server_metadata()) {
  auto request = build_authorization_request(issuer_metadata(metadata), test_client(), options, kNow);
  REQUIRE_OK(request);
  return std::move(request).value();
}

Result<AuthorizationRequest> build_with_extra(std::string name, std::string value) {
  AuthorizationOptions options;
  options.extra_params = {{std::move(name), std::move(value)}};
  return build_authorization_request(test_metadata(), test_client(), options, kNow);
}

}  // namespace

TEST_CASE("the authorization URL carries the code flow parameters with S256 PKCE", "[authorize][rfc6749][rfc7636]") {
  auto request = build_ok();
  const std::string& url = request.url;
  CHECK(url.rfind("https://as.example/authorize?", 0) == 0);
  CHECK(query_param(url, "response_type") == "code");
  CHECK(query_param(url, "client_id") == "spa-client");
  CHECK(query_param(url, "redirect_uri") == "https://app.example/callback");
  CHECK(query_param(url, "scope") == "openid");
  CHECK(query_param(url, "state") == request.transaction.state);
  CHECK(query_param(url, "nonce") == request.transaction.nonce);
  CHECK(query_param(url, "code_challenge_method") == "S256");
  CHECK(query_param(url, "code_challenge") == *pkce_challenge(request.transaction.verifier.view()));
  CHECK(query_param(url, "prompt") == "<absent>");
  CHECK(query_param(url, "max_age") == "<absent>");
  // The verifier stays home.
  CHECK(url.find(std::string(request.transaction.verifier.view())) == std::string::npos);
  CHECK(url.find('#') == std::string::npos);
}

TEST_CASE("the transaction records what the callback and the exchange need", "[authorize]") {
  AuthorizationOptions options;
  options.max_age = 300;
  options.resource = {"https://api.example/"};
  auto tx = build_ok(options).transaction;
  CHECK(tx.issuer == "https://as.example");
  CHECK(tx.client_id == "spa-client");
  CHECK(tx.redirect_uri == "https://app.example/callback");
  CHECK(tx.scope == "openid");
  CHECK(tx.created_at == kNow);
  CHECK(tx.max_age == std::optional<std::int64_t>(300));
  CHECK(tx.resource == std::vector<std::string>{"https://api.example/"});
  CHECK(check_pkce_verifier(tx.verifier.view()).ok());
}

TEST_CASE("state and nonce are 256 random bits, fresh for every request", "[authorize][rfc9700][random]") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto tx = build_ok().transaction;
    CHECK(tx.state.size() == 43);
    CHECK(tx.nonce.size() == 43);
    seen.insert(tx.state);
    seen.insert(tx.nonce);
    seen.insert(std::string(tx.verifier.view()));
  }
  CHECK(seen.size() == 150);
}

TEST_CASE("no nonce is sent when the scope lacks the openid token", "[authorize][oidc]") {
  AuthorizationOptions options;
  options.scope = "openidx profile";
  auto request = build_ok(options);
  CHECK(request.transaction.nonce.empty());
  CHECK(query_param(request.url, "nonce") == "<absent>");
  CHECK(query_param(request.url, "scope") == "openidx profile");
  options.scope = "profile openid";
  CHECK_FALSE(build_ok(options).transaction.nonce.empty());
  options.scope = "";
  auto no_scope = build_ok(options);
  CHECK(query_param(no_scope.url, "scope") == "<absent>");
  CHECK(no_scope.transaction.nonce.empty());
}

TEST_CASE("resource may repeat, and prompt, login_hint, max_age and extras are sent", "[authorize][rfc8707]") {
  AuthorizationOptions options;
  options.resource = {"https://api.example/", "https://other.example/v1"};
  options.prompt = "login consent";
  options.login_hint = "user@example.com";
  options.max_age = 0;
  options.extra_params = {{"ui_locales", "de fr"}, {"acr_values", "urn:mace:incommon:iap:silver"}};
  auto url = build_ok(options).url;
  CHECK(query_values(url, "resource") == std::vector<std::string>{"https://api.example/", "https://other.example/v1"});
  CHECK(query_param(url, "prompt") == "login consent");
  CHECK(query_param(url, "login_hint") == "user@example.com");
  CHECK(query_param(url, "max_age") == "0");
  CHECK(query_param(url, "ui_locales") == "de fr");
  CHECK(query_param(url, "acr_values") == "urn:mace:incommon:iap:silver");
  CHECK(url.find("prompt=login%20consent") != std::string::npos);
}

TEST_CASE("an endpoint's own query is kept and extended with &", "[authorize][rfc6749]") {
  ServerMetadata m = test_server_metadata();
  m.authorization_endpoint = "https://as.example/authorize?tenant=t1";
  auto url = build_ok({}, m).url;
  CHECK(url.rfind("https://as.example/authorize?tenant=t1&response_type=code&", 0) == 0);
  m.authorization_endpoint = "https://as.example/authorize?client_id=other";
  REQUIRE_ERROR(build_authorization_request(issuer_metadata(m), test_client(), {}, kNow), codes::invalid_metadata);
}

TEST_CASE("extra parameters may not repeat the ones the client sets", "[authorize][rfc6749]") {
  auto name = GENERATE(as<std::string>{}, "client_id", "redirect_uri", "state", "nonce", "code_challenge",
                       "code_challenge_method", "scope", "resource", "prompt", "login_hint", "max_age");
  INFO(name);
  REQUIRE_ERROR(build_with_extra(name, "x"), codes::invalid_argument);
}

TEST_CASE("asking for tokens in the front channel is the implicit flow and refused", "[authorize][oauth2.1]") {
  auto value = GENERATE(as<std::string>{}, "token", "id_token", "code id_token", "id_token token", "code token");
  INFO(value);
  REQUIRE_ERROR(build_with_extra("response_type", value), codes::implicit_flow_refused);
}

TEST_CASE("response_type and response_mode stay what the callback parser reads", "[authorize]") {
  REQUIRE_ERROR(build_with_extra("response_type", "code"), codes::invalid_argument);
  REQUIRE_ERROR(build_with_extra("response_type", "none"), codes::invalid_argument);
  REQUIRE_ERROR(build_with_extra("response_mode", "fragment"), codes::invalid_argument);
  REQUIRE_ERROR(build_with_extra("response_mode", "form_post"), codes::invalid_argument);
  REQUIRE_OK(build_with_extra("response_mode", "query"));
  REQUIRE_ERROR(build_with_extra("", "x"), codes::invalid_argument);
  AuthorizationOptions twice;
  twice.extra_params = {{"ui_locales", "de"}, {"ui_locales", "fr"}};
  REQUIRE_ERROR(build_authorization_request(test_metadata(), test_client(), twice, kNow), codes::invalid_argument);
}

TEST_CASE("malformed options are refused", "[authorize]") {
  AuthorizationOptions options;
  options.scope = "openid  profile";
  REQUIRE_ERROR(build_authorization_request(test_metadata(), test_client(), options, kNow), codes::invalid_argument);
  options = {};
  options.resource = {"https://api.example/#frag"};
  REQUIRE_ERROR(build_authorization_request(test_metadata(), test_client(), options, kNow), codes::invalid_argument);
  options.resource = {"/relative"};
  REQUIRE_ERROR(build_authorization_request(test_metadata(), test_client(), options, kNow), codes::invalid_argument);
  options = {};
  options.max_age = -1;
  REQUIRE_ERROR(build_authorization_request(test_metadata(), test_client(), options, kNow), codes::invalid_argument);
}

TEST_CASE("a client without a redirect URI cannot log in", "[authorize]") {
  // Its redirect URIs are checked once, at create (settings_test.cpp), not at each login.
  ClientConfig client = test_client();
  client.redirect_uri.clear();
  REQUIRE_ERROR(build_authorization_request(test_metadata(), client, {}, kNow), codes::invalid_argument);
}

TEST_CASE("a loopback http redirect URI is allowed", "[authorize][rfc8252]") {
  ClientConfig client = test_client();
  client.redirect_uri = "http://127.0.0.1:5173/callback";
  REQUIRE_OK(build_authorization_request(test_metadata(), client, {}, kNow));
  client.client_id = "";
  REQUIRE_ERROR(build_authorization_request(test_metadata(), client, {}, kNow), codes::invalid_argument);
}

TEST_CASE("servers that cannot take this request are refused", "[authorize][rfc9126][rfc9700]") {
  ServerMetadata m = test_server_metadata();
  m.require_pushed_authorization_requests = true;
  REQUIRE_ERROR(build_authorization_request(issuer_metadata(m), test_client(), {}, kNow),
                codes::pushed_authorization_required);
  m = test_server_metadata();
  m.code_challenge_methods_supported = std::vector<std::string>{"plain"};
  REQUIRE_ERROR(build_authorization_request(issuer_metadata(m), test_client(), {}, kNow), codes::pkce_not_supported);
  m = test_server_metadata();
  m.authorization_endpoint.clear();
  REQUIRE_ERROR(build_authorization_request(issuer_metadata(m), test_client(), {}, kNow), codes::invalid_metadata);
}

#ifndef __EMSCRIPTEN__
TEST_CASE("a failing entropy source fails the request instead of weakening it", "[authorize][random]") {
  set_entropy_source_for_testing([](unsigned char*, std::size_t) { return 0; });
  auto request = build_authorization_request(test_metadata(), test_client(), {}, kNow);
  set_entropy_source_for_testing(nullptr);
  REQUIRE_ERROR(request, codes::entropy_failure);
}
#endif

TEST_CASE("a transaction survives a round trip through JSON", "[authorize][transaction]") {
  AuthorizationOptions options;
  options.max_age = 60;
  options.resource = {"https://api.example/", "urn:example:api"};
  options.scope = "openid profile";
  auto tx = build_ok(options).transaction;
  Secret json = transaction_to_json(tx);
  auto back = transaction_from_json(json.view());
  REQUIRE_OK(back);
  CHECK(back->state == tx.state);
  CHECK(back->nonce == tx.nonce);
  CHECK(back->redirect_uri == tx.redirect_uri);
  CHECK(back->issuer == tx.issuer);
  CHECK(back->client_id == tx.client_id);
  CHECK(back->scope == tx.scope);
  CHECK(back->verifier.view() == tx.verifier.view());
  CHECK(back->created_at == tx.created_at);
  CHECK(back->max_age == tx.max_age);
  CHECK(back->resource == tx.resource);

  options = {};
  options.scope = "profile";
  auto plain = build_ok(options).transaction;
  auto plain_back = transaction_from_json(transaction_to_json(plain).view());
  REQUIRE_OK(plain_back);
  CHECK(plain_back->nonce.empty());
  CHECK_FALSE(plain_back->max_age);
}

TEST_CASE("a stored transaction is read strictly", "[authorize][transaction]") {
  auto tx = build_ok().transaction;
  std::string verifier(tx.verifier.view());
  nlohmann::json good = nlohmann::json::parse(transaction_to_json(tx).view());
  auto [what, mutate] = GENERATE(table<const char*, std::function<void(nlohmann::json&)>>({
      {"unknown member", [](nlohmann::json& j) { j["extra"] = 1; }},
      {"missing state", [](nlohmann::json& j) { j.erase("state"); }},
      {"short state", [](nlohmann::json& j) { j["state"] = "abc"; }},
      {"state with padding", [](nlohmann::json& j) { j["state"] = std::string(42, 'a') + "="; }},
      {"missing verifier", [](nlohmann::json& j) { j.erase("code_verifier"); }},
      {"short verifier", [](nlohmann::json& j) { j["code_verifier"] = "abc"; }},
      {"verifier a number", [](nlohmann::json& j) { j["code_verifier"] = 7; }},
      {"created_at a string", [](nlohmann::json& j) { j["created_at"] = "1700000000"; }},
      {"negative created_at", [](nlohmann::json& j) { j["created_at"] = -5; }},
      {"version 2", [](nlohmann::json& j) { j["version"] = 2; }},
      {"missing version", [](nlohmann::json& j) { j.erase("version"); }},
      {"insecure issuer", [](nlohmann::json& j) { j["issuer"] = "http://as.example"; }},
      {"redirect with fragment", [](nlohmann::json& j) { j["redirect_uri"] = "https://app.example/cb#x"; }},
      {"empty client_id", [](nlohmann::json& j) { j["client_id"] = ""; }},
      {"openid scope without nonce", [](nlohmann::json& j) { j["nonce"] = ""; }},
      {"nonce without openid scope", [](nlohmann::json& j) { j["scope"] = "profile"; }},
      {"resource not a list", [](nlohmann::json& j) { j["resource"] = "https://api.example/"; }},
      {"resource with fragment", [](nlohmann::json& j) { j["resource"] = {"https://api.example/#x"}; }},
      {"missing resource", [](nlohmann::json& j) { j.erase("resource"); }},
      {"negative max_age", [](nlohmann::json& j) { j["max_age"] = -1; }},
  }));
  INFO(what);
  nlohmann::json bad = good;
  mutate(bad);
  auto parsed = transaction_from_json(bad.dump());
  REQUIRE_ERROR(parsed, codes::invalid_argument);
  CHECK(parsed.error().blame == Blame::local);
  CHECK_NO_SECRETS(parsed.error(), verifier);
}

TEST_CASE("a stored transaction that is not one JSON object is refused", "[authorize][transaction]") {
  auto tx = build_ok().transaction;
  std::string json(transaction_to_json(tx).view());
  REQUIRE_ERROR(transaction_from_json(""), codes::invalid_argument);
  REQUIRE_ERROR(transaction_from_json("[]"), codes::invalid_argument);
  REQUIRE_ERROR(transaction_from_json(json.substr(0, json.size() - 1)), codes::invalid_argument);
  std::string duplicated = json.substr(0, json.size() - 1) + R"(,"state":")" + std::string(43, 'A') + "\"}";
  REQUIRE_ERROR(transaction_from_json(duplicated), codes::invalid_argument);
  REQUIRE_ERROR(transaction_from_json(std::string(70 * 1024, ' ') + json), codes::invalid_argument);
}
