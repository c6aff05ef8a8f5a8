// Shared by the harnesses: the fuzzer's bytes read as a few newline-separated fields, so one
// corpus file carries both what the server sent and what the client expected (issuer, state...).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

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

// A sequence of answers in one input: the parts between lines "---".
inline std::vector<std::string_view> split_parts(std::string_view text) {
  constexpr std::string_view separator = "\n---\n";
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + separator.size());
  }
}

// A response as the shim hands it over: lowercased header names, the body as text.
inline HttpResponse json_response(int status, std::string_view body) {
  return HttpResponse(status, {{"content-type", "application/json; charset=utf-8"}, {"cache-control", "no-store"}},
                      std::string(body));
}

// A response with headers of the input's choosing: the HTTP status on the first line (`fallback`
// when it is not a number), then header lines "name: value" (the name as written, the value
// without surrounding spaces) up to an empty line, then the body. A header line without a colon is
// a header with that name and an empty value.
inline HttpResponse http_response(Fields& in, int fallback_status) {
  HttpResponse response;
  response.status = static_cast<int>(in.number(0, 999, fallback_status));
  for (std::string_view line = in.line(); !line.empty(); line = in.line()) {
    std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    response.headers.emplace_back(std::string(name), std::string(value));
  }
  response.body = std::string(in.rest());
  return response;
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

// Looks like a secret: at least 12 characters with upper- and lower-case letters and a digit and
// no space (a token, a code, a reference), so that the words of our own messages never match.
inline bool looks_secret(std::string_view text) {
  bool upper = false, lower = false, digit = false;
  for (char c : text) {
    if (c == ' ') return false;
    upper |= c >= 'A' && c <= 'Z';
    lower |= c >= 'a' && c <= 'z';
    digit |= c >= '0' && c <= '9';
  }
  return text.size() >= 12 && upper && lower && digit;
}

// The string member `name` of the JSON object `body`; empty when there is none.
inline std::string string_member(std::string_view body, const char* name) {
  auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (!doc.is_object()) return {};
  auto member = doc.find(name);
  if (member == doc.end() || !member->is_string()) return {};
  return member->get<std::string>();
}

// An error about a response never repeats the secret-looking string values that the JSON
// object `body` holds in `members`.
inline void require_no_secrets(const Error& error, std::string_view body, std::initializer_list<const char*> members) {
  auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (!doc.is_object()) return;
  for (const char* member : members) {
    auto value = doc.find(member);
    if (value == doc.end() || !value->is_string()) continue;
    const std::string& secret = value->get_ref<const std::string&>();
    if (!looks_secret(secret)) continue;
    require(error.description.find(secret) == std::string::npos && error.uri.find(secret) == std::string::npos);
  }
}

}  // namespace oauth::fuzz
