#include "protocol/jwks_lifetime.hpp"

#include "protocol/limits.hpp"
#include "support.hpp"

using namespace oauth;

TEST_CASE("a JWKS is trusted for its max-age less its Age, within 5 minutes and a day", "[jwks][rfc9111]") {
  auto [cache_control, age, lifetime] = GENERATE(table<const char*, const char*, std::int64_t>({
      {nullptr, nullptr, kJwksDefaultLifetimeSeconds},
      {"public", nullptr, kJwksDefaultLifetimeSeconds},
      {"max-age=600", nullptr, 600},
      {"public, max-age=7200, must-revalidate", nullptr, 7200},
      {"MAX-AGE=7200", nullptr, 7200},
      {"max-age=\"7200\"", nullptr, 7200},
      {" max-age = 7200 ", nullptr, 7200},
      {"max-age=7200", "1000", 6200},
      {"max-age=7200", "7000", kJwksMinLifetimeSeconds},
      {"max-age=7200", "soon", 7200},  // an Age that is not delta-seconds is not read
      {"max-age=10", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=0", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=31536000", nullptr, kJwksMaxLifetimeSeconds},
      {"max-age=99999999999999999999999999", nullptr, kJwksMaxLifetimeSeconds},
      {"no-store", nullptr, kJwksMinLifetimeSeconds},
      {"no-cache", nullptr, kJwksMinLifetimeSeconds},
      {"No-Cache, max-age=86400", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=86400, no-store", nullptr, kJwksMinLifetimeSeconds},
      {"no-cache=\"set-cookie\", max-age=7200", nullptr, 7200},  // only about that header field
      {"private=\"x, no-store\", max-age=7200", nullptr, 7200},  // a comma inside quotes
      {"max-age=7200, max-age=60", nullptr, kJwksMinLifetimeSeconds},  // conflicting: stale
      {"max-age=abc", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=-5", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=", nullptr, kJwksMinLifetimeSeconds},
      {"max-age", nullptr, kJwksMinLifetimeSeconds},
      {"max-age=\"7200", nullptr, 7200},  // an unclosed quote ends with the value
  }));
  HttpHeaders headers = {{"content-type", "application/json"}};
  if (cache_control) headers.emplace_back("cache-control", cache_control);
  if (age) headers.emplace_back("age", age);
  INFO((cache_control ? cache_control : "(none)") << " / Age " << (age ? age : "(none)"));
  CHECK(jwks_lifetime(headers) == lifetime);
}

TEST_CASE("every Cache-Control field line is read", "[jwks][rfc9111]") {
  CHECK(jwks_lifetime({{"Cache-Control", "public"}, {"Cache-Control", "max-age=900"}}) == 900);
  CHECK(jwks_lifetime({{"Cache-Control", "max-age=900"}, {"cache-control", "no-store"}}) == kJwksMinLifetimeSeconds);
}
