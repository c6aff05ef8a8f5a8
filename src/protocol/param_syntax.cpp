#include "protocol/param_syntax.hpp"

#include "protocol/url.hpp"

namespace oauth {
namespace {

// NQSCHAR = %x21 / %x23-5B / %x5D-7E: printable ASCII except '"', '\' and space.
bool is_nqschar(char c) { return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E); }

bool all_of_set(std::string_view text, bool allow_space) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_nqschar(c) && !(allow_space && c == ' ')) return false;
  }
  return true;
}

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986 §2: unreserved, reserved but '#' (no fragment here), and '%' (checked apart).
bool is_uri_char_but_fragment(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  for (char allowed : std::string_view("-._~:/?[]@!$&'()*+,;=")) {
    if (c == allowed) return true;
  }
  return false;
}

}  // namespace

bool is_valid_scope(std::string_view scope) {
  if (!all_of_set(scope, true)) return false;
  // Single spaces between tokens: no leading, trailing or doubled space.
  return scope.front() != ' ' && scope.back() != ' ' && scope.find("  ") == std::string_view::npos;
}

bool scope_has_token(std::string_view scope, std::string_view token) {
  std::size_t start = 0;
  while (start <= scope.size()) {
    std::size_t space = scope.find(' ', start);
    std::size_t end = space == std::string_view::npos ? scope.size() : space;
    if (scope.substr(start, end - start) == token) return true;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return false;
}

bool is_valid_resource(std::string_view resource) {
  // RFC 3986 §3.1 scheme, then ':' and something; URI characters only (§2: percent-encodings
  // well-formed); no fragment.
  std::size_t colon = resource.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == resource.size() || !is_alpha(resource[0]))
    return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = resource[i];
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (std::size_t i = 0; i < resource.size(); ++i) {
    if (resource[i] == '%') {
      if (i + 2 >= resource.size() || !is_hex_digit(resource[i + 1]) || !is_hex_digit(resource[i + 2])) return false;
      i += 2;
    } else if (!is_uri_char_but_fragment(resource[i])) {
      return false;
    }
  }
  return true;
}

bool is_valid_error_code(std::string_view error) { return all_of_set(error, true); }
bool is_valid_error_description(std::string_view description) { return all_of_set(description, true); }
bool is_valid_error_uri(std::string_view uri) { return all_of_set(uri, false); }
bool is_openable_error_uri(std::string_view uri) { return is_valid_error_uri(uri) && is_openable_url(uri); }

}  // namespace oauth
