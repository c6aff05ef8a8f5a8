#include "protocol/dpop_nonce_cache.hpp"

#include <algorithm>

#include "protocol/dpop_proof.hpp"
#include "protocol/oauth_error.hpp"
#include "protocol/url.hpp"
#include "protocol/www_authenticate.hpp"

namespace oauth {
bool DpopNonceCache::observe(std::string_view url, const HttpResponse& response) {
  auto parsed = parse_url(url);
  return parsed.ok() && observe(*parsed, response);
}

bool DpopNonceCache::observe(const Url& url, const HttpResponse& response) {
  auto nonce = find_header(response.headers, "DPoP-Nonce");
  if (!nonce || !is_valid_dpop_nonce(*nonce)) return false;
  std::string origin = url.origin();
  if (origin.empty()) return false;
  auto held = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == origin; });
  if (held != entries_.end()) entries_.erase(held);
  if (entries_.size() >= kMaxDpopNonceOrigins) entries_.erase(entries_.begin());
  entries_.emplace_back(std::move(origin), std::string(*nonce));
  return true;
}

std::string_view DpopNonceCache::nonce_for(std::string_view url) const {
  auto parsed = parse_url(url);
  return parsed.ok() ? nonce_for(*parsed) : std::string_view();
}

std::string_view DpopNonceCache::nonce_for(const Url& url) const {
  std::string origin = url.origin();
  for (const auto& [held_origin, nonce] : entries_) {
    if (!origin.empty() && held_origin == origin) return nonce;
  }
  return {};
}

bool is_token_endpoint_nonce_demand(const HttpResponse& response) {
  if (response.status != 400) return false;
  return process_error_response(response, OAUTH_TEXT("the token endpoint")).code == "use_dpop_nonce";
}

bool is_resource_nonce_demand(const HttpResponse& response) {
  if (response.status != 401) return false;
  auto header = find_header(response.headers, "WWW-Authenticate");
  if (!header) return false;
  auto error = challenge_param(parse_www_authenticate(*header), "DPoP", "error");
  return error && *error == "use_dpop_nonce";
}

}  // namespace oauth
