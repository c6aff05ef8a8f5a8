#include "protocol/authorization_request.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/entropy.hpp"
#include "crypto/pkce.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/limits.hpp"
#include "protocol/param_syntax.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

// The parameters this request sets itself: an extra parameter may not repeat one (RFC 6749 §3.1).
constexpr std::string_view kOwnParams[] = {
    "response_type", "client_id", "redirect_uri", "scope",     "state",      "nonce",
    "code_challenge", "code_challenge_method", "resource", "prompt", "login_hint", "max_age",
    "dpop_jkt", "request_uri",
};

constexpr std::size_t kMinStateLength = 22;  // 128 bits of base64url (RFC 9700 §4.7.1)

// client_id = *VSCHAR, VSCHAR = %x20-7E (RFC 6749 Appendix A.1); we also refuse an empty one.
bool is_valid_client_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool is_base64url_text(std::string_view text) {
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The redirect URIs were checked once, where the configuration was made (session/settings, at
// create); a client configured without one (grants without a browser) cannot log in.
Status check_client(const ClientConfig& client) {
  if (!is_valid_client_id(client.client_id))
    return Error::local(codes::invalid_argument, OAUTH_TEXT("client_id must be non-empty printable ASCII"));
  if (client.redirect_uri.empty())
    return Error::local(codes::invalid_argument,
                        OAUTH_TEXT("redirect_uri must be an https URL (http only to a loopback host) without a fragment"));
  return Ok{};
}

Error bad_option(const char* description) { return Error::local(codes::invalid_argument, description); }
Error bad_extra_param(std::string_view name, const char* rule) {
  return Error::local(codes::invalid_argument, concat({OAUTH_TEXT("the extra parameter "), name, " ", rule}));
}

Status check_extra_param(const std::pair<std::string, std::string>& param) {
  const auto& [name, value] = param;
  if (name.empty()) return bad_option(OAUTH_TEXT("an extra parameter has an empty name"));
  if (name == "response_type") {
    // OAuth 2.1 §4 drops the implicit grant; RFC 9700 §2.1.2: no tokens in the front channel.
    if (scope_has_token(value, "token") || scope_has_token(value, "id_token"))
      return Error::local(codes::implicit_flow_refused, OAUTH_TEXT("response_type asks for tokens in the front channel"));
    return bad_option(OAUTH_TEXT("response_type is always code and set by the client"));
  }
  // The callback is read from the query (RFC 6749 §4.1.2): no fragment or form_post responses.
  if (name == "response_mode" && value != "query") return bad_option(OAUTH_TEXT("response_mode may only be query"));
  for (std::string_view own : kOwnParams) {
    if (name == own) return bad_extra_param(name, OAUTH_TEXT("is one the client sets itself"));
  }
  return Ok{};
}

Status check_options(const AuthorizationOptions& options) {
  if (!options.scope.empty() && !is_valid_scope(options.scope))
    return bad_option(OAUTH_TEXT("scope must be space-separated tokens of printable ASCII (RFC 6749 §3.3)"));
  for (const auto& resource : options.resource) {
    if (!is_valid_resource(resource)) return bad_option(OAUTH_TEXT("a resource must be an absolute URI without a fragment"));
  }
  if (options.max_age && *options.max_age < 0) return bad_option(OAUTH_TEXT("max_age must not be negative"));
  for (std::size_t i = 0; i < options.extra_params.size(); ++i) {
    OAUTH_TRY(check_extra_param(options.extra_params[i]));
    for (std::size_t j = 0; j < i; ++j) {
      if (options.extra_params[j].first == options.extra_params[i].first)
        return bad_extra_param(options.extra_params[i].first, OAUTH_TEXT("is given twice"));
    }
  }
  return Ok{};
}

Result<std::string> random_base64url(std::size_t bytes) {
  OAUTH_ASSIGN_OR_RETURN(auto&& raw, random_bytes(bytes));
  return base64url_encode(raw);
}

}  // namespace

Result<PreparedAuthorization> prepare_authorization(const IssuerMetadata& metadata, const ClientConfig& client,
                                                    const AuthorizationOptions& options, std::int64_t now) {
  OAUTH_TRY(check_client(client));
  if (metadata->authorization_endpoint.empty())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the server lists no authorization_endpoint"));
  OAUTH_TRY(check_pkce_s256_supported(*metadata));
  OAUTH_TRY(check_options(options));
  if (!options.dpop_jkt.empty() && (options.dpop_jkt.size() != 43 || !is_base64url_text(options.dpop_jkt)))
    return bad_option(OAUTH_TEXT("dpop_jkt must be a base64url SHA-256 JWK thumbprint (RFC 9449 §10)"));
  if (now < 0) return bad_option(OAUTH_TEXT("the current time must not be negative"));

  OAUTH_ASSIGN_OR_RETURN(auto&& state, random_base64url(kStateRandomBytes));
  std::string nonce;
  if (scope_has_token(options.scope, "openid")) {  // OIDC Core §3.1.2.1; the nonce binds the ID token
    OAUTH_ASSIGN_OR_RETURN(auto&& fresh, random_base64url(kNonceRandomBytes));
    nonce = std::move(fresh);
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& pkce, generate_pkce());

  PreparedAuthorization out;
  FormParams& params = out.params;
  const std::string& redirect_uri = client.redirect_uri_for(options.popup);
  params = {{"response_type", "code"}, {"client_id", client.client_id}, {"redirect_uri", redirect_uri}};
  if (!options.scope.empty()) params.emplace_back("scope", options.scope);
  params.emplace_back("state", state);
  if (!nonce.empty()) params.emplace_back("nonce", nonce);
  params.emplace_back("code_challenge", pkce.challenge);
  params.emplace_back("code_challenge_method", "S256");
  for (const auto& resource : options.resource) params.emplace_back("resource", resource);
  if (!options.prompt.empty()) params.emplace_back("prompt", options.prompt);
  if (!options.login_hint.empty()) params.emplace_back("login_hint", options.login_hint);
  if (options.max_age) params.emplace_back("max_age", decimal(*options.max_age));
  if (!options.dpop_jkt.empty()) params.emplace_back("dpop_jkt", options.dpop_jkt);
  for (const auto& [name, value] : options.extra_params) params.emplace_back(name, value);

  Transaction& tx = out.transaction;
  tx.state = std::move(state);
  tx.nonce = std::move(nonce);
  tx.redirect_uri = redirect_uri;
  tx.issuer = metadata->issuer;
  tx.client_id = client.client_id;
  tx.scope = options.scope;
  tx.verifier = std::move(pkce.verifier);
  tx.created_at = now;
  tx.max_age = options.max_age;
  tx.resource = options.resource;
  tx.dpop_jkt = options.dpop_jkt;
  return out;
}

bool is_valid_redirect_uri(std::string_view uri) {
  auto url = parse_url(uri);
  return url.ok() && is_https_or_loopback(*url) && !url->fragment;
}

Status check_transaction_issuer(const Transaction& transaction, const IssuerMetadata& metadata) {
  if (transaction.issuer == metadata->issuer) return Ok{};
  return Error::local(codes::issuer_mismatch, OAUTH_TEXT("the transaction was made for another issuer than the metadata's"));
}

FormParamViews param_views(const FormParams& params) {
  FormParamViews views;
  views.reserve(params.size());
  for (const auto& [name, value] : params) views.emplace_back(name, value);
  return views;
}

Result<AuthorizationRequest> build_authorization_request(const IssuerMetadata& metadata, const ClientConfig& client,
                                                         const AuthorizationOptions& options, std::int64_t now) {
  if (metadata->require_pushed_authorization_requests)
    return Error::remote(codes::pushed_authorization_required,
                         OAUTH_TEXT("the server requires pushed authorization requests (RFC 9126 §5)"));
  OAUTH_ASSIGN_OR_RETURN(auto&& prepared, prepare_authorization(metadata, client, options, now));
  auto url = append_query_params(metadata->authorization_endpoint, param_views(prepared.params));
  if (!url.ok())
    return Error::remote(codes::invalid_metadata, OAUTH_TEXT("the authorization_endpoint's query already holds a parameter "
                                                  "this request sets"));
  return AuthorizationRequest{std::move(*url), std::move(prepared.transaction)};
}

Secret transaction_to_json(const Transaction& tx) {
  // The members but the verifier by the small writer; then the verifier, copied exactly once into
  // a buffer sized up front (its alphabet needs no escaping).
  JsonWriter writer;
  writer.begin_object()
      .member("version", 1)
      .member("state", tx.state)
      .member("nonce", tx.nonce)
      .member("redirect_uri", tx.redirect_uri)
      .member("issuer", tx.issuer)
      .member("client_id", tx.client_id)
      .member("scope", tx.scope)
      .member("created_at", tx.created_at);
  if (tx.max_age) writer.member("max_age", *tx.max_age);
  writer.member("resource", [&](JsonWriter& out) {
    out.begin_array();
    for (const std::string& r : tx.resource) out.string(r);
    out.end_array();
  });
  const std::string rest = writer.member("dpop_jkt", tx.dpop_jkt).end_object().text();  // ends in '}'
  constexpr std::string_view kVerifierMember = ",\"code_verifier\":\"";
  std::string_view verifier = check_pkce_verifier(tx.verifier.view()).ok() ? tx.verifier.view() : "";
  std::string out;
  out.reserve(rest.size() + kVerifierMember.size() + verifier.size() + 2);
  out.append(rest.data(), rest.size() - 1).append(kVerifierMember).append(verifier).append("\"}");
  return Secret(std::move(out));
}

Result<Transaction> transaction_from_json(std::string_view json) {
  constexpr JsonSource kStored{codes::invalid_argument, Blame::local, OAUTH_TEXT("the stored transaction")};
  OAUTH_ASSIGN_OR_RETURN(auto&& doc, parse_json_object(json, kMaxTransactionBytes, kStored));
  JsonWipeGuard wipe(doc.value);
  OAUTH_TRY(check_only_members(doc, {"version", "state", "nonce", "redirect_uri", "issuer", "client_id", "scope",
                                      "code_verifier", "created_at", "max_age", "resource", "dpop_jkt"}));
  auto bad = [](const char* member, const char* rule) {
    return Error::local(codes::invalid_argument, concat({OAUTH_TEXT("the stored transaction member "), member, " ", rule}));
  };
  OAUTH_TRY(require_integer(doc, "version", 1, 1));

  Transaction tx;
  OAUTH_ASSIGN_OR_RETURN(auto&& state, require_string(doc, "state"));
  if (state.size() < kMinStateLength || !is_base64url_text(state)) return bad("state", OAUTH_TEXT("is malformed"));
  tx.state = std::move(state);

  OAUTH_ASSIGN_OR_RETURN(auto&& scope, require_string(doc, "scope"));
  if (!scope.empty() && !is_valid_scope(scope)) return bad("scope", OAUTH_TEXT("is malformed"));
  tx.scope = std::move(scope);

  OAUTH_ASSIGN_OR_RETURN(auto&& nonce, require_string(doc, "nonce"));
  bool wants_nonce = scope_has_token(tx.scope, "openid");
  if (!is_base64url_text(nonce) || wants_nonce != !nonce.empty() || (wants_nonce && nonce.size() < kMinStateLength))
    return bad("nonce", OAUTH_TEXT("is malformed or does not fit the scope"));
  tx.nonce = std::move(nonce);

  OAUTH_ASSIGN_OR_RETURN(auto&& redirect_uri, require_string(doc, "redirect_uri"));
  if (!is_valid_redirect_uri(redirect_uri)) return bad("redirect_uri", OAUTH_TEXT("is malformed"));
  tx.redirect_uri = std::move(redirect_uri);

  OAUTH_ASSIGN_OR_RETURN(auto&& issuer, require_string(doc, "issuer"));
  if (!check_issuer(issuer).ok()) return bad("issuer", OAUTH_TEXT("is malformed"));
  tx.issuer = std::move(issuer);

  OAUTH_ASSIGN_OR_RETURN(auto&& client_id, require_string(doc, "client_id"));
  if (!is_valid_client_id(client_id)) return bad("client_id", OAUTH_TEXT("is malformed"));
  tx.client_id = std::move(client_id);

  OAUTH_ASSIGN_OR_RETURN(auto&& verifier, require_string(doc, "code_verifier"));
  tx.verifier = Secret(std::move(verifier));
  if (!check_pkce_verifier(tx.verifier.view()).ok()) return bad("code_verifier", OAUTH_TEXT("is malformed"));

  OAUTH_ASSIGN_OR_RETURN(auto&& created_at, require_integer(doc, "created_at", 0, INT64_MAX / 2));
  tx.created_at = created_at;

  OAUTH_ASSIGN_OR_RETURN(auto&& max_age, get_integer(doc, "max_age", 0, INT64_MAX / 2));
  tx.max_age = max_age;

  OAUTH_ASSIGN_OR_RETURN(auto&& resource, get_string_array(doc, "resource"));
  if (!resource.has_value()) return bad("resource", OAUTH_TEXT("is missing"));
  for (const auto& r : *resource) {
    if (!is_valid_resource(r)) return bad("resource", OAUTH_TEXT("holds a malformed URI"));
  }
  tx.resource = std::move(*resource);

  OAUTH_ASSIGN_OR_RETURN(auto&& dpop_jkt, get_string(doc, "dpop_jkt"));
  tx.dpop_jkt = dpop_jkt.value_or(std::string());
  if (!tx.dpop_jkt.empty() && (tx.dpop_jkt.size() != 43 || !is_base64url_text(tx.dpop_jkt)))
    return bad("dpop_jkt", OAUTH_TEXT("is malformed"));
  return tx;
}

}  // namespace oauth
