// embind map of src/session: one function per client call, the client found by its handle.
// No logic: parse nothing, decide nothing; convert values and forward.
#include <emscripten/bind.h>

#include "convert.hpp"
#include "core/error_codes.hpp"
#include "http_convert.hpp"
#include "json_convert.hpp"
#include "step_convert.hpp"
#include "protocol/end_session.hpp"
#include "session/client_registry.hpp"

namespace oauth::bindings {
namespace {

using Now = double;  // seconds since the epoch, from Date.now() / 1000

std::int64_t seconds(Now now) { return static_cast<std::int64_t>(now); }

val no_client() { return failure(Error::local(codes::invalid_argument, "no client with that handle")); }

template <typename F>
val with_client(int handle, F f) {
  Client* client = client_registry().find(handle);
  return client ? f(*client) : no_client();
}

val client_create(const std::string& config_json) {
  auto settings = parse_client_settings(config_json);
  if (!settings) return failure(settings.error());
  auto client = Client::create(std::move(*settings));
  if (!client) return failure(client.error());
  return success(val(client_registry().add(std::move(*client))));
}

val client_discovery_request(int handle) {
  return with_client(handle, [](Client& c) { return to_js(c.discovery_request(), [](const HttpRequest& r) { return to_js(r); }); });
}

val client_set_metadata(int handle, val response) {
  return with_client(handle, [&](Client& c) {
    auto status = c.accept_metadata(response_from_js(response));
    if (!status) return failure(status.error());
    const ServerMetadata& m = *c.metadata();
    val o = val::object();
    o.set("issuer", m.issuer);
    o.set("authorizationEndpoint", m.authorization_endpoint);
    o.set("tokenEndpoint", m.token_endpoint);
    o.set("endSessionEndpoint", m.end_session_endpoint);
    o.set("revocationEndpoint", m.revocation_endpoint);
    return success(o);
  });
}

val client_authorize(int handle, const std::string& options_json, Now now) {
  return with_client(handle, [&](Client& c) {
    auto options = parse_authorization_options(options_json);
    if (!options) return failure(options.error());
    return to_js(c.authorize(*options, seconds(now)), [](const AuthorizationStart& s) {
      val o = val::object();
      o.set("url", s.url);
      o.set("state", s.state);
      o.set("transaction", std::string(s.transaction_json.view()));
      if (s.push) o.set("push", to_js(*s.push));  // PAR: perform, then clientFinishPush
      return o;
    });
  });
}

val client_callback(int handle, const std::string& url, const std::string& transaction_json, Now now) {
  return with_client(handle, [&](Client& c) { return to_js(c.callback(url, transaction_json, seconds(now)), step_to_js); });
}

val client_resume(int handle, val response, Now now) {
  return with_client(handle, [&](Client& c) { return to_js(c.resume(response_from_js(response), seconds(now)), step_to_js); });
}

val client_is_authenticated(int handle, Now now) {
  return with_client(handle, [&](Client& c) { return success(val(c.authenticated(seconds(now)))); });
}

val client_user(int handle) {
  return with_client(handle, [](Client& c) { return success(json_to_js(c.user())); });
}

val client_access_token(int handle, Now now) {
  return with_client(handle, [&](Client& c) {
    return to_js(c.usable_tokens(seconds(now)), [](const TokenSet* t) {
      val o = val::object();
      o.set("token", std::string(t->access_token.view()));
      o.set("tokenType", t->token_type);
      o.set("expiresAt", t->expires_at ? val(static_cast<double>(*t->expires_at)) : val::null());
      return o;
    });
  });
}

val client_authorize_resource(int handle, const std::string& url, const std::string& method, Now now) {
  return with_client(handle, [&](Client& c) {
    return to_js(c.authorize_resource(url, method, seconds(now)), [](const HttpHeaders& headers) {
      HttpRequest carrier;
      carrier.headers = headers;
      val o = val::object();
      o.set("headers", to_js(carrier)["headers"]);
      return o;
    });
  });
}

val client_refresh_request(int handle, Now now) {
  return with_client(handle, [&](Client& c) {
    return to_js(c.refresh_request(seconds(now)), [](const HttpRequest& r) { return to_js(r); });
  });
}

val client_token_state(int handle, Now now) {
  return with_client(handle, [&](Client& c) {
    const TokenSet* t = c.tokens();
    val o = val::object();
    o.set("authenticated", c.authenticated(seconds(now)));
    o.set("expiresAt", t && t->expires_at ? val(static_cast<double>(*t->expires_at)) : val::null());
    o.set("hasRefreshToken", c.has_refresh_token());
    return success(o);
  });
}

val client_revocation_requests(int handle) {
  return with_client(handle, [](Client& c) {
    return to_js(c.revocation_requests(), [](const std::vector<HttpRequest>& requests) {
      val list = val::array();
      for (const auto& r : requests) list.call<void>("push", to_js(r));
      return list;
    });
  });
}

val client_end_session_request(int handle, const std::string& post_logout_redirect_uri) {
  return with_client(handle, [&](Client& c) {
    return to_js(c.end_session_request(post_logout_redirect_uri), [](const EndSessionRequest& r) {
      val o = val::object();
      o.set("url", r.url);
      o.set("state", r.state);
      return o;
    });
  });
}

val check_end_session_callback_js(const std::string& url, const std::string& expected_state) {
  auto status = check_end_session_callback(url, expected_state);
  return status ? success(val(true)) : failure(status.error());
}

val client_logout(int handle) {
  return with_client(handle, [](Client& c) {
    c.logout();
    return success(val(true));
  });
}

val client_destroy(int handle) {
  client_registry().remove(handle);
  return success(val(true));
}

}  // namespace

EMSCRIPTEN_BINDINGS(oauth_client) {
  emscripten::function("clientCreate", &client_create);
  emscripten::function("clientDiscoveryRequest", &client_discovery_request);
  emscripten::function("clientSetMetadata", &client_set_metadata);
  emscripten::function("clientAuthorize", &client_authorize);
  emscripten::function("clientCallback", &client_callback);
  emscripten::function("clientResume", &client_resume);
  emscripten::function("clientIsAuthenticated", &client_is_authenticated);
  emscripten::function("clientUser", &client_user);
  emscripten::function("clientAccessToken", &client_access_token);
  emscripten::function("clientAuthorizeResource", &client_authorize_resource);
  emscripten::function("clientRefreshRequest", &client_refresh_request);
  emscripten::function("clientTokenState", &client_token_state);
  emscripten::function("clientRevocationRequests", &client_revocation_requests);
  emscripten::function("clientEndSessionRequest", &client_end_session_request);
  emscripten::function("clientCheckEndSessionCallback", &check_end_session_callback_js);
  emscripten::function("clientLogout", &client_logout);
  emscripten::function("clientDestroy", &client_destroy);
}

}  // namespace oauth::bindings
