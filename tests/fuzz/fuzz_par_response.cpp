// The pushed authorization response (RFC 9126 §2.2, §2.3), through
// process_pushed_authorization_response. Input: the HTTP status on the first line (201 when it is
// not a number), header lines "name: value" up to an empty line, then the body.
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_input.hpp"
#include "protocol/limits.hpp"
#include "protocol/pushed_authorization_request.hpp"
#include "protocol/url.hpp"

using namespace oauth;

namespace {

// The authorization endpoint already has a query parameter of its own: it must survive.
constexpr std::string_view kAuthorizationEndpoint = "https://as.example.test/authorize?tenant=t%201";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  const HttpResponse response = fuzz::http_response(in, 201);
  ServerMetadata server;
  server.issuer = "https://as.example.test";
  server.authorization_endpoint = std::string(kAuthorizationEndpoint);
  server.pushed_authorization_request_endpoint = "https://as.example.test/par";
  auto metadata = IssuerMetadata::of_issuer(std::move(server), "https://as.example.test");
  fuzz::require(metadata.ok());
  ClientConfig client{"https://as.example.test", "spa", "https://app.example.test/callback"};

  auto url = process_pushed_authorization_response(response, *metadata, client);
  const bool success_status = response.status == 200 || response.status == 201;
  if (!url.ok()) {
    const Error& error = url.error();
    fuzz::require_typed(error);
    // The server is to blame, and the error carries the status it answered with.
    fuzz::require(error.blame == Blame::remote && error.http_status == response.status);
    // The request_uri is a reference to the pushed parameters: a refusal of a 200 or 201 never
    // repeats it (an error response's error_description is the server's own text).
    if (success_status) fuzz::require_no_secrets(error, response.body, {"request_uri"});
    return 0;
  }

  // Only a 201 or 200 labelled JSON with a usable request_uri and expires_in gets through.
  fuzz::require(success_status && has_json_content_type(response.headers));
  fuzz::require(response.body.size() <= kMaxResponseBodyBytes);
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  fuzz::require(doc.is_object());
  auto expires_in = doc.find("expires_in");
  fuzz::require(expires_in != doc.end() && expires_in->is_number_integer());
  const std::string request_uri = fuzz::string_member(response.body, "request_uri");
  fuzz::require(!request_uri.empty() && request_uri.size() <= kMaxRequestUriLength);
  for (char c : request_uri) fuzz::require(c >= 0x21 && c <= 0x7e);

  // RFC 9126 §4: the authorization endpoint (its own query kept) with client_id and request_uri
  // only, the request_uri exactly as the server sent it.
  auto parsed = parse_url(*url);
  fuzz::require(parsed.ok() && parsed->origin() == "https://as.example.test" && parsed->path == "/authorize");
  fuzz::require(parsed->query.has_value() && !parsed->fragment);
  auto params = parse_form_params(*parsed->query);
  fuzz::require(params.ok() && params->size() == 3);
  fuzz::require((*params)[0].first == "tenant" && (*params)[0].second == "t 1");
  fuzz::require((*params)[1].first == "client_id" && (*params)[1].second == "spa");
  fuzz::require((*params)[2].first == "request_uri" && (*params)[2].second == request_uri);
  return 0;
}
