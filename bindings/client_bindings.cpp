// embind map of src/session: one function per client call, the client found by its handle.
// No logic: parse nothing, decide nothing; convert values and forward. Each answers through
// answer.hpp; web/core-abi.mjs decodes the answers.
#include <emscripten/bind.h>

#include "client_lookup.hpp"
#include "core/error_codes.hpp"
#include "protocol/end_session.hpp"
#include "protocol/www_authenticate.hpp"
#include "step_out.hpp"

namespace oauth::bindings {
namespace {

using Now = double;  // seconds since the epoch, from Date.now() / 1000

Answer client_create(Text config_json) {
  auto settings = parse_client_settings(config_json.view());
  if (!settings) return answer_error(settings.error());
  auto client = Client::create(std::move(*settings));
  if (!client) return answer_error(client.error());
  auto discovery = client->discovery_request();
  if (!discovery) return answer_error(discovery.error());
  const int handle = client_registry().add(std::move(*client));
  return answer_ok([&](JsonWriter& out) {
    write_request(out.begin_object().member("handle", handle).key("request"), *discovery);
    out.end_object();
  });
}

Answer client_set_metadata(int handle, double status, Text headers, Text body) {
  return with_client(handle, [&](Client& c) {
    auto accepted = c.accept_metadata(response_arg(status, headers, body));
    if (!accepted) return answer_error(accepted.error());
    const ServerMetadata& m = **c.metadata();
    return answer_ok([&](JsonWriter& out) {
      out.begin_object()
          .member("issuer", m.issuer)
          .member("authorizationEndpoint", m.authorization_endpoint)
          .member("tokenEndpoint", m.token_endpoint)
          .member("endSessionEndpoint", m.end_session_endpoint)
          .member("revocationEndpoint", m.revocation_endpoint)
          .end_object();
    });
  });
}

Answer client_authorize(int handle, Text options_json, Now now) {
  return with_client(handle, [&](Client& c) {
    auto options = parse_authorization_options(options_json.view());
    if (!options) return answer_error(options.error());
    return answer(c.authorize(*options, seconds(now)), write_step);
  });
}

Answer client_callback(int handle, Text url, Text transaction_json, Now now) {
  return with_client(handle, [&](Client& c) { return answer(c.callback(url.view(), transaction_json.view(), seconds(now)), write_step); });
}

Answer client_resume(int handle, double status, Text headers, Text body, Now now) {
  return with_client(handle, [&](Client& c) {
    return answer(c.resume(response_arg(status, headers, body), seconds(now)), write_step);
  });
}

Answer client_is_authenticated(int handle, Now now) {
  return with_client(handle, [&](Client& c) { return answer_ok([&](JsonWriter& out) { out.boolean(c.authenticated(seconds(now))); }); });
}

Answer client_user(int handle) {
  return with_client(handle, [](Client& c) { return answer_ok([&](JsonWriter& out) { out.json(c.user()); }); });
}

Answer client_access_token(int handle, Now now) {
  return with_client(handle, [&](Client& c) {
    return answer(c.usable_tokens(seconds(now)), [](JsonWriter& out, const TokenSet* t) {
      out.begin_object().member("token", t->access_token.view()).member("tokenType", token_type_name(t->token_type)).key("expiresAt");
      write_optional_seconds(out, t->expires_at);
      out.end_object();
    });
  });
}

Answer client_authorize_resource(int handle, Text url, Text method, Now now) {
  return with_client(handle, [&](Client& c) {
    auto headers = c.authorize_resource(url.view(), method.view(), seconds(now));
    Answer a = answer(headers, [&](JsonWriter& out, const HttpHeaders& h) {
      write_headers(out.begin_object().key("headers"), h);
      out.member("refresh", c.refresh_due(seconds(now))).end_object();
    });
    if (headers) wipe_header_values(*headers);  // Authorization carries the access token
    return a;
  });
}

// A resource response for `url` → whether to send the request once more (a DPoP nonce arrived).
Answer client_accept_resource_response(int handle, Text url, double status, Text headers, Text body) {
  return with_client(handle, [&](Client& c) {
    const bool again = c.accept_resource_response(url.view(), response_arg(status, headers, body));
    return answer_ok([&](JsonWriter& out) { out.boolean(again); });
  });
}

// { enabled, thumbprint }: whether DPoP is in use, and the session key's RFC 7638 thumbprint (null before one exists).
Answer client_dpop_state(int handle) {
  return with_client(handle, [](Client& c) {
    return answer_ok([&](JsonWriter& out) {
      out.begin_object().member("enabled", c.dpop_enabled()).key("thumbprint");
      c.dpop_key() ? out.string(c.dpop_key()->thumbprint()) : out.null();
      out.end_object();
    });
  });
}

Answer client_refresh(int handle, Now now) {
  return with_client(handle, [&](Client& c) { return answer(c.refresh(seconds(now)), write_step); });
}

Answer client_token_state(int handle, Now now) {
  return with_client(handle, [&](Client& c) {
    const TokenSet* t = c.tokens();
    return answer_ok([&](JsonWriter& out) {
      out.begin_object().member("authenticated", c.authenticated(seconds(now))).key("expiresAt");
      write_optional_seconds(out, t ? t->expires_at : std::nullopt);
      out.member("hasRefreshToken", c.has_refresh_token()).member("refresh", c.refresh_due(seconds(now))).key("refreshIn");
      write_optional_seconds(out, c.refresh_in(seconds(now)));
      out.end_object();
    });
  });
}

Answer client_revocation_requests(int handle) {
  return with_client(handle, [](Client& c) {
    return answer(c.revocation_requests(), [](JsonWriter& out, const std::vector<HttpRequest>& requests) {
      out.begin_array();
      for (const HttpRequest& r : requests) write_request(out, r);
      out.end_array();
    });
  });
}

Answer client_end_session_request(int handle, Text post_logout_redirect_uri, bool with_id_token_hint) {
  return with_client(handle, [&](Client& c) {
    return answer(c.end_session_request(post_logout_redirect_uri.view(), with_id_token_hint), [](JsonWriter& out, const EndSessionRequest& r) {
      out.begin_object().member("url", r.url).member("action", r.action).key("params");
      write_headers(out, r.params);  // [[name, value], ...], as a request's headers
      out.member("state", r.state).end_object();
    });
  });
}

// A resource's WWW-Authenticate: whether it refuses the token (the shim then refreshes once).
Answer is_invalid_token_challenge_js(Text header) {
  return answer_ok([&](JsonWriter& out) { out.boolean(is_invalid_token_challenge(header.view())); });
}

Answer check_end_session_callback_js(Text url, Text expected_state) {
  return answer(check_end_session_callback(url.view(), expected_state.view()), [](JsonWriter& out, const Ok&) { out.boolean(true); });
}

Answer client_logout(int handle) {
  return with_client(handle, [](Client& c) {
    c.logout();
    return answer_ok([](JsonWriter& out) { out.boolean(true); });
  });
}

// Persistence (src/session/client_record.cpp): the external DPoP key's public JWK → its thumbprint.
Answer client_use_dpop_key(int handle, Text public_jwk_json) {
  return with_client(handle, [&](Client& c) {
    return answer(c.use_external_dpop_key(public_jwk_json.view()), [](JsonWriter& out, const std::string& thumbprint) {
      out.begin_object().member("thumbprint", thumbprint).end_object();
    });
  });
}

// → the session record's JSON text (a string holding the refresh token).
Answer client_export_session(int handle, bool require_bound) {
  return with_client(handle, [&](Client& c) {
    return answer(c.export_session(require_bound), [](JsonWriter& out, const Secret& record) { out.string(record.view()); });
  });
}

Answer client_restore_session(int handle, Text record_json) {
  return with_client(handle, [&](Client& c) {
    return answer(c.restore_session(record_json.view()), [](JsonWriter& out, const Ok&) { out.boolean(true); });
  });
}

Answer client_destroy(int handle) {
  client_registry().remove(handle);
  return answer_ok([](JsonWriter& out) { out.boolean(true); });
}

}  // namespace

Answer no_client_answer() { return answer_error(Error::local(codes::invalid_argument, OAUTH_TEXT("no client with that handle"))); }

EMSCRIPTEN_BINDINGS(oauth_client) {
  emscripten::function("releaseAnswer", &release_answer);
  emscripten::function("clientCreate", &client_create);
  emscripten::function("clientSetMetadata", &client_set_metadata);
  emscripten::function("clientAuthorize", &client_authorize);
  emscripten::function("clientCallback", &client_callback);
  emscripten::function("clientResume", &client_resume);
  emscripten::function("clientIsAuthenticated", &client_is_authenticated);
  emscripten::function("clientUser", &client_user);
  emscripten::function("clientAccessToken", &client_access_token);
  emscripten::function("clientAuthorizeResource", &client_authorize_resource);
  emscripten::function("clientAcceptResourceResponse", &client_accept_resource_response);
  emscripten::function("clientDpopState", &client_dpop_state);
  emscripten::function("clientRefresh", &client_refresh);
  emscripten::function("clientTokenState", &client_token_state);
  emscripten::function("clientRevocationRequests", &client_revocation_requests);
  emscripten::function("clientEndSessionRequest", &client_end_session_request);
  emscripten::function("clientCheckEndSessionCallback", &check_end_session_callback_js);
  emscripten::function("isInvalidTokenChallenge", &is_invalid_token_challenge_js);
  emscripten::function("clientLogout", &client_logout);
  emscripten::function("clientUseDpopKey", &client_use_dpop_key);
  emscripten::function("clientExportSession", &client_export_session);
  emscripten::function("clientRestoreSession", &client_restore_session);
  emscripten::function("clientDestroy", &client_destroy);
}

}  // namespace oauth::bindings
