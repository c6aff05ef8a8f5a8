#include "protocol/end_session.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/secret.hpp"
#include "protocol/callback.hpp"
#include "protocol/limits.hpp"
#include "protocol/url.hpp"

namespace oauth {

Result<EndSessionRequest> build_end_session_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                    std::string_view id_token_hint,
                                                    std::string_view post_logout_redirect_uri) {
  if (metadata->end_session_endpoint.empty())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the server lists no end_session_endpoint"));
  if (!post_logout_redirect_uri.empty()) {
    auto url = parse_url(post_logout_redirect_uri);
    if (!url || !is_https_or_loopback(*url) || url->fragment)
      return Error::local(codes::invalid_argument, OAUTH_TEXT("post_logout_redirect_uri must be https (or loopback) without a fragment"));
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& random, random_bytes(kStateRandomBytes));
  EndSessionRequest out;
  out.state = base64url_encode(random);
  const auto add = [&out](std::string_view name, std::string_view value) { out.params.emplace_back(name, value); };
  if (!id_token_hint.empty()) add("id_token_hint", id_token_hint);
  add("client_id", client.client_id);
  if (!post_logout_redirect_uri.empty()) add("post_logout_redirect_uri", post_logout_redirect_uri);
  add("state", out.state);
  OAUTH_ASSIGN_OR_RETURN(auto&& url, append_query_params(metadata->end_session_endpoint, param_views(out.params)));
  out.url = std::move(url);
  out.action = metadata->end_session_endpoint;
  return out;
}

Status check_end_session_callback(std::string_view url, std::string_view expected_state) {
  OAUTH_TRY(check_callback_url_size(url, OAUTH_TEXT("post-logout URL")));
  auto parsed = parse_url(url);
  if (!parsed) return Error::remote(codes::invalid_callback, OAUTH_TEXT("the post-logout URL is malformed"));
  auto params = parse_form_params(parsed->query.value_or(""));
  if (!params) return Error::remote(codes::invalid_callback, OAUTH_TEXT("the post-logout URL has malformed parameters"));
  for (const auto& [name, value] : *params) {
    if (name == "state" && !expected_state.empty() && constant_time_equal(value, expected_state)) return Ok{};
  }
  return Error::remote(codes::state_mismatch, OAUTH_TEXT("the post-logout redirect does not carry our state"));
}

}  // namespace oauth
