#include "protocol/jwks_lifetime.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/limits.hpp"

namespace oauth {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9111 §1.2.2: delta-seconds = 1*DIGIT; a value past 2^31 counts as 2^31.
std::optional<std::int64_t> delta_seconds(std::string_view text) {
  constexpr std::int64_t kCap = 2147483648;
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min(value * 10 + (c - '0'), kCap);
  }
  return value;
}

// What the Cache-Control directives say about reuse (RFC 9111 §5.2).
struct Freshness {
  std::optional<std::int64_t> max_age;
  bool stale = false;  // may not be reused, or its freshness is unreadable
};

// Reads one Cache-Control value: directives separated by commas, each a token with an optional
// "=" and a token or quoted-string argument (RFC 9111 §5.2, RFC 9110 §5.6.4).
void read_directives(std::string_view value, Freshness& out) {
  std::size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ',' || is_space(value[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < value.size() && value[i] != '=' && value[i] != ',') ++i;
    const std::string_view name = trim(value.substr(start, i - start));
    const bool has_argument = i < value.size() && value[i] == '=';
    std::string argument;
    if (has_argument && ++i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;  // quoted-pair
        argument += value[i];
      }
      while (i < value.size() && value[i] != ',') ++i;  // past the closing quote
    } else if (has_argument) {  // a token, i past the '='
      const std::size_t arg_start = i;
      while (i < value.size() && value[i] != ',') ++i;
      argument = std::string(trim(value.substr(arg_start, i - arg_start)));
    }
    if (equals_ignoring_case(name, "max-age")) {
      auto seconds = delta_seconds(argument);
      if (!seconds || out.max_age) out.stale = true;  // §4.2.1: invalid or conflicting
      out.max_age = seconds.value_or(0);
    } else if (equals_ignoring_case(name, "no-store") || (equals_ignoring_case(name, "no-cache") && !has_argument)) {
      out.stale = true;  // no-cache="field" only concerns those header fields (§5.2.2.4)
    }
  }
}

}  // namespace

std::int64_t jwks_lifetime(const HttpHeaders& headers) {
  Freshness freshness;
  std::optional<std::int64_t> age;
  for (const auto& [name, value] : headers) {
    if (equals_ignoring_case(name, "Cache-Control")) read_directives(value, freshness);
    if (equals_ignoring_case(name, "Age") && !age) age = delta_seconds(trim(value));
  }
  std::int64_t lifetime = kJwksDefaultLifetimeSeconds;
  if (freshness.stale) {
    lifetime = kJwksMinLifetimeSeconds;
  } else if (freshness.max_age) {
    lifetime = *freshness.max_age - age.value_or(0);
  }
  return std::clamp(lifetime, kJwksMinLifetimeSeconds, kJwksMaxLifetimeSeconds);
}

}  // namespace oauth
