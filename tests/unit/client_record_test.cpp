// Persistence: a DPoP key held outside the core (the core builds each proof, the holder signs its
// signing input), the session record of the refresh token, and a session restored from one.
#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/jwk_thumbprint.hpp"
#include "crypto/sha2.hpp"
#include "session/client.hpp"
#include "dpop_support.hpp"
#include "json_value_support.hpp"
#include "jwt_signer.hpp"
#include "protocol_fixtures.hpp"
#include "support.hpp"

using namespace oauth;
using nlohmann::json;

namespace {

const char* kIssuer = "https://as.example.test";

EcPrivateKey fresh_key() {
  auto key = EcPrivateKey::generate_p256();
  REQUIRE_OK(key);
  return std::move(*key);
}

// The key's holder, as web/dpop-webcrypto.mjs is: it signs what the core hands it.
struct Holder {
  EcPrivateKey key = fresh_key();
  std::string jwk() const { return ec_public_jwk_json(key.public_key()); }
  std::string thumbprint() const { return jwk_thumbprint_sha256(key.public_key()); }
  std::string complete(std::string_view signing_input) const {
    auto signature = key.sign_digest(sha256(signing_input));
    REQUIRE_OK(signature);
    return std::string(signing_input) + "." + base64url_encode(*signature);
  }
};

Client ready_client(const std::string& settings_extra = "") {
  auto s = parse_client_settings(std::string(R"({"issuer":"https://as.example.test","clientId":"spa",)") +
                                 R"("redirectUri":"https://app.example.test/callback","apiOrigins":["https://api.example.test"])" +
                                 settings_extra + "}");
  REQUIRE_OK(s);
  auto client = Client::create(std::move(*s));
  REQUIRE_OK(client);
  REQUIRE_OK(client->accept_metadata(HttpResponse(
      200, {{"Content-Type", "application/json"}},
      R"({"issuer":"https://as.example.test","authorization_endpoint":"https://as.example.test/auth",)"
      R"("token_endpoint":"https://as.example.test/token","jwks_uri":"https://as.example.test/jwks",)"
      R"("code_challenge_methods_supported":["S256"],"dpop_signing_alg_values_supported":["ES256"]})")));
  return std::move(*client);
}

HttpResponse json_response(int status, std::string body, HttpHeaders extra = {}) {
  extra.emplace_back("Content-Type", "application/json");
  return HttpResponse(status, std::move(extra), std::move(body));
}

std::string token_body(const test::JwtSigner& signer, const std::string& nonce, const std::string& sub,
                       const std::string& refresh_token, const std::string& token_type = "DPoP") {
  json claims = {{"iss", kIssuer}, {"sub", sub}, {"aud", "spa"}, {"iat", 1000}, {"exp", 99999}};
  if (!nonce.empty()) claims["nonce"] = nonce;
  return json{{"access_token", "at-" + refresh_token}, {"token_type", token_type}, {"expires_in", 300},
              {"refresh_token", refresh_token}, {"id_token", signer.sign(claims)}}.dump();
}

using test::query_param;

std::string_view dpop_of(const HttpRequest& request) {
  auto header = find_header(request.headers, "DPoP");
  REQUIRE(header);
  return *header;
}

// Logs in (OIDC, sub "alice"); returns the code exchange as sent. log_in() installs the holder's
// key first; without it the core makes its own when DPoP is in use.
HttpRequest finish_login(Client& client, const test::JwtSigner& signer, const std::string& token_type = "DPoP") {
  auto start = client.authorize(AuthorizationOptions{}, 1000);
  REQUIRE_OK(start);
  auto step = client.callback("https://app.example.test/callback?code=c&state=" + start->navigate->state, "", 1001);
  REQUIRE_OK(step);
  HttpRequest sent = *step->request;
  REQUIRE_OK(client.resume(json_response(200, token_body(signer, query_param(start->navigate->url, "nonce"), "alice", "rt-1", token_type)), 1002));
  auto done = client.resume(json_response(200, signer.jwks()), 1003);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  return sent;
}

HttpRequest log_in(Client& client, const Holder& holder, const test::JwtSigner& signer,
                   const std::string& token_type = "DPoP") {
  REQUIRE_OK(client.use_external_dpop_key(holder.jwk()));
  return finish_login(client, signer, token_type);
}

std::string record_of(const Client& client) {
  auto record = client.export_session(true);
  REQUIRE_OK(record);
  return std::string(record->view());
}

// The record of a login (sub "alice") made with the holder's key.
std::string recorded_login(const Holder& holder, const test::JwtSigner& signer) {
  Client first = ready_client();
  log_in(first, holder, signer);
  return record_of(first);
}

// A new client holding the holder's key, restored from `record`.
Client restored(const Holder& holder, const std::string& record) {
  Client client = ready_client();
  REQUIRE_OK(client.use_external_dpop_key(holder.jwk()));
  REQUIRE_OK(client.restore_session(record));
  return client;
}

}  // namespace

// --- The external key ------------------------------------------------------------------------

TEST_CASE("an external key's proof is the signing input; signed by the holder it verifies with its header jwk",
          "[dpop][external][rfc9449]") {
  Holder holder;
  auto key = DpopKey::external(holder.jwk());
  REQUIRE_OK(key);
  CHECK(key->is_external());
  CHECK(key->thumbprint() == holder.thumbprint());
  auto input = key->proof({"GET", test::url_of("https://api.example.test/things?x=1"), 1234, "n-1", "the-token"});
  REQUIRE_OK(input);
  CHECK(std::count(input->begin(), input->end(), '.') == 1);  // BASE64URL(header) "." BASE64URL(claims)
  test::DecodedProof p = test::verified_proof(holder.complete(*input));
  CHECK(p.header == json::parse(R"({"alg":"ES256","typ":"dpop+jwt","jwk":)" + holder.jwk() + "}"));
  CHECK(p.claims.at("htm") == "GET");
  CHECK(p.claims.at("htu") == "https://api.example.test/things");
  CHECK(p.claims.at("iat") == 1234);
  CHECK(p.claims.at("nonce") == "n-1");
  CHECK(p.claims.at("ath") == base64url_encode(sha256("the-token")));
  CHECK(p.claims.at("jti").get<std::string>().size() >= 22);
}

TEST_CASE("an external key that is private, of another curve, off the curve or malformed is refused",
          "[dpop][external]") {
  Holder holder;
  json jwk = json::parse(holder.jwk());
  json with_d = jwk;
  with_d["d"] = base64url_encode(std::string(32, '\x01'));
  json p384 = jwk;
  p384["crv"] = "P-384";
  json off_curve = jwk;
  std::string y = *base64url_decode(jwk["y"].get<std::string>());
  y.back() = static_cast<char>(y.back() ^ 1);
  off_curve["y"] = base64url_encode(y);
  json short_x = jwk;
  short_x["x"] = base64url_encode(std::string(31, '\x02'));
  for (const std::string& bad : {with_d.dump(), p384.dump(), off_curve.dump(), short_x.dump(), std::string("{\"kty\":\"EC\""),
                                 std::string("[]"), std::string(R"({"kty":"RSA","n":"AQAB","e":"AQAB"})")}) {
    INFO(bad);
    REQUIRE_ERROR(DpopKey::external(bad), codes::invalid_key);
  }
}

TEST_CASE("with an external key every token request's proof is a signing input the holder completes",
          "[session][dpop][external][rfc9449]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = ready_client();
  HttpRequest sent = log_in(client, holder, signer);
  test::DecodedProof login = test::verified_proof(holder.complete(dpop_of(sent)));
  CHECK(login.claims.at("htu") == "https://as.example.test/token");
  CHECK(client.tokens()->token_type == TokenType::dpop);

  // The refresh, and its use_dpop_nonce retry (RFC 9449 §8) with the nonce in the new input.
  auto refresh = client.refresh(1100);
  REQUIRE_OK(refresh);
  test::verified_proof(holder.complete(dpop_of(*refresh->request)));
  auto retry = client.resume(json_response(400, R"({"error":"use_dpop_nonce"})", {{"DPoP-Nonce", "n-2"}}), 1101);
  REQUIRE_OK(retry);
  REQUIRE(retry->request);
  CHECK(test::verified_proof(holder.complete(dpop_of(*retry->request))).claims.at("nonce") == "n-2");

  // A resource request: Authorization: DPoP with the signing input as its DPoP header.
  auto done = client.resume(json_response(200, token_body(signer, "", "alice", "rt-2")), 1102);
  REQUIRE_OK(done);
  auto headers = client.authorize_resource("https://api.example.test/x", "GET", 1103);
  REQUIRE_OK(headers);
  test::DecodedProof resource = test::verified_proof(holder.complete(*find_header(*headers, "DPoP")));
  CHECK(resource.claims.at("ath") == base64url_encode(sha256("at-rt-2")));
}

TEST_CASE("after logout an external session makes no key of its own: a new external key is needed",
          "[session][dpop][external]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = ready_client();
  log_in(client, holder, signer);
  client.logout();
  REQUIRE_ERROR(client.authorize(AuthorizationOptions{}, 1200), codes::dpop_key_lost);
  Holder next;
  REQUIRE_OK(client.use_external_dpop_key(next.jwk()));
  auto start = client.authorize(AuthorizationOptions{}, 1200);
  REQUIRE_OK(start);
  CHECK(query_param(start->navigate->url, "dpop_jkt") == next.thumbprint());
}

TEST_CASE("another external key is refused while held tokens are bound to the first", "[session][dpop][external]") {
  Holder holder, other;
  test::JwtSigner signer("k1");
  Client client = ready_client();
  log_in(client, holder, signer);
  REQUIRE_ERROR(client.use_external_dpop_key(other.jwk()), codes::dpop_key_mismatch);
  REQUIRE_OK(client.use_external_dpop_key(holder.jwk()));  // the same key again is harmless
}

// --- The record ------------------------------------------------------------------------------

TEST_CASE("the record holds the refresh token, scope, dpop_jkt and sub, and never an access or ID token",
          "[session][record]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = ready_client();
  log_in(client, holder, signer);
  json record = json::parse(record_of(client));
  CHECK(record == json{{"v", 1}, {"issuer", kIssuer}, {"client_id", "spa"}, {"refresh_token", "rt-1"},
                       {"scope", "openid"}, {"dpop_jkt", holder.thumbprint()}, {"sub", "alice"}});
  CHECK(record_of(client).find(std::string(client.tokens()->access_token.view())) == std::string::npos);
  CHECK(record_of(client).find(std::string(client.tokens()->id_token.view())) == std::string::npos);
}

TEST_CASE("no record is made of a refresh token that is not bound to a key that outlives the core",
          "[session][record][rfc9449]") {
  test::JwtSigner signer("k1");
  SECTION("bound to the core's own key") {
    Client client = ready_client();
    auto start = client.authorize(AuthorizationOptions{}, 1000);
    REQUIRE_OK(client.callback("https://app.example.test/callback?code=c&state=" + start->navigate->state, "", 1001));
    REQUIRE_OK(client.resume(json_response(200, token_body(signer, query_param(start->navigate->url, "nonce"), "alice", "rt-1")), 1002));
    REQUIRE_OK(client.resume(json_response(200, signer.jwks()), 1003));
    REQUIRE_ERROR(client.export_session(true), codes::persist_unsupported);
    REQUIRE_ERROR(client.export_session(false), codes::persist_unsupported);
  }
  SECTION("not DPoP-bound (a Bearer session)") {
    Client client = ready_client(R"(,"dpop":false)");
    auto start = client.authorize(AuthorizationOptions{}, 1000);
    REQUIRE_OK(client.callback("https://app.example.test/callback?code=c&state=" + start->navigate->state, "", 1001));
    REQUIRE_OK(client.resume(json_response(200, token_body(signer, query_param(start->navigate->url, "nonce"), "alice", "rt-1", "Bearer")), 1002));
    REQUIRE_OK(client.resume(json_response(200, signer.jwks()), 1003));
    REQUIRE_ERROR(client.export_session(true), codes::persist_unsupported);
    auto bearer = client.export_session(false);  // the CLI's file, which is its own protection
    REQUIRE_OK(bearer);
    CHECK(json::parse(bearer->view())["dpop_jkt"] == "");
  }
  SECTION("a confidential client (RFC 9449 §5 binds only public clients' refresh tokens)") {
    Holder holder;
    Client client = ready_client(R"(,"clientSecret":"s3cret")");
    log_in(client, holder, signer);
    REQUIRE_ERROR(client.export_session(true), codes::persist_unsupported);
  }
  SECTION("no session") { REQUIRE_ERROR(ready_client().export_session(true), codes::login_required); }
}

TEST_CASE("a restored session refreshes with a proof of the same key and verifies the new ID token",
          "[session][record][rfc9449]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = restored(holder, recorded_login(holder, signer));
  CHECK_FALSE(client.authenticated(1100));
  CHECK(client.has_refresh_token());
  REQUIRE_ERROR(client.authorize_resource("https://api.example.test/x", "GET", 1100), codes::token_expired);
  auto refresh = client.refresh(1100);
  REQUIRE_OK(refresh);
  CHECK(query_param("https://x.test/?" + refresh->request->body, "refresh_token") == "rt-1");
  test::DecodedProof p = test::verified_proof(holder.complete(dpop_of(*refresh->request)));
  CHECK(p.header.at("jwk") == json::parse(holder.jwk()));
  auto jwks = client.resume(json_response(200, token_body(signer, "", "alice", "rt-2")), 1101);
  REQUIRE_OK(jwks);
  REQUIRE(jwks->request);  // the ID token is verified: the JWKS first
  auto done = client.resume(json_response(200, signer.jwks()), 1102);
  REQUIRE_OK(done);
  REQUIRE(done->done);
  CHECK(test::to_nlohmann(client.user())["sub"] == "alice");
  CHECK(client.authenticated(1102));
  CHECK(json::parse(record_of(client))["refresh_token"] == "rt-2");  // the rotated one
}

TEST_CASE("a restored session whose refresh brings another user's ID token is ended", "[session][record][oidc]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = restored(holder, recorded_login(holder, signer));
  REQUIRE_OK(client.refresh(1100));
  REQUIRE_OK(client.resume(json_response(200, token_body(signer, "", "mallory", "rt-2")), 1101));
  REQUIRE_ERROR(client.resume(json_response(200, signer.jwks()), 1102), codes::session_expired);
  CHECK_FALSE(client.has_refresh_token());
  CHECK(client.user().is_null());
}

TEST_CASE("a restored session answered invalid_grant is ended", "[session][record]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = restored(holder, recorded_login(holder, signer));
  REQUIRE_OK(client.refresh(1100));
  REQUIRE_ERROR(client.resume(json_response(400, R"({"error":"invalid_grant"})"), 1101), codes::session_expired);
  CHECK_FALSE(client.has_refresh_token());
}

TEST_CASE("a tampered, truncated or extended record is session_record_invalid and leaves the client as it was",
          "[session][record]") {
  Holder holder;
  test::JwtSigner signer("k1");
  const std::string record = recorded_login(holder, signer);
  Client client = ready_client();
  REQUIRE_OK(client.use_external_dpop_key(holder.jwk()));
  for (std::size_t n = 0; n < record.size(); ++n) {
    INFO(n);
    REQUIRE_ERROR(client.restore_session(record.substr(0, n)), codes::session_record_invalid);
  }
  json doc = json::parse(record);
  std::vector<json> bad(8, doc);
  bad[0]["v"] = 2;
  bad[1]["access_token"] = "at";
  bad[2].erase("sub");
  bad[3]["refresh_token"] = "rt\n1";
  bad[4]["refresh_token"] = "";
  bad[5]["dpop_jkt"] = "not-a-thumbprint";
  bad[6]["scope"] = "a\"b";
  bad[7]["issuer"] = 42;
  for (const json& b : bad) {
    INFO(b.dump());
    REQUIRE_ERROR(client.restore_session(b.dump()), codes::session_record_invalid);
  }
  REQUIRE_ERROR(client.restore_session(record + "x"), codes::session_record_invalid);
  CHECK_FALSE(client.has_refresh_token());
}

TEST_CASE("a record of another issuer or client is session_record_foreign", "[session][record]") {
  Holder holder;
  test::JwtSigner signer("k1");
  json doc = json::parse(recorded_login(holder, signer));
  Client client = ready_client();
  REQUIRE_OK(client.use_external_dpop_key(holder.jwk()));
  json other_issuer = doc, other_client = doc;
  other_issuer["issuer"] = "https://evil.example.test";
  other_client["client_id"] = "another-spa";
  REQUIRE_ERROR(client.restore_session(other_issuer.dump()), codes::session_record_foreign);
  REQUIRE_ERROR(client.restore_session(other_client.dump()), codes::session_record_foreign);
}

TEST_CASE("a record bound to another key, or restored without the key, is dpop_key_mismatch", "[session][record][rfc9449]") {
  Holder holder, other;
  test::JwtSigner signer("k1");
  const std::string record = recorded_login(holder, signer);
  Client without_key = ready_client();
  REQUIRE_ERROR(without_key.restore_session(record), codes::dpop_key_mismatch);
  Client with_other = ready_client();
  REQUIRE_OK(with_other.use_external_dpop_key(other.jwk()));
  REQUIRE_ERROR(with_other.restore_session(record), codes::dpop_key_mismatch);
  CHECK_FALSE(with_other.has_refresh_token());
}

TEST_CASE("restore is refused while a refresh is pending, and export during one too", "[session][record]") {
  Holder holder;
  test::JwtSigner signer("k1");
  Client client = ready_client();
  log_in(client, holder, signer);
  const std::string record = record_of(client);
  REQUIRE_OK(client.refresh(1100));
  REQUIRE_ERROR(client.restore_session(record), codes::out_of_order);
  REQUIRE_ERROR(client.export_session(true), codes::out_of_order);
}

// --- The server's record of a whole session (the backend's store) -----------------------------

namespace {

const char* kConfidential = R"(,"clientSecret":"s3cret")";

// A confidential client logged in (sub "alice") with a DPoP key of the core's own, and its record.
std::string server_record_of(const Client& client) {
  auto record = client.export_server_session();
  REQUIRE_OK(record);
  return std::string(record->view());
}

}  // namespace

TEST_CASE("a server record carries every token, the claims and the DPoP key; a client restored from it is the same session",
          "[session][record][rfc9449]") {
  test::JwtSigner signer("k1");
  Client first = ready_client(kConfidential);
  finish_login(first, signer);
  REQUIRE(first.dpop_key());
  const std::string record = server_record_of(first);
  json doc = json::parse(record);
  CHECK(doc["access_token"] == "at-rt-1");
  CHECK(doc["refresh_token"] == "rt-1");
  CHECK(doc["token_type"] == "DPoP");
  CHECK(doc["expires_at"] == 1302);
  CHECK(doc["proved"] == true);
  CHECK(doc["sub"] == "alice");
  CHECK(doc["claims"]["sub"] == "alice");
  CHECK(doc["id_token"].get<std::string>().size() > 20);
  auto scalar = base64url_decode(doc["dpop_key"].get<std::string>());
  REQUIRE_OK(scalar);
  CHECK(scalar->size() == 32);

  Client second = ready_client(kConfidential);
  REQUIRE_OK(second.restore_server_session(record));
  CHECK(second.authenticated(1100));
  CHECK(test::to_nlohmann(second.user())["sub"] == "alice");
  REQUIRE(second.dpop_key());
  CHECK(second.dpop_key()->thumbprint() == first.dpop_key()->thumbprint());
  auto headers = second.authorize_resource("https://api.example.test/x", "GET", 1100);
  REQUIRE_OK(headers);
  CHECK(find_header(*headers, "Authorization") == std::optional<std::string_view>("DPoP at-rt-1"));
  test::DecodedProof p = test::verified_proof(std::string(*find_header(*headers, "DPoP")));
  CHECK(p.header.at("jwk") == json::parse(ec_public_jwk_json(first.dpop_key()->public_key())));
  // Its refresh proves the same key and verifies the new ID token against the recorded sub.
  auto refresh = second.refresh(1290);
  REQUIRE_OK(refresh);
  CHECK(query_param("https://x.test/?" + refresh->request->body, "refresh_token") == "rt-1");
  CHECK(test::verified_proof(std::string(dpop_of(*refresh->request))).header.at("jwk") == p.header.at("jwk"));
  REQUIRE_OK(second.resume(json_response(200, token_body(signer, "", "alice", "rt-2")), 1291));
  REQUIRE_OK(second.resume(json_response(200, signer.jwks()), 1292));
  CHECK(json::parse(server_record_of(second))["refresh_token"] == "rt-2");
  CHECK(json::parse(server_record_of(second))["sub"] == "alice");
  // Another user's ID token at a refresh ends a restored session.
  Client third = ready_client(kConfidential);
  REQUIRE_OK(third.restore_server_session(record));
  REQUIRE_OK(third.refresh(1290));
  REQUIRE_OK(third.resume(json_response(200, token_body(signer, "", "mallory", "rt-3")), 1291));
  REQUIRE_ERROR(third.resume(json_response(200, signer.jwks()), 1292), codes::session_expired);
}

TEST_CASE("a Bearer server record without a DPoP key restores as Bearer", "[session][record]") {
  test::JwtSigner signer("k1");
  Client first = ready_client(kConfidential);
  finish_login(first, signer);
  json doc = json::parse(server_record_of(first));
  doc["token_type"] = "Bearer";
  doc["proved"] = false;
  doc["dpop_key"] = "";
  doc["expires_at"] = nullptr;
  Client second = ready_client(kConfidential);
  REQUIRE_OK(second.restore_server_session(doc.dump()));
  CHECK(second.dpop_key() == nullptr);
  CHECK(second.authenticated(999999));  // no expiry known
  auto headers = second.authorize_resource("https://api.example.test/x", "GET", 1100);
  REQUIRE_OK(headers);
  CHECK(find_header(*headers, "Authorization") == std::optional<std::string_view>("Bearer at-rt-1"));
  CHECK_FALSE(find_header(*headers, "DPoP").has_value());
}

TEST_CASE("a tampered, truncated or extended server record is session_record_invalid and leaves the session as it was",
          "[session][record]") {
  test::JwtSigner signer("k1");
  Client first = ready_client(kConfidential);
  finish_login(first, signer);
  const std::string record = server_record_of(first);
  Client client = ready_client(kConfidential);
  REQUIRE_OK(client.restore_server_session(record));
  for (std::size_t n = 0; n < record.size(); ++n) {
    INFO(n);
    REQUIRE_ERROR(client.restore_server_session(record.substr(0, n)), codes::session_record_invalid);
  }
  const json doc = json::parse(record);
  const std::string n_minus_0 = base64url_encode(test::hex_decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"));
  std::vector<std::pair<const char*, json>> changes = {
      {"v", 2}, {"access_token", ""}, {"access_token", "at\n"}, {"token_type", "bearer"}, {"token_type", "MAC"},
      {"expires_at", -1}, {"expires_at", "1302"}, {"refresh_token", "rt\x01"}, {"id_token", 7}, {"scope", "a\"b"},
      {"proved", "yes"}, {"dpop_key", "short"}, {"dpop_key", base64url_encode(std::string(32, '\0'))}, {"dpop_key", n_minus_0},
      {"dpop_key", "not base64url!"}, {"sub", std::string(256, 'a')}, {"claims", json::array()},
      {"claims", json{{"sub", "mallory"}}}, {"issuer", 42}, {"extra", 1}};
  for (const auto& [member, value] : changes) {
    json bad = doc;
    bad[member] = value;
    INFO(bad.dump());
    REQUIRE_ERROR(client.restore_server_session(bad.dump()), codes::session_record_invalid);
  }
  json keyless = doc;  // a DPoP session without its key
  keyless["dpop_key"] = "";
  REQUIRE_ERROR(client.restore_server_session(keyless.dump()), codes::session_record_invalid);
  json missing = doc;
  missing.erase("claims");
  REQUIRE_ERROR(client.restore_server_session(missing.dump()), codes::session_record_invalid);
  REQUIRE_ERROR(client.restore_server_session(record + "x"), codes::session_record_invalid);
  // The browser's refresh-token record is not a server record, nor the other way round.
  Holder holder;
  REQUIRE_ERROR(client.restore_server_session(recorded_login(holder, signer)), codes::session_record_invalid);
  REQUIRE_ERROR(ready_client().restore_session(record), codes::session_record_invalid);
  // The session restored first stands.
  CHECK(client.authenticated(1100));
  CHECK(json::parse(server_record_of(client)) == doc);
}

TEST_CASE("a server record of another issuer or client is session_record_foreign", "[session][record]") {
  test::JwtSigner signer("k1");
  Client first = ready_client(kConfidential);
  finish_login(first, signer);
  json doc = json::parse(server_record_of(first));
  json other_issuer = doc, other_client = doc;
  other_issuer["issuer"] = "https://evil.example.test";
  other_client["client_id"] = "another-app";
  Client client = ready_client(kConfidential);
  REQUIRE_ERROR(client.restore_server_session(other_issuer.dump()), codes::session_record_foreign);
  REQUIRE_ERROR(client.restore_server_session(other_client.dump()), codes::session_record_foreign);
  CHECK_FALSE(client.tokens());
}

TEST_CASE("a server record is refused without a session, during a refresh and with an external DPoP key",
          "[session][record]") {
  test::JwtSigner signer("k1");
  REQUIRE_ERROR(ready_client(kConfidential).export_server_session(), codes::login_required);
  Client client = ready_client(kConfidential);
  finish_login(client, signer);
  const std::string record = server_record_of(client);
  REQUIRE_OK(client.refresh(1100));
  REQUIRE_ERROR(client.export_server_session(), codes::out_of_order);
  REQUIRE_ERROR(client.restore_server_session(record), codes::out_of_order);
  Holder holder;
  Client external = ready_client();
  log_in(external, holder, signer);
  REQUIRE_ERROR(external.export_server_session(), codes::persist_unsupported);
  REQUIRE_ERROR(external.restore_server_session(record), codes::persist_unsupported);
}
