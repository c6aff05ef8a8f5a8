// What the shim configures a client with, read strictly from JSON (the shim's options object).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/jws_alg.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/client_auth.hpp"
#include "protocol/limits.hpp"

namespace oauth {

inline constexpr std::int64_t kDefaultClockSkewSeconds = 60;
inline constexpr std::int64_t kDefaultRefreshMarginSeconds = 60;

enum class FeatureMode { automatic, on, off };

struct ClientSettings {
  ClientConfig client;
  std::vector<std::string> api_origins;  // origins (scheme://host[:port]) that may receive tokens
  std::int64_t clock_skew = kDefaultClockSkewSeconds;
  std::int64_t transaction_ttl = kTransactionTtlSeconds;
  // The proactive refresh runs this many seconds before the access token expires, or at half its
  // lifetime when that comes first (Client::refresh_due, refresh_in).
  std::int64_t refresh_margin = kDefaultRefreshMarginSeconds;
  // A public client (the SPA) has none; a confidential one (Node) holds its secret here, in the core.
  ClientAuth auth = ClientAuth::none();
  // DPoP (RFC 9449): automatic uses it when the server lists ES256 in
  // dpop_signing_alg_values_supported; on uses it always; off never.
  FeatureMode dpop = FeatureMode::automatic;
  // A Bearer token answering a DPoP token request is refused unless this is set (RFC 9449 §5).
  bool dpop_allow_bearer = false;
  // PAR (RFC 9126): automatic pushes when the server has a pushed_authorization_request_endpoint
  // (and always when it requires it); on requires the endpoint; off never pushes.
  FeatureMode par = FeatureMode::automatic;
  // The alg the client registered for its ID tokens (id_token_signed_response_alg, OIDC
  // Registration §2): no other is accepted. Unset: those the server lists (id_token_algs).
  std::optional<JwsAlg> id_token_signing_alg;
  // A further registered redirect URI, for the silent restore's hidden frame (empty: none). A login
  // names it with AuthorizationOptions::redirect_uri; any other URI is refused.
  std::string silent_redirect_uri;

  // Whether a login may name `uri` as its redirect URI: the client's own, the popup's or the silent
  // one, exactly.
  bool allows_redirect_uri(std::string_view uri) const;

 private:
  // Only parse_client_settings makes one, so settings that exist were checked whole, once, at
  // create: the issuer (check_issuer), clientId, and every redirect URI a login may name
  // (is_valid_redirect_uri), which no login checks again.
  ClientSettings() = default;
  friend Result<ClientSettings> parse_client_settings(std::string_view json);
};

// { issuer, clientId, redirectUri?, popupRedirectUri?, silentRedirectUri?, apiOrigins?: [url],
//   clockSkew?: 0..600, transactionTtl?: 30..3600, refreshMargin?: 0..86400 (seconds),
//   clientSecret?, tokenEndpointAuthMethod?: client_secret_basic (default with a secret) | client_secret_post,
//   dpop?: boolean (absent: automatic), dpopAllowBearer?: boolean, par?: boolean (absent: automatic),
//   idTokenSigningAlg?: RS256 | RS384 | RS512 | PS256 | PS384 | PS512 | ES256 | ES384 | EdDSA }.
// An API origin is normalised through the URL parser; a path, query or fragment on it is refused.
// redirectUri, popupRedirectUri and silentRedirectUri must be https URLs (http only to a loopback
// host) without a fragment (invalid_argument).
Result<ClientSettings> parse_client_settings(std::string_view json);

// { scope?, resource?: [url], prompt?, loginHint?, maxAge?, extraParams?: { name: value },
//   redirectUri?: one of the settings' redirect URIs (default: redirectUri),
//   bindDpopKey?: boolean (default true: send dpop_jkt when DPoP is in use; false when the page
//   leaves for the redirect and the session's key will not survive it), popupLogin?: boolean (the login
//   names popupRedirectUri, when the client has one) }.
Result<AuthorizationOptions> parse_authorization_options(std::string_view json);

}  // namespace oauth
