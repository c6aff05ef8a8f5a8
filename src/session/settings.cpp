#include "session/settings.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/metadata.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

constexpr std::size_t kMaxSettingsBytes = 64 * 1024;
const JsonSource kSettingsSource{codes::invalid_argument, Blame::local, "the client options"};
const JsonSource kOptionsSource{codes::invalid_argument, Blame::local, "the login options"};

Result<std::string> normalise_api_origin(const std::string& text) {
  auto url = parse_url(text);
  OAUTH_TRY(url);
  if (!is_https_or_loopback(*url))
    return Error::local(codes::invalid_argument, "an API origin must be https (http only for loopback)");
  if (url->path != "/" || url->query || url->fragment)
    return Error::local(codes::invalid_argument, "an API origin has no path, query or fragment");
  return url->origin();
}

// RFC 6749 §2.3.1: client_secret_basic unless the caller asks for client_secret_post.
Result<ClientAuth> read_client_auth(const JsonObject& obj) {
  auto secret = get_string(obj, "clientSecret");
  OAUTH_TRY(secret);
  auto method = get_string(obj, "tokenEndpointAuthMethod");
  OAUTH_TRY(method);
  if (!*secret) {
    if (*method && **method != "none")
      return Error::local(codes::invalid_argument, "tokenEndpointAuthMethod needs a clientSecret");
    return ClientAuth::none();
  }
  Secret value(std::move(**secret));
  if (!*method || **method == "client_secret_basic") return ClientAuth::client_secret_basic(std::move(value));
  if (**method == "client_secret_post") return ClientAuth::client_secret_post(std::move(value));
  return Error::local(codes::invalid_argument, "tokenEndpointAuthMethod must be client_secret_basic or client_secret_post");
}

// true: on, false: off, absent: automatic.
Result<FeatureMode> read_feature_mode(const JsonObject& obj, const char* name) {
  auto flag = get_bool(obj, name);
  OAUTH_TRY(flag);
  if (!*flag) return FeatureMode::automatic;
  return **flag ? FeatureMode::on : FeatureMode::off;
}

}  // namespace

bool ClientSettings::allows_redirect_uri(std::string_view uri) const {
  return !uri.empty() && (uri == client.redirect_uri || uri == silent_redirect_uri ||
                          client.is_registered_redirect_uri(uri));
}

Result<ClientSettings> parse_client_settings(std::string_view json) {
  auto obj = parse_json_object(json, kMaxSettingsBytes, kSettingsSource);
  OAUTH_TRY(obj);
  JsonWipeGuard wipe(obj->value);  // it may hold the client secret
  OAUTH_TRY(check_only_members(*obj, {"issuer", "clientId", "redirectUri", "popupRedirectUri", "silentRedirectUri",
                                      "apiOrigins", "clockSkew", "transactionTtl", "refreshMargin", "clientSecret",
                                      "tokenEndpointAuthMethod", "dpop", "dpopAllowBearer", "par", "idTokenSigningAlg"}));
  ClientSettings settings;
  auto issuer = require_string(*obj, "issuer");
  OAUTH_TRY(issuer);
  OAUTH_TRY(check_issuer(*issuer));
  settings.client.issuer = std::move(*issuer);
  auto client_id = require_string(*obj, "clientId");
  OAUTH_TRY(client_id);
  if (client_id->empty()) return Error::local(codes::invalid_argument, "clientId must not be empty");
  settings.client.client_id = std::move(*client_id);
  // Grants without a browser (client credentials, device) have no redirect URI.
  auto redirect_uri = get_string(*obj, "redirectUri");
  OAUTH_TRY(redirect_uri);
  if (*redirect_uri) settings.client.redirect_uri = std::move(**redirect_uri);
  auto popup_redirect_uri = get_string(*obj, "popupRedirectUri");
  OAUTH_TRY(popup_redirect_uri);
  if (*popup_redirect_uri) settings.client.popup_redirect_uri = std::move(**popup_redirect_uri);
  auto silent_uri = get_string(*obj, "silentRedirectUri");
  OAUTH_TRY(silent_uri);
  if (*silent_uri) {
    if (settings.client.redirect_uri.empty() || **silent_uri == settings.client.redirect_uri)
      return Error::local(codes::invalid_argument, "silentRedirectUri needs a redirectUri and must differ from it");
    settings.silent_redirect_uri = std::move(**silent_uri);
  }
  auto auth = read_client_auth(*obj);
  OAUTH_TRY(auth);
  settings.auth = std::move(*auth);

  auto origins = get_string_array(*obj, "apiOrigins");
  OAUTH_TRY(origins);
  for (const auto& origin : origins->value_or(std::vector<std::string>{})) {
    auto normalised = normalise_api_origin(origin);
    OAUTH_TRY(normalised);
    settings.api_origins.push_back(std::move(*normalised));
  }
  auto skew = get_integer(*obj, "clockSkew", 0, 600);
  OAUTH_TRY(skew);
  settings.clock_skew = skew->value_or(kDefaultClockSkewSeconds);
  auto ttl = get_integer(*obj, "transactionTtl", 30, 3600);
  OAUTH_TRY(ttl);
  settings.transaction_ttl = ttl->value_or(kTransactionTtlSeconds);
  OAUTH_ASSIGN_OR_RETURN(auto margin, get_integer(*obj, "refreshMargin", 0, 86400));
  settings.refresh_margin = margin.value_or(kDefaultRefreshMarginSeconds);
  auto dpop = read_feature_mode(*obj, "dpop");
  OAUTH_TRY(dpop);
  settings.dpop = *dpop;
  auto allow_bearer = get_bool(*obj, "dpopAllowBearer");
  OAUTH_TRY(allow_bearer);
  settings.dpop_allow_bearer = allow_bearer->value_or(false);
  auto par = read_feature_mode(*obj, "par");
  OAUTH_TRY(par);
  settings.par = *par;
  auto alg = get_string(*obj, "idTokenSigningAlg");
  OAUTH_TRY(alg);
  if (*alg) {
    settings.id_token_signing_alg = jws_alg_from_name(**alg);  // asymmetric only: never none or HS*
    if (!settings.id_token_signing_alg)
      return Error::local(codes::invalid_argument,
                          "idTokenSigningAlg must be RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA");
  }
  return settings;
}

Result<AuthorizationOptions> parse_authorization_options(std::string_view json) {
  auto obj = parse_json_object(json.empty() ? std::string_view("{}") : json, kMaxSettingsBytes, kOptionsSource);
  OAUTH_TRY(obj);
  OAUTH_TRY(check_only_members(*obj, {"scope", "resource", "prompt", "loginHint", "maxAge", "extraParams",
                                      "bindDpopKey", "popupLogin", "redirectUri"}));
  AuthorizationOptions options;
  auto scope = get_string(*obj, "scope");
  OAUTH_TRY(scope);
  if (*scope) options.scope = std::move(**scope);
  auto resource = get_string_array(*obj, "resource");
  OAUTH_TRY(resource);
  if (*resource) options.resource = std::move(**resource);
  auto prompt = get_string(*obj, "prompt");
  OAUTH_TRY(prompt);
  if (*prompt) options.prompt = std::move(**prompt);
  auto login_hint = get_string(*obj, "loginHint");
  OAUTH_TRY(login_hint);
  if (*login_hint) options.login_hint = std::move(**login_hint);
  auto max_age = get_integer(*obj, "maxAge", 0, 365LL * 24 * 3600);
  OAUTH_TRY(max_age);
  options.max_age = *max_age;
  auto bind = get_bool(*obj, "bindDpopKey");
  OAUTH_TRY(bind);
  options.bind_dpop_key = bind->value_or(true);
  auto popup = get_bool(*obj, "popupLogin");
  OAUTH_TRY(popup);
  options.popup = popup->value_or(false);
  auto redirect_uri = get_string(*obj, "redirectUri");
  OAUTH_TRY(redirect_uri);
  if (*redirect_uri) options.redirect_uri = std::move(**redirect_uri);
  if (const JsonValue* extra = obj->value.find("extraParams")) {
    if (!extra->is_object()) return Error::local(codes::invalid_argument, "extraParams must be an object");
    for (std::size_t i = 0; i < extra->size(); ++i) {
      const JsonValue& value = extra->items()[i];
      if (!value.is_string())
        return Error::local(codes::invalid_argument, "every extraParams value must be a string");
      options.extra_params.emplace_back(extra->names()[i], value.text());
    }
  }
  return options;
}

}  // namespace oauth
