// A logged-in session's resource requests (RFC 6750, RFC 9449 §7, §9): Client::authorize_resource
// for a URL, then the resource server's answer through Client::accept_resource_response, which
// keeps its DPoP-Nonce and asks for one more try after a use_dpop_nonce challenge. Input: the
// session's token type on the first line ("DPoP": a DPoP session; "allow-bearer": DPoP on but the
// server issued a Bearer token, dpopAllowBearer set; anything else: a Bearer session without
// DPoP), then answers separated by a line "---", each the request URL on its first line, the HTTP
// status on the next (401 when it is not a number), header lines "name: value" up to an empty
// line, then the body. The session has more API origins than the nonce cache holds
// (kMaxDpopNonceOrigins), so the least recently updated origin's nonce is dropped, as a model of
// the cache predicts.
#include <algorithm>
#include <string>
#include <vector>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/sha2.hpp"
#include "fuzz_input.hpp"
#include "json/json_write.hpp"
#include "protocol/dpop_nonce_cache.hpp"
#include "protocol/dpop_proof.hpp"
#include "protocol/url.hpp"
#include "session/client.hpp"
#include "session/settings.hpp"

using namespace oauth;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr std::size_t kMaxAnswers = 24;
constexpr std::string_view kAccessToken = "Rq7vXbT2kLm9PzW4sYc8NdFh3JeU6gAa0iOo5tKwQxE";
constexpr std::string_view kRefreshToken = "Zp4Ls8Qw2Er6Ty0Ui3Op7As1Df5Gh9JkMnBv2Cx6Zq";
// Two origins with names of their own, then api1..api16: one more than the nonce cache holds.
const std::vector<std::string> kApiOrigins = [] {
  std::vector<std::string> origins = {"https://api.example.test", "http://127.0.0.1:37083"};
  for (int i = 1; i <= static_cast<int>(kMaxDpopNonceOrigins); ++i) origins.push_back(concat({"https://api", decimal(i), ".example.test"}));
  return origins;
}();

enum class Mode { bearer, dpop, allow_bearer };

// A session logged in with the planted tokens (no ID token: the scope has no openid).
Client logged_in(Mode mode) {
  std::string settings_json =
      R"({"issuer":"https://as.example.test","clientId":"spa","redirectUri":"https://app.example.test/callback",)"
      R"("apiOrigins":)";
  std::string origins;
  for (const std::string& origin : kApiOrigins) origins += concat({origins.empty() ? "[" : ",", json_string(origin)});
  settings_json += concat({origins, "]"});
  settings_json += mode == Mode::bearer ? "}" : mode == Mode::dpop ? R"(,"dpop":true})" : R"(,"dpop":true,"dpopAllowBearer":true})";
  auto settings = parse_client_settings(settings_json);
  fuzz::require(settings.ok());
  auto client = Client::create(std::move(*settings));
  fuzz::require(client.ok());
  fuzz::require(client->accept_metadata(fuzz::json_response(
                    200, R"({"issuer":"https://as.example.test","authorization_endpoint":"https://as.example.test/auth",)"
                         R"("token_endpoint":"https://as.example.test/token","code_challenge_methods_supported":["S256"],)"
                         R"("authorization_response_iss_parameter_supported":true})"))
                    .ok());
  AuthorizationOptions options;
  options.scope = "api:read";
  auto start = client->authorize(options, kNow);
  fuzz::require(start.ok());
  auto step = client->callback("https://app.example.test/callback?code=c0de&state=" + start->navigate->state +
                                   "&iss=https%3A%2F%2Fas.example.test",
                               "", kNow);
  fuzz::require(step.ok() && step->request.has_value());
  step = client->resume(fuzz::json_response(200, concat({R"({"access_token":")", kAccessToken, R"(","token_type":")",
                                                         mode == Mode::dpop ? "DPoP" : "Bearer",
                                                         R"(","expires_in":600,"refresh_token":")", kRefreshToken,
                                                         R"(","scope":"api:read"})"})),
                        kNow);
  fuzz::require(step.ok() && step->done.has_value());
  return std::move(*client);
}

// The parts of the token set an answer from a resource must leave as they are.
struct TokenView {
  std::string access_token, refresh_token, id_token, token_type, scope;
  std::optional<std::int64_t> expires_at;
  bool operator==(const TokenView& o) const {
    return access_token == o.access_token && refresh_token == o.refresh_token && id_token == o.id_token &&
           token_type == o.token_type && scope == o.scope && expires_at == o.expires_at;
  }
};

std::optional<TokenView> token_view(const Client& client) {
  const TokenSet* t = client.tokens();
  if (!t) return std::nullopt;
  return TokenView{std::string(t->access_token.view()), std::string(t->refresh_token.view()),
                   std::string(t->id_token.view()), token_type_name(t->token_type), t->scope, t->expires_at};
}

std::string origin_of(std::string_view url) {
  auto parsed = parse_url(url);
  return parsed.ok() ? parsed->origin() : std::string();
}

bool is_api_origin(const std::string& origin) {
  return std::find(kApiOrigins.begin(), kApiOrigins.end(), origin) != kApiOrigins.end();
}

// What the session's nonce cache should hold: origin and nonce, the least recently updated first,
// at most kMaxDpopNonceOrigins (RFC 9449 §8.2: a new nonce replaces the origin's old one).
class NonceModel {
 public:
  void update(const std::string& origin, std::string nonce) {
    if (!touched(origin)) touched_.push_back(origin);
    auto held = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == origin; });
    if (held != entries_.end()) entries_.erase(held);
    if (entries_.size() == kMaxDpopNonceOrigins) entries_.erase(entries_.begin());
    entries_.emplace_back(origin, std::move(nonce));
  }
  std::string nonce_for(const std::string& origin) const {
    for (const auto& [held, nonce] : entries_)
      if (held == origin) return nonce;
    return {};
  }
  // Whether any nonce was ever kept for the origin (dropped since, or not).
  bool touched(const std::string& origin) const {
    return std::find(touched_.begin(), touched_.end(), origin) != touched_.end();
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::vector<std::string> touched_;
};

// nonce = 1*NQCHAR (RFC 9449 §8.1), NQCHAR = %x21 / %x23-5B / %x5D-7E; ours bounded in length.
bool is_nqchars(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kMaxDpopNonceLength) return false;
  for (char c : nonce)
    if (!(c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) return false;
  return true;
}

// A DPoP proof (RFC 9449 §4.2) signed by the session's key for `method` and `url`, with ath of the
// planted access token, no token in clear, and `nonce` (none when empty).
void require_proof(const Client& client, std::string_view proof, std::string_view method, std::string_view url,
                   std::string_view nonce, bool with_ath) {
  const std::size_t first = proof.find('.'), second = proof.find('.', first + 1);
  fuzz::require(first != std::string_view::npos && second != std::string_view::npos &&
                proof.find('.', second + 1) == std::string_view::npos);
  auto header = base64url_decode(proof.substr(0, first));
  auto claims_text = base64url_decode(proof.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(proof.substr(second + 1));
  fuzz::require(header.ok() && claims_text.ok() && signature.ok());
  fuzz::require(client.dpop_key() != nullptr);
  fuzz::require(client.dpop_key()->public_key().verify_digest(sha256(proof.substr(0, second)), *signature).ok());
  // Unless the app's URL (htu) or the server's nonce holds it.
  for (std::string_view secret : {kAccessToken, kRefreshToken}) {
    if (url.find(secret) == std::string_view::npos && nonce.find(secret) == std::string_view::npos)
      fuzz::require(claims_text->find(secret) == std::string::npos);
  }
  auto claims = nlohmann::json::parse(*claims_text, nullptr, false);
  fuzz::require(claims.is_object());
  auto htu = dpop_htu(url);
  fuzz::require(htu.ok());
  fuzz::require(claims.value("htm", "") == method && claims.value("htu", "") == *htu);
  fuzz::require(claims.value("iat", std::int64_t{0}) == kNow);
  if (with_ath) fuzz::require(claims.value("ath", "") == base64url_encode(sha256(kAccessToken)));
  else fuzz::require(!claims.contains("ath"));
  if (nonce.empty()) fuzz::require(!claims.contains("nonce"));
  else fuzz::require(claims.value("nonce", "") == nonce);
}

// An error never repeats a planted token, unless the input itself holds it (a URL the app passed).
void require_no_tokens(const Error& error, std::string_view input) {
  for (std::string_view secret : {kAccessToken, kRefreshToken}) {
    if (input.find(secret) != std::string_view::npos) continue;
    fuzz::require(error.description.find(secret) == std::string::npos && error.uri.find(secret) == std::string::npos);
  }
}

// The headers authorize_resource gives for an API origin: the token in its scheme, and for a DPoP
// token a proof carrying the nonce held for that origin.
void require_resource_headers(const Client& client, Mode mode, std::string_view url, const std::string& nonce,
                              std::string_view input) {
  auto headers = client.authorize_resource(url, "GET", kNow);
  if (!headers.ok()) {  // a URL the proof cannot name
    fuzz::require_typed(headers.error());
    require_no_tokens(headers.error(), input);
    fuzz::require(mode == Mode::dpop && !dpop_htu(url).ok());
    return;
  }
  auto authorization = find_header(*headers, "Authorization");
  fuzz::require(authorization.has_value());
  if (mode != Mode::dpop) {
    fuzz::require(headers->size() == 1 && *authorization == concat({"Bearer ", kAccessToken}));
    return;
  }
  fuzz::require(headers->size() == 2 && *authorization == concat({"DPoP ", kAccessToken}));
  auto proof = find_header(*headers, "DPoP");
  fuzz::require(proof.has_value());
  require_proof(client, *proof, "GET", url, nonce, true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  fuzz::Fields in(data, size);
  const std::string_view mode_line = in.line();
  const Mode mode = mode_line == "DPoP" ? Mode::dpop : mode_line == "allow-bearer" ? Mode::allow_bearer : Mode::bearer;
  std::vector<std::string_view> answers = fuzz::split_parts(in.rest());
  if (answers.size() > kMaxAnswers) answers.resize(kMaxAnswers);

  Client client = logged_in(mode);
  const std::optional<TokenView> tokens = token_view(client);
  fuzz::require(tokens.has_value() && tokens->token_type == (mode == Mode::dpop ? "DPoP" : "Bearer"));
  fuzz::require((client.dpop_key() != nullptr) == (mode != Mode::bearer));
  const std::string thumbprint = client.dpop_key() ? client.dpop_key()->thumbprint() : std::string();
  NonceModel nonces;  // per API origin, the nonce its proofs must carry
  std::vector<std::pair<std::string, HttpResponse>> seen;

  for (std::string_view answer : answers) {
    fuzz::Fields part(reinterpret_cast<const std::uint8_t*>(answer.data()), answer.size());
    const std::string url(part.line());
    const HttpResponse response = fuzz::http_response(part, 401);
    const std::string origin = origin_of(url);
    const bool api = !origin.empty() && is_api_origin(origin);

    // The request: the token goes to a configured API origin only.
    if (api) {
      require_resource_headers(client, mode, url, nonces.nonce_for(origin), input);
    } else {
      auto headers = client.authorize_resource(url, "GET", kNow);
      fuzz::require(!headers.ok());
      fuzz::require_typed(headers.error());
      require_no_tokens(headers.error(), input);
      if (!origin.empty()) fuzz::require(headers.error().code == codes::origin_not_allowed);
    }

    // Its answer: a DPoP session keeps an API origin's valid DPoP-Nonce (RFC 9449 §8.2), and asks
    // for one more try exactly when it came with a 401 DPoP use_dpop_nonce challenge (§9).
    const bool again = client.accept_resource_response(url, response);
    auto nonce = find_header(response.headers, "DPoP-Nonce");
    const bool taken = mode == Mode::dpop && api && nonce && is_nqchars(*nonce);
    if (taken) nonces.update(origin, std::string(*nonce));
    fuzz::require(again == (taken && is_resource_nonce_demand(response)));
    if (again) fuzz::require(response.status == 401);

    // Whatever the answer (a 401 invalid_token too), the session and its key are as they were.
    fuzz::require(token_view(client) == tokens && client.authenticated(kNow));
    fuzz::require((client.dpop_key() ? client.dpop_key()->thumbprint() : std::string()) == thumbprint);

    // The retry's headers carry the nonce just received; only this origin's proofs do.
    if (again) require_resource_headers(client, mode, url, nonces.nonce_for(origin), input);
    seen.emplace_back(url, response);
  }

  // Every API origin's proofs carry its own nonce, the token endpoint's carry none of theirs
  // (RFC 9449 §8: nonces are per server), and the refresh keeps the key and the token type.
  // An origin whose nonce the cache dropped gets proofs without one. (Origins no answer came from
  // hold nothing, like the second named one: checking that one stands for them all.)
  for (const std::string& origin : kApiOrigins) {
    if (&origin - &kApiOrigins.front() < 2 || nonces.touched(origin))
      require_resource_headers(client, mode, origin + "/me", nonces.nonce_for(origin), input);
  }
  auto refresh = client.refresh(kNow);
  fuzz::require(refresh.ok());
  // A refresh token got with a proof is refreshed with one, a Bearer access token beside it or not
  // (RFC 9449 §5: a public client's refresh token stays bound to the key).
  auto refresh_proof = find_header(refresh->request->headers, "DPoP");
  fuzz::require(refresh_proof.has_value() == (mode != Mode::bearer));
  if (refresh_proof) require_proof(client, *refresh_proof, "POST", "https://as.example.test/token", "", false);
  for (const auto& header : refresh->request->headers) fuzz::require(header.second.find(kAccessToken) == std::string::npos);

  // After logout nothing is kept: no tokens, no key, and no answer asks for a retry.
  client.logout();
  fuzz::require(client.tokens() == nullptr && client.dpop_key() == nullptr);
  for (const auto& [url, response] : seen) fuzz::require(!client.accept_resource_response(url, response));
  auto after = client.authorize_resource("https://api.example.test/me", "GET", kNow);
  fuzz::require(!after.ok() && after.error().code == codes::login_required);
  return 0;
}
