// RFC 8259's grammar over nlohmann/json's lexer: the events nlohmann's own parser would send a SAX
// builder (json::sax_parse, strict), in the same order and stopping at the same token, without
// the parser's state stack (a std::vector<bool>) or the exception objects it builds to word a
// syntax error the core never shows. The lexer still reads every token: literals, numbers,
// strings with their escapes and UTF-8. The builder says how deep the parse is (nesting(),
// in_array()); tests/fuzz/fuzz_json_grammar.cpp checks this against nlohmann's parser on the same
// input. Include it in the one file that parses (json_access.cpp), as document_lexer.hpp.
#pragma once
#include <cstddef>
#include <string_view>

#include "json/document_lexer.hpp"

namespace oauth {
namespace {

// Parses `text` as one JSON value into `builder`: false at a syntax error (or trailing text), or
// when the builder refuses an event.
template <typename Builder>
bool parse_document(std::string_view text, Builder& builder) {
  using token = DocumentLexer::token_type;
  constexpr std::size_t unknown_size = static_cast<std::size_t>(-1);  // what nlohmann's parser passes
  DocumentLexer lexer({DocumentByte{text.data()}, DocumentByte{text.data() + text.size()}});
  // After `{` or `,` in an object: the member's name and its `:`.
  const auto member_name = [&](token t) {
    return t == token::value_string && builder.key(lexer.get_string()) && lexer.scan() == token::name_separator;
  };
  token t = lexer.scan();
  for (;;) {
    // `t` starts a value.
    bool accepted = false;
    switch (t) {
      case token::begin_object:
        if (!builder.start_object(unknown_size)) return false;
        t = lexer.scan();
        if (t != token::end_object) {
          if (!member_name(t)) return false;
          t = lexer.scan();
          continue;  // the first member's value
        }
        accepted = builder.end_object();
        break;
      case token::begin_array:
        if (!builder.start_array(unknown_size)) return false;
        t = lexer.scan();
        if (t != token::end_array) continue;  // the first element
        accepted = builder.end_array();
        break;
      case token::value_string: accepted = builder.string(lexer.get_string()); break;
      case token::value_integer: accepted = builder.number_integer(lexer.get_number_integer()); break;
      case token::value_unsigned: accepted = builder.number_unsigned(lexer.get_number_unsigned()); break;
      case token::value_float: accepted = builder.number_float(lexer.get_number_float(), lexer.get_string()); break;
      case token::literal_true: accepted = builder.boolean(true); break;
      case token::literal_false: accepted = builder.boolean(false); break;
      case token::literal_null: accepted = builder.null(); break;
      default: return false;  // a syntax error, the end of the input, or punctuation where a value belongs
    }
    if (!accepted) return false;
    // A value is complete: close what it completes, up to the next value or the end.
    for (;;) {
      if (builder.nesting() == 0) return lexer.scan() == token::end_of_input;
      const bool in_array = builder.in_array();
      t = lexer.scan();
      if (t == token::value_separator) break;
      if (t != (in_array ? token::end_array : token::end_object)) return false;
      if (!(in_array ? builder.end_array() : builder.end_object())) return false;
    }
    t = lexer.scan();
    if (!builder.in_array()) {
      if (!member_name(t)) return false;
      t = lexer.scan();
    }
  }
}

}  // namespace
}  // namespace oauth
