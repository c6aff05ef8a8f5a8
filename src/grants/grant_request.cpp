#include "grants/grant_request.hpp"

#include "core/error_codes.hpp"
#include "json/json_access.hpp"
#include "protocol/param_syntax.hpp"

namespace oauth {
namespace {

constexpr std::size_t kMaxOptionsBytes = 64 * 1024;
const JsonSource kOptionsSource{codes::invalid_argument, Blame::local, OAUTH_TEXT("the grant options")};

}  // namespace

Result<GrantOptions> parse_grant_options(std::string_view json) {
  OAUTH_ASSIGN_OR_RETURN(auto&& obj, parse_json_object(json.empty() ? std::string_view("{}") : json, kMaxOptionsBytes,
                                                       kOptionsSource));
  OAUTH_TRY(check_only_members(obj, {"scope", "resource"}));
  GrantOptions options;
  OAUTH_ASSIGN_OR_RETURN(auto&& scope, get_string(obj, "scope"));
  if (scope && !scope->empty()) {
    if (!is_valid_scope(*scope))
      return Error::local(codes::invalid_argument, OAUTH_TEXT("scope must be space-separated tokens of printable ASCII"));
    options.scope = std::move(*scope);
  }
  OAUTH_ASSIGN_OR_RETURN(auto&& resource, get_string_array(obj, "resource"));
  for (auto& uri : resource.value_or(std::vector<std::string>{})) {
    if (!is_valid_resource(uri))
      return Error::local(codes::invalid_argument, OAUTH_TEXT("a resource must be an absolute URI without a fragment"));
    options.resource.push_back(std::move(uri));
  }
  return options;
}

Status check_grant_client(const IssuerMetadata& metadata, const ClientConfig& client) {
  if (client.client_id.empty()) return Error::local(codes::invalid_argument, OAUTH_TEXT("client_id is empty"));
  return Ok{};
}

}  // namespace oauth
