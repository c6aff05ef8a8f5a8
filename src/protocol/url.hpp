// Just enough URL handling for OAuth (RFC 3986): absolute "scheme://host[:port][/path][?query][#fragment]"
// URLs, loopback detection, percent-encoding, and form-urlencoded parameters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace oauth {

struct Url {
  std::string scheme;                   // lower-cased
  std::string host;                     // lower-cased; an IPv6 literal keeps its brackets
  std::optional<std::uint16_t> port;    // as written; see effective_port()
  std::string path;                     // "/" when the URL has none (RFC 3986 §6.2.3)
  std::optional<std::string> query;     // without the '?'; "" for a bare '?'
  std::optional<std::string> fragment;  // without the '#'

  // The port, or the scheme's default (443 for https, 80 for http, 0 when unknown).
  std::uint16_t effective_port() const;
  // scheme://host[:port], the port only when it is not the scheme's default (RFC 6454 §6.2).
  std::string origin() const;
};

// Parses an absolute URL with an authority. Refused (invalid_argument): userinfo (RFC 9700
// §4.1.1 forbids it in redirect URIs and it hides the real host), a missing host, a bad port,
// percent-encoded or non-ASCII hosts, controls, spaces, backslashes and non-ASCII bytes anywhere.
Result<Url> parse_url(std::string_view text);

// localhost, 127.0.0.0/8 (dotted quad, no leading zeros) and [::1] (RFC 8252 §7.3, RFC 6761 §6.3).
bool is_loopback_host(std::string_view host);

// https, or http to a loopback host: the only transports we talk to.
bool is_https_or_loopback(const Url& url);

// A URL a person may be sent to: absolute, parsed as above, https (http only to a loopback host).
// Not javascript:, data: or any other scheme a page would run or render.
bool is_openable_url(std::string_view text);

// Percent-encodes every byte outside the RFC 3986 §2.3 unreserved set (space becomes %20), which
// is valid both in a query string and in an application/x-www-form-urlencoded body.
std::string percent_encode(std::string_view text);

// Decodes %XX escapes (strictly: a '%' must be followed by two hex digits). With plus_as_space,
// '+' becomes a space, as application/x-www-form-urlencoded wants.
Result<std::string> percent_decode(std::string_view text, bool plus_as_space);

// Parameters, in order. Our builders take views so no secret is copied on the way.
using FormParams = std::vector<std::pair<std::string, std::string>>;
using FormParamViews = std::vector<std::pair<std::string_view, std::string_view>>;

// Parses application/x-www-form-urlencoded text (a query or a fragment). A parameter given
// twice is refused: RFC 6749 §3.1 "MUST NOT be included more than once". Empty segments are
// skipped; an empty name is refused. Errors are invalid_encoding (local); callers re-code them.
Result<FormParams> parse_form_params(std::string_view text);

// name=value&name=value, both percent-encoded; sized in one allocation.
std::string encode_params(const FormParamViews& params);

// Appends `params` to `url`'s query (with '&' when it already has one: RFC 6749 §3.1 keeps the
// endpoint's own query). Refuses a URL with a fragment (RFC 6749 §3.1) and a parameter whose
// name the URL's query already holds.
Result<std::string> append_query_params(std::string_view url, const FormParamViews& params);

}  // namespace oauth
