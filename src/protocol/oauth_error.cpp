#include "protocol/oauth_error.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/limits.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {
namespace {

Error with_status(Error e, int status) {
  e.http_status = status;
  return e;
}

Error unexpected(const HttpResponse& response, std::string_view endpoint) {
  return with_status(Error::remote(codes::unexpected_status,
                                   concat({endpoint, OAUTH_TEXT(" answered HTTP "), decimal(response.status)})),
                     response.status);
}

}  // namespace

Error process_error_response(const HttpResponse& response, std::string_view endpoint) {
  if (response.body.size() > kMaxResponseBodyBytes) {
    return with_status(Error::remote(codes::response_too_large,
                                     concat({endpoint, OAUTH_TEXT(" answered with a body larger than 1 MiB")})),
                       response.status);
  }
  if (response.status < 400 || response.status > 599) return unexpected(response, endpoint);
  // The Content-Type is not insisted on here: a well-formed RFC 6749 §5.2 body is the server's
  // answer whatever it is labelled, and only its error code is trusted as such.
  constexpr JsonSource kErrorBody{codes::invalid_response, Blame::remote, OAUTH_TEXT("the error response")};
  auto doc = parse_json_object(response.body, kMaxResponseBodyBytes, kErrorBody);
  if (!doc.ok()) return unexpected(response, endpoint);
  auto error = get_string(*doc, "error");
  if (!error.ok() || !error->has_value() || !is_valid_error_code(**error)) return unexpected(response, endpoint);

  Error e = with_status(Error::remote(std::move(**error), {}), response.status);
  auto description = get_string(*doc, "error_description");
  if (description.ok() && description->has_value() && is_valid_error_description(**description))
    e.description = std::move(**description);
  auto uri = get_string(*doc, "error_uri");
  if (uri.ok() && uri->has_value() && is_openable_error_uri(**uri)) e.uri = std::move(**uri);
  return e;
}

}  // namespace oauth
