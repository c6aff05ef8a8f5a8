// A client session: the login transactions it started, the server metadata, and the token set.
// Sans-I/O: each call takes what the shim received and returns what the shim must do next
// (an HttpRequest to perform, or a result). After a failed step the pending exchange is dropped,
// never half-applied.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/jwk.hpp"
#include "json/json_value.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/dpop_nonce_cache.hpp"
#include "protocol/dpop_proof.hpp"
#include "protocol/end_session.hpp"
#include "protocol/http.hpp"
#include "protocol/id_token.hpp"
#include "protocol/metadata.hpp"
#include "protocol/token_response.hpp"
#include "session/settings.hpp"
#include "session/step.hpp"
#include "session/token_exchange.hpp"
#include "session/token_set.hpp"

namespace oauth {

// At most this many login transactions wait in memory at once (popup mode); the oldest goes.
inline constexpr std::size_t kMaxPendingTransactions = 8;
// A token issued with less time to live than this gets no proactive refresh (Client::refresh_in).
inline constexpr std::int64_t kMinTimedLifetime = 2;

class Client {
 public:
  static Result<Client> create(ClientSettings settings);

  const ClientSettings& settings() const { return settings_; }
  const std::optional<IssuerMetadata>& metadata() const { return metadata_; }

  // Discovery (OIDC Discovery §4, RFC 8414 §3).
  Result<HttpRequest> discovery_request() const;
  Status accept_metadata(const HttpResponse& response);

  // Starts a login: Step navigate, with the URL, its state and the transaction kept in memory
  // (popup mode) and handed out for the redirect mode. With DPoP in use and
  // options.bind_dpop_key, the request carries dpop_jkt (RFC 9449 §10). With PAR in use
  // (settings.par, RFC 9126 §5), Step perform with the push instead, whose answer resume() turns
  // into the navigate step. One push waits at a time (a second start replaces it); it waits beside
  // a login's or refresh's exchange, and its answer is taken when none of those is pending.
  Result<Step> authorize(const AuthorizationOptions& options, std::int64_t now);

  // DPoP (RFC 9449) is in use with this server: settings.dpop on, or automatic and the server
  // lists ES256 in dpop_signing_alg_values_supported.
  bool dpop_enabled() const;
  // The session's DPoP key, made on first use and wiped at logout(); null before.
  const DpopKey* dpop_key() const { return dpop_key_ ? &*dpop_key_ : nullptr; }

  // The response to a request authorize_resource() made headers for: remembers its DPoP-Nonce for
  // the origin (RFC 9449 §8.2) and answers whether to send the request once more with fresh
  // headers (RFC 9449 §9: a 401 DPoP use_dpop_nonce challenge that carries a valid nonce, even
  // one already held: a request sent before it was learnt carried an older one). The caller
  // retries a request at most once (web/session.mjs).
  bool accept_resource_response(std::string_view url, const HttpResponse& response);

  // The callback URL the browser came back with. The transaction is the one kept in memory for
  // this state, else `transaction_json` from the redirect trip; either way it is used up here,
  // whatever the outcome (a replayed callback finds none: state_mismatch). Refused while a
  // refresh is pending; any other pending exchange is dropped.
  Result<Step> callback(std::string_view url, std::string_view transaction_json, std::int64_t now);

  // The response to the request of the last Step (status 0: none came, the exchange failed). With
  // `grant`, the answer to that grant's token request (src/grants, sent with send_grant_request):
  // as for the login's and the refresh's, a use_dpop_nonce demand is answered once with Step
  // perform of the same request (`grant` then still waits), and the final answer's tokens are
  // checked as a login's (token type, an ID token verified, the JWKS fetched first when needed)
  // and replace the session's; refused while another request of the session is pending. Any other
  // answer is the error, for the grant to read (a device poll's authorization_pending).
  Result<Step> resume(const HttpResponse& response, std::int64_t now, TokenExchange* grant = nullptr);

  bool authenticated(std::int64_t now) const;
  const JsonValue& user() const { return user_; }
  const TokenSet* tokens() const { return tokens_ ? &*tokens_ : nullptr; }

  // The current access token, for the explicit escape hatch and for resource requests.
  Result<const TokenSet*> usable_tokens(std::int64_t now) const;

  // The Authorization header for a request to `url`, only when its origin is a configured API
  // origin (the token never goes anywhere else). A DPoP token goes as "Authorization: DPoP" with
  // a DPoP proof header for `method` and `url` carrying ath and the origin's nonce (RFC 9449 §7.1).
  Result<HttpHeaders> authorize_resource(std::string_view url, std::string_view method, std::int64_t now) const;

  // A refresh (RFC 6749 §6) with the held refresh token: Step perform, whose response goes to
  // resume(). Refused while another request is pending (one refresh at a time) and without a
  // refresh token.
  Result<Step> refresh(std::int64_t now);
  bool has_refresh_token() const { return tokens_ && !tokens_->refresh_token.empty(); }

  // The proactive refresh: due `settings.refresh_margin` seconds before the access token expires,
  // or at half its lifetime when that comes first. refresh_in: the seconds until then (at least 1),
  // nullopt when no refresh is due ever (no refresh token, no expiry, or a token issued with less
  // than kMinTimedLifetime seconds to live: refreshed on demand only, never on a timer that
  // would fire every second). refresh_due: whether that time has come (a refresh token is held).
  std::optional<std::int64_t> refresh_in(std::int64_t now) const;
  bool refresh_due(std::int64_t now) const;

  // A grant's token request (src/grants: client credentials, the device polls), sent through the
  // grant's `exchange` (session/token_exchange.hpp): with DPoP in use (the dpop setting, as for a
  // login), a proof of the session's key made for the time `at` it will be sent (a poll waits
  // first), put on `request`; its answer goes to resume() with the exchange.
  Status send_grant_request(TokenExchange& exchange, HttpRequest& request, std::int64_t at);

  // RFC 7009 requests for the held refresh and access tokens (call before logout()).
  Result<std::vector<HttpRequest>> revocation_requests() const;

  // OIDC RP-Initiated Logout: the end_session URL; the held ID token goes in as id_token_hint only
  // when asked (§2 makes it optional: without it the URL can travel by GET and stay in history).
  Result<EndSessionRequest> end_session_request(std::string_view post_logout_redirect_uri, bool with_id_token_hint) const;

  // Local logout: wipes the tokens and any pending login.
  void logout();

  // Persistence (session/client_record.cpp; the record's JSON: session/session_record.hpp).
  //
  // From now on the session's DPoP key is held outside the core (a non-extractable WebCrypto key),
  // known here by its public JWK: every proof is then a JWS signing input for the holder to sign
  // (DpopKey::external). Refused while an exchange is pending (out_of_order), and when held
  // tokens are bound to another key (dpop_key_mismatch). logout() drops it, and the session
  // stays external: a DPoP use before the next use_external_dpop_key() is dpop_key_lost, never a
  // key of the core's own that the holder could not tell from its key.
  Result<std::string> use_external_dpop_key(std::string_view public_jwk_json);
  // The record of the held refresh token (no access or ID token), for a later restore_session().
  // Refused (persist_unsupported) when the refresh token is bound to a key only the core holds
  // (it dies with the process), and, with `require_bound`, when it is not sender-constrained: not
  // DPoP-bound, or the client is confidential (RFC 9449 §5 binds only public clients' refresh
  // tokens to the key). login_required without a refresh token; out_of_order during a refresh.
  Result<Secret> export_session(bool require_bound) const;
  // Replaces the session with the refresh token of `record_json`, validated: well-formed
  // (session_record_invalid), this issuer and client (session_record_foreign), and when it is
  // DPoP-bound, the session's DPoP key is the one it names (dpop_key_mismatch). The access and ID
  // tokens come from the next refresh(), whose ID token is verified as usual and must
  // carry the recorded sub (OIDC Core §12.2). Refused while an exchange is pending (out_of_order).
  Status restore_session(std::string_view record_json);
  // The whole session of a confidential client run by a server, for that server's other processes
  // (session_record.hpp: ServerSessionRecord): every token, the verified claims, and the DPoP
  // key's private scalar. login_required without tokens, out_of_order during a refresh,
  // persist_unsupported with an external DPoP key (its private half is not the core's to give).
  Result<Secret> export_server_session() const;
  // Replaces the session with the record's, validated as restore_session() does
  // (session_record_invalid, session_record_foreign); the DPoP key is the record's. Refused while
  // an exchange is pending (out_of_order) and for a session whose DPoP key is external.
  Status restore_server_session(std::string_view record_json);

 private:
  explicit Client(ClientSettings settings) : settings_(std::move(settings)) {}
  // The client as a login with `redirect_uri` sees it (empty: the configured one); a URI the
  // settings do not allow is invalid_argument.
  Result<ClientConfig> client_for(std::string_view redirect_uri) const;
  Result<Transaction> take_transaction(std::string_view state, std::string_view transaction_json);
  Result<Step> finish_push(const HttpResponse& response);
  Step navigate_with(Transaction transaction, std::string url);
  LoginResult result(std::int64_t now) const;
  // When the held tokens' proactive refresh falls due (nullopt: no refresh token or no expiry).
  std::optional<std::int64_t> refresh_at() const;
  Result<Step> finish_token_exchange(const HttpResponse& response, std::int64_t now);
  Result<Step> finish_refresh(const HttpResponse& response, std::int64_t now);
  Result<Step> finish_jwks(const HttpResponse& response, std::int64_t now);
  // Verifies the ID token of `pending_tokens_` (fetching the JWKS first when needed) and, when
  // it holds, makes them the session's tokens.
  Result<Step> accept_pending_tokens(std::int64_t now);
  Error refused_id_token(Error error);
  // Asks for the JWKS, for the ID token of the exchange in progress.
  Step fetch_jwks();
  void drop_pending();
  // Starts `exchange` with `request` (session/client_dpop.cpp): proved in place with the session's
  // key when `use_dpop`.
  Status send_token_request(TokenExchange& exchange, HttpRequest& request, bool use_dpop, std::int64_t at);
  // A grant's final answer (resume with a grant): its tokens become the session's.
  Result<Step> finish_grant(TokenExchange& grant, const HttpResponse& response, std::int64_t now);
  Result<const DpopKey*> session_dpop_key();
  Result<bool> use_par() const;

  enum class Pending { none, token_exchange, refresh, jwks };
  enum class Exchange { login, refresh };

  ClientSettings settings_;
  std::optional<IssuerMetadata> metadata_;
  std::vector<Transaction> transactions_;
  Pending pending_ = Pending::none;
  std::optional<Transaction> pending_transaction_;
  std::optional<TokenSet> tokens_;
  std::optional<VerifiedIdToken> id_token_;
  JsonValue user_;
  // Tokens received but not yet accepted: their ID token waits for the JWKS.
  std::optional<TokenSet> pending_tokens_;
  Exchange pending_exchange_ = Exchange::login;
  // The issuer's keys, trusted until jwks_expires_at_ (jwks_lifetime: the response's max-age,
  // within bounds), and whether the exchange in progress has fetched them (once at most).
  std::optional<Jwks> jwks_;
  std::int64_t jwks_expires_at_ = 0;
  bool jwks_fetched_for_exchange_ = false;
  // DPoP: the session key, the servers' nonces, and the exchange of the login's or the refresh's
  // token request (a grant holds its own).
  std::optional<DpopKey> dpop_key_;
  bool external_dpop_ = false;    // the key is held outside the core (use_external_dpop_key)
  std::string restored_subject_;  // a restored session's sub, until a refresh verifies an ID token
  DpopNonceCache dpop_nonces_;
  TokenExchange exchange_;
  // PAR: the transaction of the push in flight.
  std::optional<Transaction> pushing_;
};

}  // namespace oauth
