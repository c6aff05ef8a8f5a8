// OAUTH_TEXT("...") names a human text of an error: a description, a piece concat() joins, the
// meaning of a code (error_codes.hpp). The native build and the Node module keep the literal. The
// browser's module (OAUTH_TEXT_MARKERS, a compile definition of that target only, cmake/wasm.cmake)
// holds a marker instead: "\x01" and 6 hex digits, the literal's 32-bit FNV-1a hash folded to 24
// bits, computed by the compiler (a template argument), so the literal never reaches the wasm's
// data. The page writes the texts back (web/error-texts.mjs) from the table scripts/error-texts.mjs
// generates from these same literals (web/error-texts-table.mjs): only an app that meets an error
// fetches it. 24 bits keep the markers small (each is data brotli cannot shrink); the generator
// refuses two texts with one key. The argument is string literals only (adjacent ones are joined,
// as the compiler does).
#pragma once
#include <cstddef>
#include <cstdint>

namespace oauth::text {

// FNV-1a, 32 bits, over the literal's bytes (its UTF-8) without the NUL.
constexpr std::uint32_t fnv1a(const char* s, std::size_t n) {
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
  return h;
}

// The marker's key: the hash xor-folded to 24 bits (FNV's own advice for fewer bits).
constexpr std::uint32_t key(const char* s, std::size_t n) {
  const std::uint32_t h = fnv1a(s, n);
  return (h >> 24) ^ (h & 0xffffffu);
}

template <std::uint32_t K>
struct Marker {
  static constexpr char digit(unsigned shift) { return "0123456789abcdef"[(K >> shift) & 15u]; }
  static constexpr char value[8] = {'\x01', digit(20), digit(16), digit(12), digit(8), digit(4), digit(0), '\0'};
};

}  // namespace oauth::text

#ifdef OAUTH_TEXT_MARKERS
#define OAUTH_TEXT(literal) (::oauth::text::Marker<::oauth::text::key(literal, sizeof(literal) - 1)>::value)
#else
#define OAUTH_TEXT(literal) (literal)
#endif
