#include "protocol/callback.hpp"

#include "core/error_codes.hpp"
#include "crypto/secret.hpp"
#include "json/json_write.hpp"
#include "protocol/param_syntax.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

// Names that only the implicit or hybrid flows put in a response (OAuth 2.1 §4 drops them).
bool is_front_channel_token(std::string_view name) { return name == "access_token" || name == "id_token"; }

// Whether a fragment carries a response: scanned leniently, as it may be anything the page uses.
bool fragment_has_response(std::string_view fragment) {
  std::size_t start = 0;
  while (start <= fragment.size()) {
    std::size_t amp = fragment.find('&', start);
    std::string_view segment =
        fragment.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    std::string_view raw_name = segment.substr(0, segment.find('='));
    auto decoded = percent_decode(raw_name, true);
    std::string_view name = decoded.ok() ? std::string_view(*decoded) : raw_name;
    if (is_front_channel_token(name) || name == "code") return true;
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return false;
}

Error callback_error(const char* code, const char* description) { return Error::remote(code, description); }
Error callback_error(const char* code, std::string description) { return Error::remote(code, std::move(description)); }

}  // namespace

Status check_callback_url_size(std::string_view url, const char* what) {
  if (url.size() <= kMaxCallbackUrlBytes) return Ok{};
  return callback_error(codes::invalid_callback, concat({OAUTH_TEXT("the "), what, OAUTH_TEXT(" is longer than "), decimal(kMaxCallbackUrlBytes), OAUTH_TEXT(" bytes")}));
}

CallbackUrl CallbackUrl::read(std::string_view url) {
  CallbackUrl out;
  Status size = check_callback_url_size(url, OAUTH_TEXT("callback URL"));
  if (!size.ok()) {
    out.failure_ = std::move(size).take_error();
    return out;
  }
  auto actual = parse_url(url);
  if (!actual.ok()) {
    out.read_ = Read::malformed;
    out.failure_ = callback_error(codes::invalid_callback, OAUTH_TEXT("the callback URL is malformed"));
    return out;
  }
  out.url_ = std::move(*actual);
  out.read_ = Read::bad_query;
  if (!out.url_.query) {
    out.failure_ = callback_error(codes::invalid_callback, OAUTH_TEXT("the callback URL has no query"));
    return out;
  }
  auto params = parse_form_params(*out.url_.query);
  if (!params.ok()) {
    out.failure_ = callback_error(codes::invalid_callback, concat({OAUTH_TEXT("the callback query: "), params.error().description}));
    return out;
  }
  out.params_ = std::move(*params);
  out.read_ = Read::whole;
  return out;
}

std::string CallbackUrl::state() const {
  if (read_ != Read::whole) return {};
  for (const auto& [name, value] : params_) {
    if (name == "state") return value;
  }
  return {};
}

Status CallbackUrl::check(std::string_view expected_redirect_uri) const {
  if (read_ == Read::too_long) return failure_;
  auto expected = parse_url(expected_redirect_uri);
  if (!expected.ok()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the redirect URI is not an absolute URL"));
  if (read_ == Read::malformed) return failure_;
  if (url_.scheme != expected->scheme || url_.host != expected->host ||
      url_.effective_port() != expected->effective_port() || url_.path != expected->path)
    return Error::local(codes::redirect_uri_mismatch, OAUTH_TEXT("the callback URL does not come to the redirect URI"));
  if (url_.fragment && fragment_has_response(*url_.fragment))
    return callback_error(codes::implicit_flow_refused, OAUTH_TEXT("the callback carries a response in its fragment"));
  if (read_ == Read::bad_query) return failure_;
  for (const auto& param : params_) {
    if (is_front_channel_token(param.first))
      return callback_error(codes::implicit_flow_refused, OAUTH_TEXT("the callback carries a token in its query"));
  }
  return Ok{};
}

Result<CallbackParams> parse_callback_url(CallbackUrl&& url, std::string_view expected_redirect_uri) {
  OAUTH_TRY(url.check(expected_redirect_uri));
  CallbackParams out;
  for (auto& [name, value] : url.params_) {
    if (name == "code") {
      out.code = Secret(std::move(value));
    } else if (name == "state") {
      out.state = std::move(value);
    } else if (name == "iss") {
      out.iss = std::move(value);
    } else if (name == "error") {
      out.error = std::move(value);
    } else if (name == "error_description") {
      out.error_description = std::move(value);
    } else if (name == "error_uri") {
      out.error_uri = std::move(value);
    }
    // Others (the redirect URI's own query, session_state, ...) are ignored.
  }
  return out;
}

Result<CallbackParams> parse_callback_url(std::string_view url, std::string_view expected_redirect_uri) {
  return parse_callback_url(CallbackUrl::read(url), expected_redirect_uri);
}

Result<ValidatedCallback> validate_callback(const CallbackParams& params, const Transaction& transaction,
                                            const IssuerMetadata& metadata, std::int64_t now,
                                            std::int64_t transaction_ttl) {
  if (transaction_ttl <= 0 || now < 0)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the time and the transaction lifetime must be positive"));
  if (transaction.state.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the transaction has no state"));
  if (now - transaction_ttl > transaction.created_at)
    return Error::local(codes::transaction_expired, concat({OAUTH_TEXT("the authorization transaction is older than "),
                                                            decimal(transaction_ttl), OAUTH_TEXT(" seconds")}));
  OAUTH_TRY(check_transaction_issuer(transaction, metadata));

  // RFC 6749 §10.12: the state binds the response to this browser's request (CSRF).
  // RFC 6749 §10.12 / RFC 9700 §4.7: compared without an early exit. Lengths are not secret.
  if (!params.state || !constant_time_equal(*params.state, transaction.state))
    return callback_error(codes::state_mismatch, OAUTH_TEXT("the callback state does not match the transaction"));

  // RFC 9207 §2.4: the issuer identifies who answered; checked before an error is believed.
  if (params.iss) {
    if (*params.iss != metadata->issuer)
      return callback_error(codes::iss_mismatch, concat({OAUTH_TEXT("the callback iss differs from the issuer "), metadata->issuer}));
  } else if (metadata->authorization_response_iss_parameter_supported) {
    return callback_error(codes::iss_missing, OAUTH_TEXT("the server advertises iss but the callback has none"));
  }

  // RFC 6749 §4.1.2.1: the server's own error code, description and uri.
  if (params.error) {
    if (!is_valid_error_code(*params.error))
      return callback_error(codes::invalid_callback, OAUTH_TEXT("the callback error parameter has forbidden characters"));
    Error e = Error::remote(*params.error, {});
    if (params.error_description && is_valid_error_description(*params.error_description))
      e.description = *params.error_description;
    if (params.error_uri && is_openable_error_uri(*params.error_uri)) e.uri = *params.error_uri;
    return e;
  }

  if (!params.code || params.code->empty()) return callback_error(codes::invalid_callback, OAUTH_TEXT("the callback has no code"));
  return ValidatedCallback(params.code->clone(), transaction.state);
}

}  // namespace oauth
