// Client authentication at the token endpoint (RFC 6749 §2.3). A browser SPA is a public client
// (none); the secret methods are the hook for confidential clients.
#pragma once
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/secret.hpp"
#include "protocol/http.hpp"
#include "protocol/url.hpp"

namespace oauth {

class ClientAuth {
 public:
  enum class Method { none, client_secret_basic, client_secret_post };

  static ClientAuth none() { return ClientAuth(Method::none, Secret()); }
  // A secret method with an empty secret is refused (invalid_argument).
  static Result<ClientAuth> client_secret_basic(Secret secret);
  static Result<ClientAuth> client_secret_post(Secret secret);

  ClientAuth(ClientAuth&&) = default;
  ClientAuth& operator=(ClientAuth&&) = default;

  Method method() const { return method_; }
  const Secret& secret() const { return secret_; }

 private:
  ClientAuth(Method method, Secret secret) : method_(method), secret_(std::move(secret)) {}
  Method method_;
  Secret secret_;
};

// The one back-channel form POST of the client (token, revocation, pushed authorization and
// device authorization endpoints): POST `url` with `form` (application/x-www-form-urlencoded,
// accepting JSON) and the client's authentication applied. none: client_id in the form
// (RFC 6749 §4.1.3 / §3.2.1). client_secret_basic: an Authorization header with
// base64(urlencode(id) ":" urlencode(secret)) (RFC 6749 §2.3.1) and no client_id in the form.
// client_secret_post: client_id and client_secret appended to the form (§2.3.1). `form` views its
// values: they must outlive the call.
HttpRequest client_form_post(std::string url, FormParamViews form, std::string_view client_id, const ClientAuth& auth);

}  // namespace oauth
