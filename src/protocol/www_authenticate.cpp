#include "protocol/www_authenticate.hpp"

#include <cctype>

#include "protocol/http.hpp"

namespace oauth {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_tchar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A cursor over the header value.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!done() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  // OWS "," OWS, possibly repeated (the #rule allows empty list elements).
  bool skip_commas() {
    bool any = false;
    for (skip_space(); peek() == ','; skip_space()) {
      ++pos_;
      any = true;
    }
    return any;
  }
  std::string token() {
    std::size_t start = pos_;
    while (!done() && is_tchar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  // quoted-string (RFC 9110 §5.6.4) with quoted-pair; nullopt when unterminated or when it holds
  // a control character (qdtext and quoted-pair allow HTAB, SP, VCHAR and obs-text only).
  std::optional<std::string> quoted() {
    ++pos_;  // the opening quote
    std::string out;
    while (!done()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) return std::nullopt;
        c = text_[pos_++];
      }
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\t') || byte == 0x7F) return std::nullopt;
      out += c;
    }
    return std::nullopt;
  }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// After a scheme: whether an auth-param (token "=" value) starts here, rather than a token68
// (which may end in "=" padding, then a comma or the end) or the next challenge's scheme.
bool at_auth_param(Reader& r) {
  const std::size_t start = r.pos();
  const bool named = !r.token().empty();
  r.skip_space();
  bool param = named && r.peek() == '=';
  if (param) {
    r.seek(r.pos() + 1);
    param = r.peek() != '=';
    r.skip_space();
    param = param && !r.done() && r.peek() != ',';
  }
  r.seek(start);
  return param;
}

}  // namespace

std::vector<AuthChallenge> parse_www_authenticate(std::string_view header) {
  std::vector<AuthChallenge> out;
  Reader r(header);
  for (r.skip_commas(); !r.done(); r.skip_commas()) {
    AuthChallenge challenge;
    challenge.scheme = r.token();
    if (challenge.scheme.empty()) return out;
    r.skip_space();
    bool well_formed = true;
    if (!r.done() && r.peek() != ',' && !at_auth_param(r)) {
      // token68 (RFC 9110 §11.2): 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
      while (!r.done() && (std::isalnum(static_cast<unsigned char>(r.peek())) ||
                           std::string_view("-._~+/").find(r.peek()) != std::string_view::npos))
        r.seek(r.pos() + 1);
      while (r.peek() == '=') r.seek(r.pos() + 1);
      r.skip_space();
      well_formed = r.done() || r.peek() == ',';
    } else {
      while (at_auth_param(r)) {
        std::string name = r.token();
        for (char& c : name) c = lower(c);
        r.skip_space();
        r.seek(r.pos() + 1);  // '=', as at_auth_param saw
        r.skip_space();
        std::optional<std::string> value;
        if (r.peek() == '"') {
          value = r.quoted();
        } else if (std::string token = r.token(); !token.empty()) {
          value = std::move(token);
        }
        if (!value) {
          well_formed = false;
          break;
        }
        challenge.params.emplace_back(std::move(name), std::move(*value));
        r.skip_space();
        if (r.done()) break;
        const std::size_t before_commas = r.pos();
        if (!r.skip_commas()) {
          well_formed = false;
          break;
        }
        if (!at_auth_param(r)) {
          r.seek(before_commas);  // the next challenge's scheme follows the commas
          break;
        }
      }
    }
    if (!well_formed) return out;
    out.push_back(std::move(challenge));
  }
  return out;
}

std::optional<std::string> challenge_param(const std::vector<AuthChallenge>& challenges, std::string_view scheme,
                                           std::string_view name) {
  for (const auto& challenge : challenges) {
    if (!equals_ignoring_case(challenge.scheme, scheme)) continue;
    for (const auto& [param, value] : challenge.params) {
      if (equals_ignoring_case(param, name)) return value;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

bool is_invalid_token_challenge(std::string_view header) {
  const auto challenges = parse_www_authenticate(header);
  for (const char* scheme : {"Bearer", "DPoP"}) {
    auto error = challenge_param(challenges, scheme, "error");
    if (error && *error == "invalid_token") return true;
  }
  return false;
}

}  // namespace oauth
