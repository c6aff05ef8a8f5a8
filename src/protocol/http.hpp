// The sans-I/O boundary: the core builds HttpRequests and judges HttpResponses; the shim does
// the fetch. Both wipe their bodies and header values when dropped (they carry codes,
// verifiers, tokens and client credentials).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oauth {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string url;
  HttpHeaders headers;
  std::string body;

  HttpRequest() = default;
  HttpRequest(const HttpRequest&) = default;
  HttpRequest(HttpRequest&&) = default;
  // Assignment wipes what was held first: the old buffers would go back to the allocator unwiped.
  HttpRequest& operator=(const HttpRequest& other);
  HttpRequest& operator=(HttpRequest&& other) noexcept;
  ~HttpRequest();
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // names are matched case-insensitively (RFC 9110 §5.1)
  std::string body;

  HttpResponse() = default;
  HttpResponse(int status_code, HttpHeaders header_list, std::string body_text)
      : status(status_code), headers(std::move(header_list)), body(std::move(body_text)) {}
  HttpResponse(const HttpResponse&) = default;
  HttpResponse(HttpResponse&&) = default;
  HttpResponse& operator=(const HttpResponse& other);  // wiping first, as HttpRequest's
  HttpResponse& operator=(HttpResponse&& other) noexcept;
  ~HttpResponse();
};

// Wipes every header value (Authorization, DPoP and cookies carry credentials); HttpRequest and
// HttpResponse do it when dropped, holders of bare HttpHeaders call it themselves.
void wipe_header_values(HttpHeaders& headers);

// ASCII case-insensitive equality (header names, auth schemes: RFC 9110 §5.1, §11.1).
bool equals_ignoring_case(std::string_view a, std::string_view b);

// The value of the first header called `name`, compared ASCII case-insensitively (RFC 9110 §5.1).
std::optional<std::string_view> find_header(const HttpHeaders& headers, std::string_view name);

// A POST of an application/x-www-form-urlencoded body to `url` (token, revocation, device
// authorization endpoints), accepting JSON; the caller encodes the form into `body`.
HttpRequest form_post(std::string url);

// Whether Content-Type names application/json; parameters such as charset are allowed
// (RFC 9110 §8.3.1: the media type is case-insensitive).
bool has_json_content_type(const HttpHeaders& headers);

}  // namespace oauth
