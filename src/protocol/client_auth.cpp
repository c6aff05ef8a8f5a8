#include "protocol/client_auth.hpp"

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"

namespace oauth {

Result<ClientAuth> ClientAuth::client_secret_basic(Secret secret) {
  if (secret.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("client_secret_basic needs a client secret"));
  return ClientAuth(Method::client_secret_basic, std::move(secret));
}

Result<ClientAuth> ClientAuth::client_secret_post(Secret secret) {
  if (secret.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("client_secret_post needs a client secret"));
  return ClientAuth(Method::client_secret_post, std::move(secret));
}

namespace {

void apply_client_auth(HttpRequest& request, FormParamViews& form, std::string_view client_id, const ClientAuth& auth) {
  switch (auth.method()) {
    case ClientAuth::Method::none:
      form.emplace_back("client_id", client_id);
      break;
    case ClientAuth::Method::client_secret_post:
      form.emplace_back("client_id", client_id);
      form.emplace_back("client_secret", auth.secret().view());
      break;
    case ClientAuth::Method::client_secret_basic: {
      // RFC 6749 §2.3.1: both parts form-urlencoded first, then joined by ':' (RFC 7617 §2).
      // Intermediates that hold the secret are Secrets, so they are wiped on the way out.
      std::string id = percent_encode(client_id);
      Secret secret(percent_encode(auth.secret().view()));
      std::string joined;
      joined.reserve(id.size() + 1 + secret.size());
      joined.append(id).append(1, ':').append(secret.view());
      Secret credentials(std::move(joined));
      Secret encoded(base64_encode(credentials.view()));
      std::string value;
      value.reserve(6 + encoded.size());
      value.append("Basic ").append(encoded.view());
      request.headers.emplace_back("Authorization", std::move(value));
      break;
    }
  }
}

}  // namespace

HttpRequest client_form_post(std::string url, FormParamViews form, std::string_view client_id, const ClientAuth& auth) {
  HttpRequest request = form_post(std::move(url));
  apply_client_auth(request, form, client_id, auth);
  request.body = encode_params(form);
  return request;
}

}  // namespace oauth
