// The lexer nlohmann/json instantiates for the core's documents, with one of its members replaced
// (its float conversion). Documents are read through DocumentByte, an iterator type local to the
// file that includes this header, so the lexer instantiated for it is that file's alone: nothing
// else in the program parses with it, and the replaced member changes nothing else. Include it
// (through document_parser.hpp) in the one file that parses (json_access.cpp);
// bench/floors/nlohmann_text_numbers.cpp measures what it saves. The member that worded the
// offending token of a parse error (with snprintf) was replaced too while nlohmann's parser
// called it; the core's grammar (document_parser.hpp) never does.
#pragma once
#include <cstddef>
#include <cstring>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace oauth {
namespace {

struct DocumentByte {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* at;
  reference operator*() const { return *at; }
  DocumentByte& operator++() {
    ++at;
    return *this;
  }
  bool operator==(const DocumentByte& other) const { return at == other.at; }
  bool operator!=(const DocumentByte& other) const { return at != other.at; }
};

}  // namespace
}  // namespace oauth

using DocumentLexer =
    nlohmann::detail::lexer<nlohmann::json, nlohmann::detail::iterator_input_adapter<oauth::DocumentByte>>;

// A number with a fraction or an exponent is kept as its text (json_decimal.hpp): the double the
// lexer would compute is never read, so libc's strtod (musl's computes in long double) is not
// linked. 0 is finite, so the parser hands the number on with its text, and the builder checks
// the text's range.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-attributes"  // upstream's nonnull(2): the token buffer never is null
#endif
template <>
void DocumentLexer::strtof(double& f, const char* str, char** endptr) noexcept {
  f = 0;
  *endptr = const_cast<char*>(str) + std::strlen(str);  // the lexer's token buffer, NUL-terminated
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
