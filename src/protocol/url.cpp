#include "protocol/url.hpp"

#include "core/error_codes.hpp"
#include "json/json_value.hpp"
#include "json/json_write.hpp"

namespace oauth {
namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 3986 §2.3.
bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return c - 'a' + 10;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::size_t encoded_size(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += is_unreserved(c) ? 1 : 3;
  return n;
}

void append_percent_encoded(std::string& out, std::string_view s) {
  static const char* digits = "0123456789ABCDEF";  // RFC 3986 §2.1: upper case
  for (char c : s) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += digits[u >> 4];
      out += digits[u & 15];
    }
  }
}

Error bad_url(const char* why) { return Error::local(codes::invalid_argument, concat({"a URL ", why})); }

// A parameter name fit to quote in an error: short and plain; anything else stays unnamed.
std::string quotable_name(std::string_view name) {
  bool plain = !name.empty() && name.size() <= 40;
  for (char c : name) plain = plain && (is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.');
  return plain ? concat({OAUTH_TEXT("the parameter "), name}) : std::string(OAUTH_TEXT("a parameter"));
}

// RFC 3986 §3.2.3: 1..65535 (port 0 is not a port one can connect to).
std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

Status parse_authority(std::string_view authority, Url& url) {
  // RFC 9700 §4.1.1 / RFC 3986 §7.6: userinfo only serves to disguise the host.
  if (authority.find('@') != std::string_view::npos) return bad_url(OAUTH_TEXT("may not hold userinfo"));
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(OAUTH_TEXT("has an unclosed IPv6 literal"));
    std::string_view inside = authority.substr(1, close - 1);
    if (inside.empty() || inside.find(':') == std::string_view::npos) return bad_url(OAUTH_TEXT("has a malformed IPv6 literal"));
    for (char c : inside) {
      if (!is_hex(c) && c != ':' && c != '.') return bad_url(OAUTH_TEXT("has a malformed IPv6 literal"));
    }
    url.host = "[" + lower(inside) + "]";
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(OAUTH_TEXT("has text after its IPv6 literal"));
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    std::size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (host.empty()) return bad_url(OAUTH_TEXT("needs a host"));
    for (char c : host) {
      if (!is_unreserved(c)) return bad_url(OAUTH_TEXT("host may hold only letters, digits and -._~"));
    }
    url.host = lower(host);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
  }
  if (has_port) {
    url.port = parse_port(port_text);
    if (!url.port) return bad_url(OAUTH_TEXT("has a malformed port"));
  }
  return Ok{};
}

}  // namespace

std::uint16_t Url::effective_port() const {
  if (port) return *port;
  if (scheme == "https") return 443;
  if (scheme == "http") return 80;
  return 0;
}

std::string Url::origin() const {
  std::string out = scheme + "://" + host;
  if (port && !((scheme == "https" && *port == 443) || (scheme == "http" && *port == 80)))
    out += ":" + decimal(*port);
  return out;
}

Result<Url> parse_url(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\\')
      return bad_url(OAUTH_TEXT("may not hold spaces, controls, backslashes or non-ASCII bytes"));
  }
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(text[0])) return bad_url(OAUTH_TEXT("needs a scheme"));
  for (std::size_t i = 1; i < colon; ++i) {
    char c = text[i];
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return bad_url(OAUTH_TEXT("has a malformed scheme"));
  }
  Url url;
  url.scheme = lower(text.substr(0, colon));
  if (text.substr(colon + 1, 2) != "//") return bad_url(OAUTH_TEXT("needs an authority (scheme://host)"));

  std::string_view rest = text.substr(colon + 3);
  std::size_t authority_end = rest.find_first_of("/?#");
  OAUTH_TRY(parse_authority(rest.substr(0, authority_end), url));
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    std::string_view fragment = rest.substr(hash + 1);
    if (fragment.find('#') != std::string_view::npos) return bad_url(OAUTH_TEXT("has more than one '#'"));
    url.fragment = std::string(fragment);
    rest = rest.substr(0, hash);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    url.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  url.path = rest.empty() ? "/" : std::string(rest);
  return url;
}

bool is_loopback_host(std::string_view host) {
  if (lower(host) == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8 as a strict dotted quad: four decimal octets, no leading zeros.
  int octets = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    std::string_view part = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int value = 0;
    for (char c : part) {
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (octets == 0 && value != 127)) return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return octets == 4;
}

bool is_https_or_loopback(const Url& url) {
  return url.scheme == "https" || (url.scheme == "http" && is_loopback_host(url.host));
}

bool is_openable_url(std::string_view text) {
  auto url = parse_url(text);
  return url.ok() && is_https_or_loopback(*url);
}

std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(encoded_size(text));
  append_percent_encoded(out, text);
  return out;
}

Result<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2]))
        return Error::local(codes::invalid_encoding, OAUTH_TEXT("a '%' is not followed by two hex digits"));
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<FormParams> parse_form_params(std::string_view text) {
  FormParams out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t amp = text.find('&', start);
    std::string_view segment =
        text.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    start = amp == std::string_view::npos ? text.size() + 1 : amp + 1;
    if (segment.empty()) continue;
    std::size_t eq = segment.find('=');
    OAUTH_ASSIGN_OR_RETURN(auto&& name, percent_decode(segment.substr(0, eq), true));
    if (name.empty()) return Error::local(codes::invalid_encoding, OAUTH_TEXT("a parameter has an empty name"));
    OAUTH_ASSIGN_OR_RETURN(auto&& value,
                           percent_decode(eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1),
                                          true));
    out.emplace_back(std::move(name), std::move(value));
  }
  // RFC 6749 §3.1: each parameter at most once. Found among the sorted names, n log n: the query
  // may be anyone's link, and comparing each name with every earlier one costs n².
  std::vector<std::string_view> names;
  names.reserve(out.size());
  for (const auto& param : out) names.emplace_back(param.first);
  if (auto repeated = repeated_text(std::move(names)))
    return Error::local(codes::invalid_encoding, concat({quotable_name(*repeated), OAUTH_TEXT(" appears more than once")}));
  return out;
}

std::string encode_params(const FormParamViews& params) {
  std::size_t size = 0;
  for (const auto& [name, value] : params) size += encoded_size(name) + 1 + encoded_size(value) + 1;
  std::string out;
  out.reserve(size);  // one allocation: no stray copies of a secret value in freed buffers
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    append_percent_encoded(out, name);
    out += '=';
    append_percent_encoded(out, value);
  }
  return out;
}

Result<std::string> append_query_params(std::string_view url, const FormParamViews& params) {
  if (url.find('#') != std::string_view::npos) return bad_url(OAUTH_TEXT("to add parameters to may not have a fragment"));
  std::size_t question = url.find('?');
  if (question != std::string_view::npos) {
    auto existing = parse_form_params(url.substr(question + 1));
    if (!existing.ok()) return bad_url(OAUTH_TEXT("to add parameters to has a malformed query"));
    for (const auto& [name, value] : params) {
      for (const auto& seen : *existing) {
        if (seen.first == name)
          return Error::local(codes::invalid_argument, concat({quotable_name(name), OAUTH_TEXT(" is already in the URL's query")}));
      }
    }
  }
  std::string out(url);
  if (params.empty()) return out;
  if (question == std::string_view::npos) {
    out += '?';
  } else if (out.back() != '?' && out.back() != '&') {
    out += '&';
  }
  out += encode_params(params);
  return out;
}

}  // namespace oauth
