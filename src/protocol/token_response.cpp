#include "protocol/token_response.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/json_wipe.hpp"
#include "protocol/limits.hpp"
#include "protocol/oauth_error.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {
namespace {

constexpr JsonSource kTokenResponse{codes::invalid_response, Blame::remote, OAUTH_TEXT("the token response")};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// token_type is case-insensitive (RFC 6749 §5.1, §7.1); we use Bearer (RFC 6750) and DPoP (RFC 9449).
std::optional<std::string> normalise_token_type(std::string_view type) {
  std::string lower(type);
  for (char& c : lower) c = ascii_lower(c);
  if (lower == "bearer") return std::string("Bearer");
  if (lower == "dpop") return std::string("DPoP");
  return std::nullopt;
}

// Errors about a 200 response carry its status too.
Error at_200(Error e) {
  e.http_status = 200;
  return e;
}

Error fail(const char* code, const char* description) { return at_200(Error::remote(code, description)); }

// An optional secret member: a non-empty string when present.
Result<std::optional<Secret>> read_secret(const JsonObject& doc, const char* member) {
  auto value = get_string(doc, member);
  if (!value.ok()) return at_200(std::move(value).take_error());
  if (!value->has_value()) return std::optional<Secret>();
  if ((*value)->empty())
    return at_200(Error::remote(codes::invalid_response, concat({OAUTH_TEXT("the token response member "), member, OAUTH_TEXT(" is empty")})));
  return std::optional<Secret>(Secret(std::move(**value)));
}

}  // namespace

Result<TokenResponse> process_token_response(const HttpResponse& response) {
  if (response.body.size() > kMaxResponseBodyBytes) {
    Error e = Error::remote(codes::response_too_large, OAUTH_TEXT("the token endpoint answered with a body larger than 1 MiB"));
    e.http_status = response.status;
    return e;
  }
  if (response.status != 200) return process_error_response(response, OAUTH_TEXT("the token endpoint"));
  // RFC 6749 §5.1: the parameters come as application/json.
  if (!has_json_content_type(response.headers))
    return fail(codes::invalid_response, OAUTH_TEXT("the token response is not labelled application/json"));

  auto doc = parse_json_object(response.body, kMaxResponseBodyBytes, kTokenResponse);
  if (!doc.ok()) return at_200(std::move(doc).take_error());
  JsonWipeGuard wipe(doc->value);

  TokenResponse out;
  OAUTH_ASSIGN_OR_RETURN(auto&& access_token, read_secret(*doc, "access_token"));
  if (!access_token.has_value()) return fail(codes::invalid_response, OAUTH_TEXT("the token response has no access_token"));
  out.access_token = std::move(*access_token);

  auto token_type = get_string(*doc, "token_type");
  if (!token_type.ok()) return at_200(std::move(token_type).take_error());
  if (!token_type->has_value()) return fail(codes::invalid_response, OAUTH_TEXT("the token response has no token_type"));
  auto normalised = normalise_token_type(**token_type);
  if (!normalised) return fail(codes::unsupported_token_type, OAUTH_TEXT("the token_type is neither Bearer nor DPoP"));
  out.token_type = std::move(*normalised);

  // RFC 6749 Appendix A.14: expires-in = 1*DIGIT.
  auto expires_in = get_integer(*doc, "expires_in", 0, kMaxExpiresIn);
  if (!expires_in.ok()) return at_200(std::move(expires_in).take_error());
  out.expires_in = *expires_in;

  OAUTH_ASSIGN_OR_RETURN(auto&& refresh_token, read_secret(*doc, "refresh_token"));
  out.refresh_token = std::move(refresh_token);
  OAUTH_ASSIGN_OR_RETURN(auto&& id_token, read_secret(*doc, "id_token"));
  out.id_token = std::move(id_token);

  auto scope = get_string(*doc, "scope");
  if (!scope.ok()) return at_200(std::move(scope).take_error());
  if (scope->has_value() && !(*scope)->empty() && !is_valid_scope(**scope))
    return fail(codes::invalid_response, OAUTH_TEXT("the token response member scope is malformed"));
  out.scope = std::move(*scope);
  return out;
}

}  // namespace oauth
