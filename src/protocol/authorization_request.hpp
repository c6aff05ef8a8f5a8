// The authorization request of the authorization code flow with PKCE (RFC 6749 §4.1.1,
// RFC 7636 §4.3, OAuth 2.1 §4.1.1, OIDC Core §3.1.2.1), and the transaction that must survive the
// redirect to check the response.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {

// A redirect URI we send: https (http only to a loopback host: RFC 8252 §7.3), without a fragment
// (RFC 6749 §3.1.2). The client configuration is checked against it once, where it is made
// (session/settings: at create), and the requests below trust what they are given.
bool is_valid_redirect_uri(std::string_view uri);

struct ClientConfig {
  std::string issuer;        // the issuer discovery asks (IssuerMetadata holds the metadata to it)
  std::string client_id;
  std::string redirect_uri;  // is_valid_redirect_uri; empty: the client cannot log in (grants only)
  std::string popup_redirect_uri;  // the popup login's page, the same rules; empty: redirect_uri
  // The URI a login names (the popup's when asked and configured); a callback and a transaction must
  // name one of the configured URIs exactly (RFC 9700 §4.1.3).
  const std::string& redirect_uri_for(bool popup) const {
    return popup && !popup_redirect_uri.empty() ? popup_redirect_uri : redirect_uri;
  }
  bool is_registered_redirect_uri(std::string_view uri) const {
    return uri == redirect_uri || (!popup_redirect_uri.empty() && uri == popup_redirect_uri);
  }
};

struct AuthorizationOptions {
  std::string scope = "openid";                   // RFC 6749 §3.3; empty: not sent
  std::vector<std::string> resource;              // RFC 8707 §2: absolute URIs, no fragment
  std::string prompt;                             // OIDC Core §3.1.2.1; empty: not sent
  std::string login_hint;                         // empty: not sent
  std::optional<std::int64_t> max_age;            // seconds, >= 0
  std::vector<std::pair<std::string, std::string>> extra_params;  // none of the names we set
  std::string redirect_uri;  // read by the session (it picks the ClientConfig); empty: the client's
  bool bind_dpop_key = true;  // the session sends dpop_jkt only when its key outlives the redirect
  bool popup = false;         // a popup login: redirect_uri is the client's popup_redirect_uri, when it has one
  std::string dpop_jkt;       // RFC 9449 §10: set by the session when DPoP is in use; empty: not sent
};

// What the callback and the token request need from the request that started the flow.
// Move-only: it holds the PKCE verifier.
struct Transaction {
  std::string state;
  std::string nonce;  // empty when the scope has no openid
  std::string redirect_uri;
  std::string issuer;
  std::string client_id;
  std::string scope;
  Secret verifier;
  std::int64_t created_at = 0;  // seconds since the epoch
  std::optional<std::int64_t> max_age;
  std::vector<std::string> resource;
  std::string dpop_jkt;  // the thumbprint the code was bound to (RFC 9449 §10); empty: none
};

// A transaction is answered only with the metadata of the issuer it was made for: another is
// issuer_mismatch (local). The one such check, for the callback and the token request.
Status check_transaction_issuer(const Transaction& transaction, const IssuerMetadata& metadata);

struct AuthorizationRequest {
  std::string url;
  Transaction transaction;
};

// The parameters of an authorization request, in order, and the transaction that will check
// its response; the URL form below and PAR (protocol/pushed_authorization_request) share it.
struct PreparedAuthorization {
  FormParams params;
  Transaction transaction;
};
Result<PreparedAuthorization> prepare_authorization(const IssuerMetadata& metadata, const ClientConfig& client,
                                                    const AuthorizationOptions& options, std::int64_t now);
FormParamViews param_views(const FormParams& params);

// Builds the URL to navigate to: response_type=code, client_id, redirect_uri, scope, state (256
// random bits), nonce (when scope has openid), code_challenge with S256, resource (repeated: the
// one parameter RFC 8707 §2 lets repeat), prompt, login_hint, max_age, dpop_jkt (RFC 9449 §10),
// then extra_params.
// Refused: a client without a redirect URI or with an empty or unprintable client_id
// (invalid_argument; its redirect URIs are checked at create), a server without an authorization
// endpoint (invalid_metadata), one requiring PAR (pushed_authorization_required), one listing PKCE
// methods without S256 (pkce_not_supported), an extra parameter we set ourselves
// (invalid_argument) or one asking for tokens in the front channel (implicit_flow_refused).
Result<AuthorizationRequest> build_authorization_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                         const AuthorizationOptions& options, std::int64_t now);

// The transaction as JSON, for the shim to keep for one redirect (in a sealed form: it holds the
// verifier, hence the Secret).
Secret transaction_to_json(const Transaction& transaction);

// Reads one back strictly: every member present with its type and syntax, no unknown or repeated
// members; anything else is invalid_argument (local: the shim handed it to us).
Result<Transaction> transaction_from_json(std::string_view json);

}  // namespace oauth
