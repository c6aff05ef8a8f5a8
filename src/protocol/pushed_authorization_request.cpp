#include "protocol/pushed_authorization_request.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/limits.hpp"
#include "protocol/oauth_error.hpp"
#include "protocol/token_response.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

constexpr JsonSource kParResponse{codes::invalid_response, Blame::remote, OAUTH_TEXT("the pushed authorization response")};

// Errors about a 200 or 201 carry its status, as those of the token response do.
Error at_status(Error e, int status) {
  e.http_status = status;
  return e;
}

Error malformed(int status, const char* what) {
  return at_status(Error::remote(codes::invalid_response, what), status);
}

// RFC 9126 §2.2 leaves request_uri's form to the server; we take visible ASCII only, since it
// goes into a URL query.
bool is_visible_ascii(std::string_view text) {
  for (char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

Result<PushedAuthorization> build_pushed_authorization_request(const IssuerMetadata& metadata,
                                                               const ClientConfig& client,
                                                               const AuthorizationOptions& options, std::int64_t now,
                                                               const ClientAuth& auth) {
  if (metadata->pushed_authorization_request_endpoint.empty())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the server lists no pushed_authorization_request_endpoint"));
  OAUTH_ASSIGN_OR_RETURN(auto&& prepared, prepare_authorization(metadata, client, options, now));
  FormParamViews form = param_views(prepared.params);
  // The client authenticates as at the token endpoint (RFC 9126 §2). client_id is an
  // authorization request parameter (RFC 6749 §4.1.1) and stays in the pushed ones; with none or
  // client_secret_post the authentication adds it to the form, so that copy is dropped here.
  // With client_secret_basic it rides in the Authorization header only, and the form keeps it.
  if (auth.method() != ClientAuth::Method::client_secret_basic) form.erase(form.begin() + 1);
  return PushedAuthorization{
      client_form_post(metadata->pushed_authorization_request_endpoint, std::move(form), client.client_id, auth),
      std::move(prepared.transaction)};
}

Result<std::string> process_pushed_authorization_response(const HttpResponse& response,
                                                          const IssuerMetadata& metadata,
                                                          const ClientConfig& client) {
  if (response.body.size() > kMaxResponseBodyBytes) {
    Error e = Error::remote(codes::response_too_large, OAUTH_TEXT("the pushed authorization response is larger than 1 MiB"));
    e.http_status = response.status;
    return e;
  }
  if (response.status != 201 && response.status != 200)
    return process_error_response(response, OAUTH_TEXT("the pushed authorization request endpoint"));
  const int status = response.status;
  if (!has_json_content_type(response.headers))
    return malformed(status, OAUTH_TEXT("the pushed authorization response is not labelled application/json"));
  auto doc = parse_json_object(response.body, kMaxResponseBodyBytes, kParResponse);
  if (!doc.ok()) return at_status(std::move(doc).take_error(), status);
  auto request_uri = require_string(*doc, "request_uri");
  if (!request_uri.ok()) return at_status(std::move(request_uri).take_error(), status);
  if (request_uri->empty() || request_uri->size() > kMaxRequestUriLength || !is_visible_ascii(*request_uri))
    return malformed(status, OAUTH_TEXT("the pushed authorization response has an unusable request_uri"));
  auto expires_in = require_integer(*doc, "expires_in", 1, kMaxExpiresIn);
  if (!expires_in.ok()) return at_status(std::move(expires_in).take_error(), status);
  auto url = append_query_params(metadata->authorization_endpoint,
                                 {{"client_id", client.client_id}, {"request_uri", *request_uri}});
  if (!url.ok())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the authorization_endpoint's query already holds client_id or "
                                                  "request_uri"));
  return std::move(*url);
}

}  // namespace oauth
