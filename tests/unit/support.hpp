// Shared helpers for the Catch2 tests: hex, and how Catch2 prints our types.
#pragma once
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace oauth::test {

inline std::string hex_decode(std::string_view hex) {
  std::string out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    if (hex[i] == ' ' || hex[i] == '\n') { --i; continue; }
    out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  }
  return out;
}

inline std::string hex_encode(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace oauth::test

namespace Catch {
template <>
struct StringMaker<oauth::Error> {
  static std::string convert(const oauth::Error& e) { return "Error{" + e.code + ": " + e.description + "}"; }
};
template <typename T>
struct StringMaker<oauth::Result<T>> {
  static std::string convert(const oauth::Result<T>& r) {
    return r.ok() ? std::string("Ok") : StringMaker<oauth::Error>::convert(r.error());
  }
};
}  // namespace Catch

// REQUIRE_OK(expr): the Result must hold a value; prints the error otherwise.
#define REQUIRE_OK(expr)                                                         \
  do {                                                                           \
    const auto& oauth_r_ = (expr);                                               \
    INFO((oauth_r_.ok() ? std::string() : oauth_r_.error().code + ": " + oauth_r_.error().description)); \
    REQUIRE(oauth_r_.ok());                                                      \
  } while (0)

// REQUIRE_ERROR(expr, code): the Result must fail with this error code.
#define REQUIRE_ERROR(expr, expected_code)                                       \
  do {                                                                           \
    const auto& oauth_r_ = (expr);                                               \
    REQUIRE_FALSE(oauth_r_.ok());                                                \
    CHECK(oauth_r_.error().code == std::string(expected_code));                  \
  } while (0)
