// WWW-Authenticate challenges (RFC 9110 §11.6.1) as a resource server sends them with a 401
// (RFC 6750 §3, RFC 9449 §7.1, §9: the DPoP error and nonce demand). Input: the header value.
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "protocol/dpop_nonce_cache.hpp"
#include "protocol/www_authenticate.hpp"

using namespace oauth;

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

// token = 1*tchar (RFC 9110 §5.6.2).
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// The challenges written back as a header: every value as a quoted-string (RFC 9110 §5.6.4).
std::string serialise(const std::vector<AuthChallenge>& challenges) {
  std::string out;
  for (const auto& challenge : challenges) {
    if (!out.empty()) out += ", ";
    out += challenge.scheme;
    const char* separator = " ";
    for (const auto& [name, value] : challenge.params) {
      out += separator;
      out += name;
      out += "=\"";
      for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      separator = ", ";
    }
  }
  return out;
}

bool same(const std::vector<AuthChallenge>& a, const std::vector<AuthChallenge>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].scheme != b[i].scheme || a[i].params != b[i].params) return false;
  }
  return true;
}

// challenge_param as its comment in www_authenticate.hpp states it.
std::optional<std::string> expected_param(const std::vector<AuthChallenge>& challenges, std::string_view scheme,
                                          std::string_view name) {
  for (const auto& challenge : challenges) {
    if (lowered(challenge.scheme) != lowered(scheme)) continue;
    for (const auto& [param, value] : challenge.params) {
      if (param == lowered(name)) return value;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  const std::vector<AuthChallenge> challenges = parse_www_authenticate(header);

  // Everything read comes from the input, in order: schemes and names are tokens found there
  // (names lower-cased), values are there verbatim unless a quoted-pair was unescaped, and all of
  // it together is no larger than the header.
  const std::string lower_header = lowered(header);
  const bool escapes = header.find('\\') != std::string_view::npos;
  std::size_t from = 0;
  std::size_t taken = 0;
  for (const auto& challenge : challenges) {
    fuzz::require(is_token(challenge.scheme));
    std::size_t at = header.find(challenge.scheme, from);
    fuzz::require(at != std::string_view::npos);
    from = at + challenge.scheme.size();
    taken += challenge.scheme.size();
    for (const auto& [name, value] : challenge.params) {
      fuzz::require(is_token(name) && name == lowered(name));
      at = lower_header.find(name, from);
      fuzz::require(at != std::string::npos);
      from = at + name.size();
      if (!escapes) {
        at = header.find(value, from);
        fuzz::require(at != std::string_view::npos);
        from = at + value.size();
      }
      taken += name.size() + 1 + value.size();  // name "=" value
    }
  }
  fuzz::require(taken <= header.size());

  // Written back and read again, the challenges are the same; so are they after leading commas.
  fuzz::require(same(parse_www_authenticate(serialise(challenges)), challenges));
  fuzz::require(same(parse_www_authenticate(" ,\t, " + std::string(header)), challenges));

  // challenge_param: the first challenge of that scheme decides, names compared case-insensitively.
  std::vector<std::pair<std::string, std::string>> lookups = {
      {"DPoP", "error"}, {"dpop", "NONCE"}, {"Bearer", "error"}};
  if (!challenges.empty()) {
    const AuthChallenge& last = challenges.back();
    lookups.emplace_back(last.scheme, "realm");
    if (!last.params.empty()) lookups.emplace_back(last.scheme, last.params[0].first);
  }
  for (const auto& [scheme, name] : lookups)
    fuzz::require(challenge_param(challenges, scheme, name) == expected_param(challenges, scheme, name));

  // RFC 9449 §9: a 401 with a DPoP challenge whose error is use_dpop_nonce asks for a nonce; no
  // other status does.
  const auto dpop_error = expected_param(challenges, "DPoP", "error");
  const bool demand = dpop_error && *dpop_error == "use_dpop_nonce";
  fuzz::require(is_resource_nonce_demand(HttpResponse(401, {{"www-authenticate", std::string(header)}}, "")) == demand);
  fuzz::require(!is_resource_nonce_demand(HttpResponse(400, {{"WWW-Authenticate", std::string(header)}}, "")));
  return 0;
}
