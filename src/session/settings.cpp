#include "session/settings.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

constexpr std::size_t kMaxSettingsBytes = 64 * 1024;
const JsonSource kSettingsSource{codes::invalid_argument, Blame::local, OAUTH_TEXT("the client options")};
const JsonSource kOptionsSource{codes::invalid_argument, Blame::local, OAUTH_TEXT("the login options")};

Result<std::string> normalise_api_origin(const std::string& text) {
  OAUTH_ASSIGN_OR_RETURN(auto&& url, parse_url(text));
  if (!is_https_or_loopback(url))
    return Error::local(codes::invalid_argument, OAUTH_TEXT("an API origin must be https (http only for loopback)"));
  if (url.path != "/" || url.query || url.fragment)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("an API origin has no path, query or fragment"));
  return url.origin();
}

// RFC 6749 §2.3.1: client_secret_basic unless the caller asks for client_secret_post.
Result<ClientAuth> read_client_auth(const JsonObject& obj) {
  OAUTH_ASSIGN_OR_RETURN(auto&& secret, get_string(obj, "clientSecret"));
  OAUTH_ASSIGN_OR_RETURN(auto&& method, get_string(obj, "tokenEndpointAuthMethod"));
  if (!secret) {
    if (method && *method != "none")
      return Error::local(codes::invalid_argument, OAUTH_TEXT("tokenEndpointAuthMethod needs a clientSecret"));
    return ClientAuth::none();
  }
  Secret value(std::move(*secret));
  if (!method || *method == "client_secret_basic") return ClientAuth::client_secret_basic(std::move(value));
  if (*method == "client_secret_post") return ClientAuth::client_secret_post(std::move(value));
  return Error::local(codes::invalid_argument, OAUTH_TEXT("tokenEndpointAuthMethod must be client_secret_basic or client_secret_post"));
}

// A redirect URI a login may name, checked here once (RFC 6749 §3.1.2, RFC 8252 §7.3).
Status check_redirect_uri(const std::string& uri, const char* what) {
  if (uri.empty() || is_valid_redirect_uri(uri)) return Ok{};
  return Error::local(codes::invalid_argument,
                      concat({what, OAUTH_TEXT(" must be an https URL (http only to a loopback host) without a fragment")}));
}

// true: on, false: off, absent: automatic.
Result<FeatureMode> read_feature_mode(const JsonObject& obj, const char* name) {
  OAUTH_ASSIGN_OR_RETURN(auto&& flag, get_bool(obj, name));
  if (!flag) return FeatureMode::automatic;
  return *flag ? FeatureMode::on : FeatureMode::off;
}

}  // namespace

bool ClientSettings::allows_redirect_uri(std::string_view uri) const {
  return !uri.empty() && (uri == client.redirect_uri || uri == silent_redirect_uri ||
                          client.is_registered_redirect_uri(uri));
}

Result<ClientSettings> parse_client_settings(std::string_view json) {
  OAUTH_ASSIGN_OR_RETURN(auto&& obj, parse_json_object(json, kMaxSettingsBytes, kSettingsSource));
  JsonWipeGuard wipe(obj.value);  // it may hold the client secret
  OAUTH_TRY(check_only_members(obj, {"issuer", "clientId", "redirectUri", "popupRedirectUri", "silentRedirectUri",
                                      "apiOrigins", "clockSkew", "transactionTtl", "refreshMargin", "clientSecret",
                                      "tokenEndpointAuthMethod", "dpop", "dpopAllowBearer", "par", "idTokenSigningAlg"}));
  ClientSettings settings;
  OAUTH_ASSIGN_OR_RETURN(auto&& issuer, require_string(obj, "issuer"));
  OAUTH_TRY(check_issuer(issuer));
  settings.client.issuer = std::move(issuer);
  OAUTH_ASSIGN_OR_RETURN(auto&& client_id, require_string(obj, "clientId"));
  if (client_id.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("clientId must not be empty"));
  settings.client.client_id = std::move(client_id);
  // Grants without a browser (client credentials, device) have no redirect URI.
  OAUTH_ASSIGN_OR_RETURN(auto&& redirect_uri, get_string(obj, "redirectUri"));
  if (redirect_uri) settings.client.redirect_uri = std::move(*redirect_uri);
  OAUTH_ASSIGN_OR_RETURN(auto&& popup_redirect_uri, get_string(obj, "popupRedirectUri"));
  if (popup_redirect_uri) settings.client.popup_redirect_uri = std::move(*popup_redirect_uri);
  OAUTH_ASSIGN_OR_RETURN(auto&& silent_uri, get_string(obj, "silentRedirectUri"));
  if (silent_uri) {
    if (settings.client.redirect_uri.empty() || *silent_uri == settings.client.redirect_uri)
      return Error::local(codes::invalid_argument, OAUTH_TEXT("silentRedirectUri needs a redirectUri and must differ from it"));
    settings.silent_redirect_uri = std::move(*silent_uri);
  }
  OAUTH_TRY(check_redirect_uri(settings.client.redirect_uri, "redirect_uri"));
  OAUTH_TRY(check_redirect_uri(settings.client.popup_redirect_uri, "popupRedirectUri"));
  OAUTH_TRY(check_redirect_uri(settings.silent_redirect_uri, "silentRedirectUri"));
  OAUTH_ASSIGN_OR_RETURN(auto&& auth, read_client_auth(obj));
  settings.auth = std::move(auth);

  OAUTH_ASSIGN_OR_RETURN(auto&& origins, get_string_array(obj, "apiOrigins"));
  for (const auto& origin : origins.value_or(std::vector<std::string>{})) {
    OAUTH_ASSIGN_OR_RETURN(auto&& normalised, normalise_api_origin(origin));
    settings.api_origins.push_back(std::move(normalised));
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& skew, get_integer(obj, "clockSkew", 0, 600));
  settings.clock_skew = skew.value_or(kDefaultClockSkewSeconds);
  OAUTH_ASSIGN_OR_RETURN(auto&& ttl, get_integer(obj, "transactionTtl", 30, 3600));
  settings.transaction_ttl = ttl.value_or(kTransactionTtlSeconds);
  OAUTH_ASSIGN_OR_RETURN(auto&& margin, get_integer(obj, "refreshMargin", 0, 86400));
  settings.refresh_margin = margin.value_or(kDefaultRefreshMarginSeconds);
  OAUTH_ASSIGN_OR_RETURN(auto&& dpop, read_feature_mode(obj, "dpop"));
  settings.dpop = dpop;
  OAUTH_ASSIGN_OR_RETURN(auto&& allow_bearer, get_bool(obj, "dpopAllowBearer"));
  settings.dpop_allow_bearer = allow_bearer.value_or(false);
  OAUTH_ASSIGN_OR_RETURN(auto&& par, read_feature_mode(obj, "par"));
  settings.par = par;
  OAUTH_ASSIGN_OR_RETURN(auto&& alg, get_string(obj, "idTokenSigningAlg"));
  if (alg) {
    settings.id_token_signing_alg = jws_alg_from_name(*alg);  // asymmetric only: never none or HS*
    if (!settings.id_token_signing_alg)
      return Error::local(codes::invalid_argument,
                          OAUTH_TEXT("idTokenSigningAlg must be RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA"));
  }
  return settings;
}

Result<AuthorizationOptions> parse_authorization_options(std::string_view json) {
  OAUTH_ASSIGN_OR_RETURN(auto&& obj,
                         parse_json_object(json.empty() ? std::string_view("{}") : json, kMaxSettingsBytes,
                                           kOptionsSource));
  OAUTH_TRY(check_only_members(obj, {"scope", "resource", "prompt", "loginHint", "maxAge", "extraParams",
                                      "bindDpopKey", "popupLogin", "redirectUri"}));
  AuthorizationOptions options;
  OAUTH_ASSIGN_OR_RETURN(auto&& scope, get_string(obj, "scope"));
  if (scope) options.scope = std::move(*scope);
  OAUTH_ASSIGN_OR_RETURN(auto&& resource, get_string_array(obj, "resource"));
  if (resource) options.resource = std::move(*resource);
  OAUTH_ASSIGN_OR_RETURN(auto&& prompt, get_string(obj, "prompt"));
  if (prompt) options.prompt = std::move(*prompt);
  OAUTH_ASSIGN_OR_RETURN(auto&& login_hint, get_string(obj, "loginHint"));
  if (login_hint) options.login_hint = std::move(*login_hint);
  OAUTH_ASSIGN_OR_RETURN(auto&& max_age, get_integer(obj, "maxAge", 0, 365LL * 24 * 3600));
  options.max_age = max_age;
  OAUTH_ASSIGN_OR_RETURN(auto&& bind, get_bool(obj, "bindDpopKey"));
  options.bind_dpop_key = bind.value_or(true);
  OAUTH_ASSIGN_OR_RETURN(auto&& popup, get_bool(obj, "popupLogin"));
  options.popup = popup.value_or(false);
  OAUTH_ASSIGN_OR_RETURN(auto&& redirect_uri, get_string(obj, "redirectUri"));
  if (redirect_uri) options.redirect_uri = std::move(*redirect_uri);
  if (const JsonValue* extra = obj.value.find("extraParams")) {
    if (!extra->is_object()) return Error::local(codes::invalid_argument, OAUTH_TEXT("extraParams must be an object"));
    for (std::size_t i = 0; i < extra->size(); ++i) {
      const JsonValue& value = extra->items()[i];
      if (!value.is_string())
        return Error::local(codes::invalid_argument, OAUTH_TEXT("every extraParams value must be a string"));
      options.extra_params.emplace_back(extra->names()[i], value.text());
    }
  }
  return options;
}

}  // namespace oauth
