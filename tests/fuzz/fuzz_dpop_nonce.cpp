// The DPoP nonces servers hand out (RFC 9449 §8, §9): DpopNonceCache::observe fed a sequence of
// responses, and the two nonce-demand tests. Input: responses separated by a line "---", each the
// URL it came from on the first line, the HTTP status on the next (401 when it is not a number),
// header lines "name: value" up to an empty line, then the body.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "protocol/dpop_nonce_cache.hpp"
#include "protocol/dpop_proof.hpp"
#include "protocol/url.hpp"

using namespace oauth;

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

// The first header of that name, compared case-insensitively.
const std::string* header(const HttpResponse& response, std::string_view name) {
  for (const auto& [n, v] : response.headers)
    if (n.size() == name.size() && contains_ignoring_case(n, name)) return &v;
  return nullptr;
}

// nonce = 1*NQCHAR (RFC 9449 §8.1), NQCHAR = %x21 / %x23-5B / %x5D-7E; ours bounded in length.
bool is_nqchars(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kMaxDpopNonceLength) return false;
  for (char c : nonce)
    if (!(c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) return false;
  return true;
}

// What the cache should hold: per origin, the URL last seen from it and its nonce, oldest first.
struct Held {
  std::string origin;
  std::string url;
  std::string nonce;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  DpopNonceCache cache;
  std::vector<Held> model;
  for (std::string_view part : fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size))) {
    fuzz::Fields in(reinterpret_cast<const std::uint8_t*>(part.data()), part.size());
    const std::string url(in.line());
    const HttpResponse response = fuzz::http_response(in, 401);

    // A nonce is taken when it is 1*NQCHAR and the URL has an origin; it then replaces the one
    // held for that origin, and the least recently updated origin goes when the cache is full.
    const std::string* nonce = header(response, "dpop-nonce");
    auto parsed = parse_url(url);
    const std::string origin = parsed.ok() ? parsed->origin() : std::string();
    const bool taken = nonce && is_nqchars(*nonce) && !origin.empty();
    fuzz::require(cache.observe(url, response) == taken);
    if (taken) {
      model.erase(std::remove_if(model.begin(), model.end(), [&](const Held& h) { return h.origin == origin; }),
                  model.end());
      if (model.size() >= kMaxDpopNonceOrigins) model.erase(model.begin());
      model.push_back({origin, url, *nonce});
    }
    fuzz::require(cache.size() == model.size() && cache.size() <= kMaxDpopNonceOrigins);
    for (const Held& held : model) fuzz::require(cache.nonce_for(held.url) == held.nonce);
    if (origin.empty()) fuzz::require(cache.nonce_for(url).empty());

    // A nonce demand is a 400 from the token endpoint naming use_dpop_nonce in its body, or a
    // 401 from a resource naming it in a DPoP challenge.
    if (is_token_endpoint_nonce_demand(response)) {
      fuzz::require(response.status == 400);
      auto body = nlohmann::json::parse(response.body, nullptr, false);
      fuzz::require(body.is_object() && body.contains("error") && body["error"] == "use_dpop_nonce");
    }
    if (is_resource_nonce_demand(response)) {
      const std::string* challenge = header(response, "www-authenticate");
      fuzz::require(response.status == 401 && challenge != nullptr);
      std::string unescaped = *challenge;  // a quoted-string may escape any character
      unescaped.erase(std::remove(unescaped.begin(), unescaped.end(), '\\'), unescaped.end());
      fuzz::require(unescaped.find("use_dpop_nonce") != std::string::npos);
      fuzz::require(contains_ignoring_case(*challenge, "dpop"));
    }
  }
  cache.clear();
  fuzz::require(cache.size() == 0);
  for (const Held& held : model) fuzz::require(cache.nonce_for(held.url).empty());
  return 0;
}
