// Client Credentials (RFC 6749 §4.4): a confidential client asks for a token for itself, with
// no user and no redirect. The token is held by the Client (src/session) like any other; this
// grant remembers which options it was obtained with, so a caller asking again with the same
// options gets it back until it is near expiry (the cache), and only then a new request.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "grants/grant_request.hpp"
#include "protocol/http.hpp"
#include "session/client.hpp"
#include "session/token_exchange.hpp"

namespace oauth {

// A cached token is renewed this many seconds before it expires, or at half its lifetime when
// that comes first (a token living 6 s is renewed after 3 s).
inline constexpr std::int64_t kClientCredentialsRenewMargin = 60;

// POST token_endpoint: grant_type=client_credentials, scope when given, resource for each given
// (RFC 8707 §2.2), and the client's authentication, which §4.4.2 makes mandatory: a client
// without a secret is refused (invalid_argument).
Result<HttpRequest> build_client_credentials_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                     const GrantOptions& options, const ClientAuth& auth);

// Whether a token obtained at `obtained_at` that expires at `expires_at` (nullopt: the server
// gave no expires_in, and it is kept) must be renewed at `now`.
bool client_credentials_needs_renewal(std::optional<std::int64_t> expires_at, std::int64_t obtained_at,
                                      std::int64_t now);

class ClientCredentialsGrant {
 public:
  // Step::finish at once when the client's current tokens came from this grant with the same
  // options and are not near expiry; otherwise Step::perform(the token request, with a DPoP proof
  // when the client uses DPoP), whose response goes to resume(). A start while a request waits
  // for its response is out_of_order: answer that one first (status 0 when it failed on the wire).
  Result<Step> start(Client& client, GrantOptions options, std::int64_t now);

  // The token response (RFC 6749 §4.4.3), read by the client's token exchange (Client::resume): a
  // DPoP nonce demand (RFC 9449 §8) is answered once with Step::perform(the same request with a
  // new proof), whose response comes back here too; that is the only request this returns. A
  // refresh token is dropped (§4.4.3: none should be issued; a new token is simply requested), and
  // so is an ID token (there is no end-user); the token's type is checked against the proof.
  Result<Step> resume(Client& client, const HttpResponse& response, std::int64_t now);

  // A request waits for its response.
  bool waiting() const { return pending_.has_value(); }

 private:
  struct Cached {
    GrantOptions options;
    std::string token_hash;  // SHA-256 of the access token: is the client's token still ours?
    std::int64_t obtained_at = 0;
  };
  // The request in flight: its options, and its exchange with the token endpoint.
  struct Pending {
    GrantOptions options;
    TokenExchange exchange;
  };
  std::optional<Pending> pending_;
  std::optional<Cached> cached_;
};

}  // namespace oauth
