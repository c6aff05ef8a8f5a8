// The DPoP nonces servers gave us (RFC 9449 §8, §9), one per origin, in a bounded cache: a new
// DPoP-Nonce on any response from an origin replaces the one held for it.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/http.hpp"
#include "protocol/url.hpp"

namespace oauth {

// Origins remembered at once; the least recently updated one goes first.
inline constexpr std::size_t kMaxDpopNonceOrigins = 16;

class DpopNonceCache {
 public:
  // Remembers the DPoP-Nonce header of `response` (RFC 9449 §8.2) for the origin of `url`.
  // Returns whether the response carried a valid nonce (an invalid one is ignored, the old
  // nonce kept). `url` parsed once by the caller, or as text (an unparseable one: false).
  bool observe(const Url& url, const HttpResponse& response);
  bool observe(std::string_view url, const HttpResponse& response);

  // The nonce held for the origin of `url`; empty when there is none (or the text does not parse).
  std::string_view nonce_for(const Url& url) const;
  std::string_view nonce_for(std::string_view url) const;

  std::size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // origin, nonce; most recent last
};

// RFC 9449 §8 at the token endpoint: a 400 whose OAuth error is use_dpop_nonce.
bool is_token_endpoint_nonce_demand(const HttpResponse& response);

// RFC 9449 §9 at a resource: a 401 whose WWW-Authenticate has a DPoP challenge with
// error="use_dpop_nonce".
bool is_resource_nonce_demand(const HttpResponse& response);

}  // namespace oauth
