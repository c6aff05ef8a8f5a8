// The authorization response at the redirect URI (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207; RFC 9700 §4.7).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/authorization_request.hpp"
#include "protocol/limits.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {

// The parameters of a callback, not yet checked against anything.
struct CallbackParams {
  std::optional<Secret> code;
  std::optional<std::string> state;
  std::optional<std::string> iss;
  std::optional<std::string> error;
  std::optional<std::string> error_description;
  std::optional<std::string> error_uri;
};

// A URL the browser came back with (a callback, a post-logout redirect) may be anyone's link:
// over kMaxCallbackUrlBytes it is refused (invalid_callback, naming `what`) before any parsing.
Status check_callback_url_size(std::string_view url, const char* what);

// A callback URL read once: its size checked, the URL parsed and its query split into parameters.
// What fails is kept, and parse_callback_url reports it in its order; so a session can ask which
// redirect URI it fits, and which state it carries, without parsing it again.
class CallbackUrl {
 public:
  static CallbackUrl read(std::string_view url);

  // The state it carries, read leniently (empty when none or unreadable): to spend the
  // transaction of a callback refused before it is validated.
  std::string state() const;
  // Whether parse_callback_url would accept it for `redirect_uri`.
  bool fits(std::string_view redirect_uri) const { return check(redirect_uri).ok(); }

 private:
  // How far reading got; failure_ is what stopped it.
  enum class Read : unsigned char { too_long, malformed, bad_query, whole };

  CallbackUrl() = default;
  Status check(std::string_view expected_redirect_uri) const;
  friend Result<CallbackParams> parse_callback_url(CallbackUrl&& url, std::string_view expected_redirect_uri);

  Read read_ = Read::too_long;
  Error failure_;
  Url url_;
  FormParams params_;
};

// Reads the callback URL: refused over kMaxCallbackUrlBytes (check_callback_url_size); it must come to `expected_redirect_uri` (same scheme, host, port and path:
// redirect_uri_mismatch); the parameters come from the query, each at most once (RFC 6749 §3.1:
// invalid_callback); tokens or a code in the fragment, or tokens in the query, are the implicit
// flow and refused (implicit_flow_refused, OAuth 2.1 §4).
Result<CallbackParams> parse_callback_url(CallbackUrl&& url, std::string_view expected_redirect_uri);
Result<CallbackParams> parse_callback_url(std::string_view url, std::string_view expected_redirect_uri);

class ValidatedCallback;

// Checks, in this order: the transaction is younger than `transaction_ttl` seconds
// (transaction_expired); it was made for this issuer (issuer_mismatch); `state` equals it
// (constant-time; state_mismatch, RFC 6749 §10.12); `iss` equals the issuer when present
// (iss_mismatch) and is present when the server advertises it (iss_missing) — RFC 9207 §2.4, and
// before an error is believed, as an error can be mixed up too; then an `error` becomes an Error
// with the server's code, description and uri (RFC 6749 §4.1.2.1); then a `code` must be there
// (invalid_callback).
Result<ValidatedCallback> validate_callback(const CallbackParams& params, const Transaction& transaction,
                                            const IssuerMetadata& metadata, std::int64_t now,
                                            std::int64_t transaction_ttl = kTransactionTtlSeconds);

// A callback that passed validate_callback; only it makes one, and the token request takes
// nothing else.
class ValidatedCallback {
 public:
  ValidatedCallback(ValidatedCallback&&) = default;
  ValidatedCallback& operator=(ValidatedCallback&&) = default;

  const Secret& code() const { return code_; }
  // The state of the transaction it answered, to pair it with that transaction.
  const std::string& state() const { return state_; }

 private:
  ValidatedCallback(Secret code, std::string state) : code_(std::move(code)), state_(std::move(state)) {}
  friend Result<ValidatedCallback> validate_callback(const CallbackParams&, const Transaction&, const IssuerMetadata&,
                                                     std::int64_t, std::int64_t);

  Secret code_;
  std::string state_;
};

}  // namespace oauth
