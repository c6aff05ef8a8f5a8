#include "protocol/http.hpp"

#include "crypto/secret.hpp"

namespace oauth {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What a request or a response holds that may be secret: its body and header values.
void wipe_message(std::string& body, HttpHeaders& headers) {
  secure_wipe(body);
  wipe_header_values(headers);
}

}  // namespace

void wipe_header_values(HttpHeaders& headers) {
  for (auto& header : headers) secure_wipe(header.second);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

HttpRequest::~HttpRequest() { wipe_message(body, headers); }

HttpResponse::~HttpResponse() { wipe_message(body, headers); }

HttpRequest& HttpRequest::operator=(const HttpRequest& other) {
  if (this != &other) *this = HttpRequest(other);
  return *this;
}

HttpRequest& HttpRequest::operator=(HttpRequest&& other) noexcept {
  if (this != &other) {
    wipe_message(body, headers);
    method = std::move(other.method);
    url = std::move(other.url);
    headers = std::move(other.headers);
    body = std::move(other.body);
  }
  return *this;
}

HttpResponse& HttpResponse::operator=(const HttpResponse& other) {
  if (this != &other) *this = HttpResponse(other);
  return *this;
}

HttpResponse& HttpResponse::operator=(HttpResponse&& other) noexcept {
  if (this != &other) {
    wipe_message(body, headers);
    status = other.status;
    headers = std::move(other.headers);
    body = std::move(other.body);
  }
  return *this;
}

std::optional<std::string_view> find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (equals_ignoring_case(header.first, name)) return std::string_view(header.second);
  }
  return std::nullopt;
}

bool has_json_content_type(const HttpHeaders& headers) {
  auto value = find_header(headers, "Content-Type");
  if (!value) return false;
  std::string_view media_type = value->substr(0, value->find(';'));
  return equals_ignoring_case(trim(media_type), "application/json");
}

HttpRequest form_post(std::string url) {
  HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers.reserve(3);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

}  // namespace oauth
