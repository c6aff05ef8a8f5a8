// OAuth error responses (RFC 6749 §5.2) and every other non-success answer.
#pragma once
#include <string_view>

#include "core/error.hpp"
#include "protocol/http.hpp"

namespace oauth {

// Turns a non-success response from `endpoint` ("the token endpoint") into an Error (Blame::remote,
// http_status set). A 4xx/5xx with a JSON object whose `error` has only RFC 6749 §5.2 characters
// keeps the server's error, error_description and error_uri (a description or uri with forbidden
// characters is dropped). Anything else, including an HTML error page, is unexpected_status naming
// the status only: the body is never echoed. Over kMaxResponseBodyBytes: response_too_large.
Error process_error_response(const HttpResponse& response, std::string_view endpoint);

}  // namespace oauth
