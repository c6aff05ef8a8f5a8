// What the grants of this folder share: their options ({ scope?, resource? }, read strictly from
// the shim's JSON) and the check that the client may use the server (their form POST is
// protocol/client_auth's client_form_post).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/client_auth.hpp"
#include "protocol/http.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {

struct GrantOptions {
  std::optional<std::string> scope;   // RFC 6749 §3.3; nullopt: not sent (the server's default)
  std::vector<std::string> resource;  // RFC 8707 §2: absolute URIs without a fragment
};

// { scope?: string, resource?: [uri] }; anything else, a malformed scope or resource, is
// invalid_argument (local). An empty text reads as {}.
Result<GrantOptions> parse_grant_options(std::string_view json);

// The client may use this server: its client_id is non-empty (the issuer is the metadata's by
// IssuerMetadata's construction).
Status check_grant_client(const IssuerMetadata& metadata, const ClientConfig& client);

}  // namespace oauth
