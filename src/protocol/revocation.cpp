#include "protocol/revocation.hpp"

#include "protocol/url.hpp"

namespace oauth {

Result<std::vector<HttpRequest>> build_revocation_requests(const IssuerMetadata& metadata, const ClientConfig& client,
                                                           const Secret& refresh_token, const Secret& access_token,
                                                           const ClientAuth& auth) {
  std::vector<HttpRequest> requests;
  if (metadata->revocation_endpoint.empty()) return requests;
  const std::pair<const Secret*, const char*> tokens[] = {{&refresh_token, "refresh_token"},
                                                          {&access_token, "access_token"}};
  for (const auto& [token, hint] : tokens) {
    if (token->empty()) continue;
    requests.push_back(client_form_post(metadata->revocation_endpoint, {{"token", token->view()}, {"token_type_hint", hint}},
                                        client.client_id, auth));
  }
  return requests;
}

}  // namespace oauth
