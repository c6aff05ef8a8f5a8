// OpenID Connect RP-Initiated Logout 1.0: the URL to the end_session_endpoint and the check of the
// state on the way back.
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {

// The one request, in the two ways §2 allows: `url` for a GET (the parameters appended to the
// endpoint's query), or `action` and `params` for a form POST (the endpoint as the server lists it,
// its own query kept; the parameters, in order, go in the body). The shim carries either as it is.
struct EndSessionRequest {
  std::string url;
  std::string action;
  FormParams params;
  std::string state;  // the shim keeps it for the trip and hands it back to check_end_session_callback
};

// §2: id_token_hint (when we hold one), client_id, post_logout_redirect_uri (when given: https or
// loopback, no fragment), and a fresh state, in that order. invalid_metadata when the server has
// no endpoint.
Result<EndSessionRequest> build_end_session_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                    std::string_view id_token_hint,
                                                    std::string_view post_logout_redirect_uri);

// §3: the state on the post-logout redirect must be ours (state_mismatch otherwise). A URL over
// kMaxCallbackUrlBytes is refused unread (invalid_callback: check_callback_url_size).
Status check_end_session_callback(std::string_view url, std::string_view expected_state);

}  // namespace oauth
