// Shared by the harnesses: the fuzzer's bytes read as a few newline-separated fields, so one
// corpus file carries both what the server sent and what the client expected (issuer, state...).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "protocol/http.hpp"

namespace oauth::fuzz {

// Reads fields off the front of the input, one line each; the last field takes the rest.
class Fields {
 public:
  Fields(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  std::string_view line() {
    std::size_t nl = rest_.find('\n');
    std::string_view field = rest_.substr(0, nl);
    rest_ = nl == std::string_view::npos ? std::string_view() : rest_.substr(nl + 1);
    return field;
  }
  std::string_view rest() const { return rest_; }

  // A line of decimal digits as a number in [min, max]; `fallback` when it is anything else.
  std::int64_t number(std::int64_t min, std::int64_t max, std::int64_t fallback) {
    std::string_view text = line();
    if (text.empty() || text.size() > 18) return fallback;
    std::int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return fallback;
      value = value * 10 + (c - '0');
    }
    return value < min || value > max ? fallback : value;
  }

 private:
  std::string_view rest_;
};

// A response as the shim hands it over: lowercased header names, the body as text.
inline HttpResponse json_response(int status, std::string_view body) {
  return HttpResponse(status, {{"content-type", "application/json; charset=utf-8"}, {"cache-control", "no-store"}},
                      std::string(body));
}

// A broken invariant is a finding: trap so libFuzzer saves the input.
inline void require(bool holds) {
  if (!holds) __builtin_trap();
}

// Every refusal is a typed error: a non-empty code of RFC 6749 §5.2 characters (%x20-21 /
// %x23-5B / %x5D-7E) that an app can switch on.
inline void require_typed(const Error& error) {
  require(!error.code.empty());
  for (char c : error.code) require(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\');
}

}  // namespace oauth::fuzz
