#include "protocol/callback.hpp"

#include "core/error_codes.hpp"
#include "protocol_fixtures.hpp"

using namespace oauth;
using oauth::test::test_client;
using oauth::test::issuer_metadata;
using oauth::test::test_metadata;
using oauth::test::test_server_metadata;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr const char* kRedirect = "https://app.example/callback";
constexpr const char* kCode = "SplxlOBeZQQYbYS6WxSbIA";

struct Flow {
  IssuerMetadata metadata = test_metadata();
  Transaction tx;
  std::string verifier;
};

Flow start(ServerMetadata metadata = test_server_metadata()) {
  Flow flow;
  flow.metadata = issuer_metadata(std::move(metadata));
  auto request = build_authorization_request(flow.metadata, test_client(), {}, kNow);
  REQUIRE_OK(request);
  flow.tx = std::move(request->transaction);
  flow.verifier = std::string(flow.tx.verifier.view());
  return flow;
}

CallbackParams parse_ok(const std::string& url) {
  auto params = parse_callback_url(url, kRedirect);
  INFO(url);
  REQUIRE_OK(params);
  return std::move(params).value();
}

std::string callback(const Flow& flow, const std::string& more = "") {
  return std::string(kRedirect) + "?code=" + kCode + "&state=" + flow.tx.state + more;
}

Result<ValidatedCallback> validate(const Flow& flow, const std::string& url, std::int64_t now = kNow + 5) {
  auto params = parse_ok(url);
  return validate_callback(params, flow.tx, flow.metadata, now);
}

}  // namespace

TEST_CASE("a callback's parameters come from its query", "[callback][rfc6749]") {
  auto params = parse_ok(std::string(kRedirect) +
                         "?code=a%2Bb+c&state=s1&iss=https%3A%2F%2Fas.example&session_state=x&"
                         "error=access_denied&error_description=The+user+said+no&error_uri=https%3A%2F%2Fas.example%2Fe");
  REQUIRE(params.code);
  CHECK(params.code->view() == "a+b c");
  CHECK(params.state == std::optional<std::string>("s1"));
  CHECK(params.iss == std::optional<std::string>("https://as.example"));
  CHECK(params.error == std::optional<std::string>("access_denied"));
  CHECK(params.error_description == std::optional<std::string>("The user said no"));
  CHECK(params.error_uri == std::optional<std::string>("https://as.example/e"));
}

TEST_CASE("the callback must come to the redirect URI's scheme, host, port and path", "[callback][rfc6749]") {
  CHECK(parse_callback_url("https://APP.example:443/callback?code=x&state=y", kRedirect).ok());
  auto url = GENERATE(as<std::string>{}, "http://app.example/callback?code=x", "https://evil.example/callback?code=x",
                      "https://app.example:8443/callback?code=x", "https://app.example/callback/?code=x",
                      "https://app.example/Callback?code=x", "https://app.example/?code=x");
  INFO(url);
  auto params = parse_callback_url(url, kRedirect);
  REQUIRE_ERROR(params, codes::redirect_uri_mismatch);
}

TEST_CASE("a callback URL read once tells its state and which redirect URI it fits", "[callback][rfc6749]") {
  const std::string url = std::string(kRedirect) + "?code=c&state=s-1";
  CallbackUrl read = CallbackUrl::read(url);
  CHECK(read.state() == "s-1");
  CHECK(read.fits(kRedirect));
  CHECK_FALSE(read.fits("https://app.example/silent"));
  auto params = parse_callback_url(std::move(read), kRedirect);
  REQUIRE_OK(params);
  CHECK(params->state == std::optional<std::string>("s-1"));
  // Unreadable ones carry no state and fit nowhere; the error is the one parse_callback_url gives.
  for (const std::string bad : {std::string(kRedirect) + "?state=a&state=b", std::string(kRedirect),
                                std::string(kRedirect) + "?access_token=t&state=s", std::string("not a url"),
                                std::string(kRedirect) + "?state=s&x=" + std::string(kMaxCallbackUrlBytes, 'a')}) {
    INFO(bad.substr(0, 80));
    CallbackUrl unreadable = CallbackUrl::read(bad);
    CHECK_FALSE(unreadable.fits(kRedirect));
    auto direct = parse_callback_url(bad, kRedirect);
    REQUIRE_FALSE(direct.ok());
    REQUIRE_ERROR(parse_callback_url(std::move(unreadable), kRedirect), direct.error().code);
  }
  CHECK(CallbackUrl::read(std::string(kRedirect) + "?state=a&state=b").state().empty());
  CHECK(CallbackUrl::read(std::string(kRedirect) + "?access_token=t&state=s").state() == "s");  // read leniently
}

TEST_CASE("a redirect URI with its own query still matches", "[callback][rfc6749]") {
  auto params = parse_callback_url("https://app.example/cb?app=1&code=x&state=y", "https://app.example/cb?app=1");
  REQUIRE_OK(params);
  CHECK(params->state == std::optional<std::string>("y"));
}

TEST_CASE("a response in the fragment is the implicit flow and refused", "[callback][oauth2.1]") {
  auto url = GENERATE(as<std::string>{}, "https://app.example/callback#access_token=SECRETtok&token_type=Bearer&state=s",
                      "https://app.example/callback#id_token=eyJ&state=s", "https://app.example/callback#code=abc&state=s",
                      "https://app.example/callback?state=s#state=s&acc%65ss_token=SECRETtok",
                      "https://app.example/callback?code=abc&state=s&access_token=SECRETtok",
                      "https://app.example/callback?code=abc&state=s&id_token=eyJ");
  INFO(url);
  auto params = parse_callback_url(url, kRedirect);
  REQUIRE_ERROR(params, codes::implicit_flow_refused);
  CHECK_NO_SECRETS(params.error(), "SECRETtok", "abc", "eyJ");
}

TEST_CASE("a fragment without a response is left to the page", "[callback]") {
  auto params = parse_ok("https://app.example/callback?code=abc&state=s#/home");
  CHECK(params.code->view() == "abc");
}

TEST_CASE("repeated callback parameters are refused", "[callback][rfc6749]") {
  auto url = GENERATE(as<std::string>{}, "https://app.example/callback?code=a&state=s&state=s",
                      "https://app.example/callback?code=a&code=b&state=s", "https://app.example/callback?iss=x&iss=x");
  INFO(url);
  auto params = parse_callback_url(url, kRedirect);
  REQUIRE_ERROR(params, codes::invalid_callback);
  CHECK(params.error().blame == Blame::remote);
  CHECK_NO_SECRETS(params.error(), "=a", "=b");
}

// A callback padded to `size` bytes with a parameter of the redirect URI's own kind (ignored).
std::string padded_callback(const Flow& flow, std::size_t size) {
  std::string url = callback(flow, "&pad=");
  REQUIRE(url.size() <= size);
  url.append(size - url.size(), 'x');
  return url;
}

TEST_CASE("a callback URL longer than kMaxCallbackUrlBytes is refused before it is read", "[callback][limits]") {
  Flow flow = start();
  REQUIRE_OK(parse_callback_url(padded_callback(flow, kMaxCallbackUrlBytes), kRedirect));
  auto params = parse_callback_url(padded_callback(flow, kMaxCallbackUrlBytes + 1), kRedirect);
  REQUIRE_ERROR(params, codes::invalid_callback);
  CHECK(params.error().blame == Blame::remote);
  CHECK(params.error().description == "the callback URL is longer than 8192 bytes");
  CHECK_NO_SECRETS(params.error(), kCode, flow.tx.state);
  // A 2 MB link (browsers follow those) is refused as fast as any other.
  REQUIRE_ERROR(parse_callback_url(padded_callback(flow, 2 * 1024 * 1024), kRedirect), codes::invalid_callback);
}

TEST_CASE("a repeated parameter is found among thousands", "[callback][rfc6749]") {
  Flow flow = start();
  std::string url = callback(flow);
  for (int i = 0; i < 600; ++i) url += "&p" + std::to_string(i) + "=1";
  REQUIRE(url.size() < kMaxCallbackUrlBytes);
  REQUIRE_OK(parse_callback_url(url, kRedirect));
  auto params = parse_callback_url(url + "&p299=2", kRedirect);
  REQUIRE_ERROR(params, codes::invalid_callback);
  CHECK(params.error().description == "the callback query: the parameter p299 appears more than once");
}

TEST_CASE("a malformed callback URL is invalid_callback", "[callback]") {
  REQUIRE_ERROR(parse_callback_url("https://app.example/callback", kRedirect), codes::invalid_callback);
  REQUIRE_ERROR(parse_callback_url("https://app.example/callback?code=%zz", kRedirect), codes::invalid_callback);
  REQUIRE_ERROR(parse_callback_url("not a url", kRedirect), codes::invalid_callback);
  REQUIRE_ERROR(parse_callback_url("https://app.example/callback?code=x", "/callback"), codes::invalid_argument);
}

TEST_CASE("a callback with the right state and code validates", "[callback][rfc6749]") {
  Flow flow = start();
  auto validated = validate(flow, callback(flow));
  REQUIRE_OK(validated);
  CHECK(validated->code().view() == kCode);
  CHECK(validated->state() == flow.tx.state);
}

TEST_CASE("a callback whose state differs is state_mismatch", "[callback][rfc6749][csrf]") {
  Flow flow = start();
  std::string other = flow.tx.state;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  std::string prefix = std::string(kRedirect) + "?code=" + kCode;
  std::string wrong = prefix + "&state=" + other;
  std::string missing = prefix;
  std::string empty = prefix + "&state=";
  std::string longer = prefix + "&state=" + flow.tx.state + "x";
  auto url = GENERATE_COPY(wrong, missing, empty, longer);
  INFO(url);
  auto validated = validate(flow, url);
  REQUIRE_ERROR(validated, codes::state_mismatch);
  CHECK(validated.error().blame == Blame::remote);
  CHECK_NO_SECRETS(validated.error(), kCode, flow.verifier);
}

TEST_CASE("a transaction older than its lifetime is expired", "[callback]") {
  Flow flow = start();
  REQUIRE_OK(validate(flow, callback(flow), kNow + kTransactionTtlSeconds));
  auto late = validate(flow, callback(flow), kNow + kTransactionTtlSeconds + 1);
  REQUIRE_ERROR(late, codes::transaction_expired);
  CHECK_NO_SECRETS(late.error(), kCode, flow.verifier);
  auto params = parse_ok(callback(flow));
  REQUIRE_ERROR(validate_callback(params, flow.tx, flow.metadata, kNow + 61, 60), codes::transaction_expired);
  REQUIRE_ERROR(validate_callback(params, flow.tx, flow.metadata, kNow, 0), codes::invalid_argument);
}

TEST_CASE("a transaction made for another issuer is refused", "[callback][mix-up]") {
  Flow flow = start();
  flow.tx.issuer = "https://other.example";
  REQUIRE_ERROR(validate(flow, callback(flow)), codes::issuer_mismatch);
}

TEST_CASE("a callback whose iss differs from the issuer is iss_mismatch", "[callback][rfc9207]") {
  Flow flow = start();
  REQUIRE_OK(validate(flow, callback(flow, "&iss=https%3A%2F%2Fas.example")));
  auto iss = GENERATE(as<std::string>{}, "https%3A%2F%2Fevil.example", "https%3A%2F%2Fas.example%2F", "");
  INFO(iss);
  auto validated = validate(flow, callback(flow, "&iss=" + iss));
  REQUIRE_ERROR(validated, codes::iss_mismatch);
  CHECK_NO_SECRETS(validated.error(), kCode, flow.verifier);
}

TEST_CASE("a callback without iss is iss_missing when the server advertises it", "[callback][rfc9207]") {
  ServerMetadata m = test_server_metadata();
  m.authorization_response_iss_parameter_supported = true;
  Flow flow = start(m);
  REQUIRE_ERROR(validate(flow, callback(flow)), codes::iss_missing);
  REQUIRE_OK(validate(flow, callback(flow, "&iss=https%3A%2F%2Fas.example")));
}

TEST_CASE("an error response becomes an Error with the server's code", "[callback][rfc6749]") {
  Flow flow = start();
  auto denied = validate(flow, std::string(kRedirect) + "?error=access_denied&error_description=The+user+said+no"
                                                        "&error_uri=https%3A%2F%2Fas.example%2Fdenied&state=" +
                                   flow.tx.state);
  REQUIRE_ERROR(denied, "access_denied");
  CHECK(denied.error().description == "The user said no");
  CHECK(denied.error().uri == "https://as.example/denied");
  CHECK(denied.error().blame == Blame::remote);

  auto with_iss = validate(flow, std::string(kRedirect) + "?error=access_denied&iss=https%3A%2F%2Fas.example&state=" +
                                     flow.tx.state);
  REQUIRE_ERROR(with_iss, "access_denied");
  CHECK(with_iss.error().description.empty());
}

TEST_CASE("iss and state are checked before an error is believed", "[callback][rfc9207][mix-up]") {
  Flow flow = start();
  std::string error = std::string(kRedirect) + "?error=access_denied&state=" + flow.tx.state;
  REQUIRE_ERROR(validate(flow, error + "&iss=https%3A%2F%2Fevil.example"), codes::iss_mismatch);
  REQUIRE_ERROR(validate(flow, std::string(kRedirect) + "?error=access_denied&state=wrong"), codes::state_mismatch);
  ServerMetadata m = test_server_metadata();
  m.authorization_response_iss_parameter_supported = true;
  Flow strict = start(m);
  REQUIRE_ERROR(validate(strict, std::string(kRedirect) + "?error=access_denied&state=" + strict.tx.state),
                codes::iss_missing);
}

TEST_CASE("error fields outside their character sets are not passed on", "[callback][rfc6749]") {
  Flow flow = start();
  std::string base = std::string(kRedirect) + "?state=" + flow.tx.state;
  REQUIRE_ERROR(validate(flow, base + "&error=bad%22code"), codes::invalid_callback);
  REQUIRE_ERROR(validate(flow, base + "&error="), codes::invalid_callback);
  auto odd = validate(flow, base + "&error=access_denied&error_description=%3Cb%3E%22hi%22&error_uri=a%20b");
  REQUIRE_ERROR(odd, "access_denied");
  CHECK(odd.error().description.empty());
  CHECK(odd.error().uri.empty());
}

TEST_CASE("a callback's error_uri that is not an https URL is dropped, the error kept", "[callback][rfc6749]") {
  Flow flow = start();
  std::string base = std::string(kRedirect) + "?error=access_denied&state=" + flow.tx.state;
  auto script = validate(flow, base + "&error_uri=javascript%3Aalert(document.cookie)");
  REQUIRE_ERROR(script, "access_denied");
  CHECK(script.error().uri.empty());
}

TEST_CASE("a callback without a code is invalid_callback", "[callback][rfc6749]") {
  Flow flow = start();
  REQUIRE_ERROR(validate(flow, std::string(kRedirect) + "?state=" + flow.tx.state), codes::invalid_callback);
  REQUIRE_ERROR(validate(flow, std::string(kRedirect) + "?code=&state=" + flow.tx.state), codes::invalid_callback);
}
