#include "protocol/metadata.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "json/json_write.hpp"
#include "protocol/display_text.hpp"
#include "protocol/limits.hpp"
#include "protocol/url.hpp"

namespace oauth {
namespace {

constexpr JsonSource kDocument{codes::invalid_metadata, Blame::remote, OAUTH_TEXT("the discovery document")};

Error bad_member(const char* member, const char* rule) {
  return Error::remote(codes::invalid_metadata, concat({OAUTH_TEXT("the discovery document member "), member, " ", rule}));
}

// Printable text to quote: displayable, and no quote or backslash to confuse where it ends.
bool is_quotable(std::string_view text) {
  return is_displayable_text(text) && text.find_first_of("\"\\") == std::string_view::npos;
}

// Quotes a server-supplied string in a description only when it is short and printable.
std::string shown(std::string_view text) {
  return text.size() <= 200 && is_quotable(text) ? concat({"\"", text, "\""}) : std::string(OAUTH_TEXT("(a value not shown)"));
}

// Endpoints: absolute https URLs (http only to a loopback host) without a fragment (RFC 8414 §2).
Status read_endpoint(const JsonObject& doc, const char* member, std::string& out) {
  OAUTH_ASSIGN_OR_RETURN(auto&& value, get_string(doc, member));
  if (!value.has_value()) return Ok{};
  auto url = parse_url(*value);
  if (!url.ok() || !is_https_or_loopback(*url) || url->fragment)
    return bad_member(member, OAUTH_TEXT("must be an absolute https URL without a fragment"));
  out = std::move(*value);
  return Ok{};
}

Status read_list(const JsonObject& doc, const char* member, std::optional<std::vector<std::string>>& out) {
  OAUTH_ASSIGN_OR_RETURN(auto&& value, get_string_array(doc, member));
  out = std::move(value);
  return Ok{};
}

Status read_flag(const JsonObject& doc, const char* member, bool& out) {
  OAUTH_ASSIGN_OR_RETURN(auto&& value, get_bool(doc, member));
  out = value.value_or(false);  // RFC 8414 §2, RFC 9126 §5, RFC 9207 §3: absent means false
  return Ok{};
}

// RFC 8414 §3.3, OIDC Discovery §4.3: the issuer a server names must be identical, character for
// character, to the one the client is configured with (no normalising: a mix-up defence, RFC 9207).
// The one place issuers of metadata and client are compared.
Status check_same_issuer(std::string_view named, std::string_view configured) {
  if (named == configured) return Ok{};
  return Error::remote(codes::issuer_mismatch, concat({OAUTH_TEXT("the discovery document names issuer "), shown(named),
                                                       OAUTH_TEXT(", expected "), shown(configured)}));
}

}  // namespace

Result<IssuerMetadata> IssuerMetadata::of_issuer(ServerMetadata metadata, std::string_view configured_issuer) {
  OAUTH_TRY(check_same_issuer(metadata.issuer, configured_issuer));
  return IssuerMetadata(std::move(metadata));
}

Status check_issuer(std::string_view issuer) {
  auto url = parse_url(issuer);
  if (!url.ok()) return Error::local(codes::invalid_argument, OAUTH_TEXT("the issuer is not an absolute URL"));
  if (url->query || url->fragment)
    return Error::local(codes::invalid_argument, OAUTH_TEXT("the issuer may not have a query or fragment (RFC 8414 §2)"));
  if (!is_https_or_loopback(*url))
    return Error::local(codes::insecure_issuer, OAUTH_TEXT("the issuer must use https (http only to a loopback host)"));
  return Ok{};
}

Result<HttpRequest> build_discovery_request(std::string_view issuer) {
  OAUTH_TRY(check_issuer(issuer));
  if (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  HttpRequest request;
  request.method = "GET";
  request.url = std::string(issuer) + "/.well-known/openid-configuration";
  request.headers = {{"Accept", "application/json"}};
  return request;
}

Result<IssuerMetadata> process_metadata_response(const HttpResponse& response, std::string_view expected_issuer) {
  OAUTH_TRY(check_issuer(expected_issuer));
  if (response.body.size() > kMaxResponseBodyBytes) {
    Error e = Error::remote(codes::response_too_large, OAUTH_TEXT("the discovery document is larger than 1 MiB"));
    e.http_status = response.status;
    return e;
  }
  if (response.status != 200) {
    Error e = Error::remote(codes::unexpected_status,
                            concat({OAUTH_TEXT("the discovery endpoint answered HTTP "), decimal(response.status)}));
    e.http_status = response.status;
    return e;
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& doc, parse_json_object(response.body, kMaxResponseBodyBytes, kDocument));

  // Checked before anything else is read.
  OAUTH_ASSIGN_OR_RETURN(auto&& issuer, require_string(doc, "issuer"));
  OAUTH_TRY(check_same_issuer(issuer, expected_issuer));

  IssuerMetadata out;  // filled in place: the document is checked to be the issuer's above
  ServerMetadata& m = out.metadata_;
  m.issuer = std::move(issuer);
  const std::pair<const char*, std::string ServerMetadata::*> endpoints[] = {
      {"authorization_endpoint", &ServerMetadata::authorization_endpoint},
      {"token_endpoint", &ServerMetadata::token_endpoint},
      {"jwks_uri", &ServerMetadata::jwks_uri},
      {"userinfo_endpoint", &ServerMetadata::userinfo_endpoint},
      {"revocation_endpoint", &ServerMetadata::revocation_endpoint},
      {"introspection_endpoint", &ServerMetadata::introspection_endpoint},
      {"end_session_endpoint", &ServerMetadata::end_session_endpoint},
      {"device_authorization_endpoint", &ServerMetadata::device_authorization_endpoint},
      {"pushed_authorization_request_endpoint", &ServerMetadata::pushed_authorization_request_endpoint},
  };
  for (const auto& [member, field] : endpoints) OAUTH_TRY(read_endpoint(doc, member, m.*field));
  // RFC 8414 §2 lets only implicit-only servers omit it; every grant we run needs it.
  if (m.token_endpoint.empty()) return bad_member("token_endpoint", OAUTH_TEXT("is missing"));

  const std::pair<const char*, std::optional<std::vector<std::string>> ServerMetadata::*> lists[] = {
      {"code_challenge_methods_supported", &ServerMetadata::code_challenge_methods_supported},
      {"dpop_signing_alg_values_supported", &ServerMetadata::dpop_signing_alg_values_supported},
      {"id_token_signing_alg_values_supported", &ServerMetadata::id_token_signing_alg_values_supported},
      {"token_endpoint_auth_methods_supported", &ServerMetadata::token_endpoint_auth_methods_supported},
      {"grant_types_supported", &ServerMetadata::grant_types_supported},
      {"response_types_supported", &ServerMetadata::response_types_supported},
      {"scopes_supported", &ServerMetadata::scopes_supported},
  };
  for (const auto& [member, field] : lists) OAUTH_TRY(read_list(doc, member, m.*field));

  OAUTH_TRY(read_flag(doc, "require_pushed_authorization_requests", m.require_pushed_authorization_requests));
  OAUTH_TRY(read_flag(doc, "authorization_response_iss_parameter_supported",
                      m.authorization_response_iss_parameter_supported));
  return out;
}

Status check_pkce_s256_supported(const ServerMetadata& metadata) {
  // Absent: allowed (see the header). Present: it must list S256.
  if (!metadata.code_challenge_methods_supported) return Ok{};
  for (const auto& method : *metadata.code_challenge_methods_supported) {
    if (method == "S256") return Ok{};
  }
  return Error::remote(codes::pkce_not_supported, OAUTH_TEXT("the server's code_challenge_methods_supported lacks S256"));
}

}  // namespace oauth
