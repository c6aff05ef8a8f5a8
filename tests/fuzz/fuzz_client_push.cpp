// The session's pushed authorization requests (RFC 9126): Client::authorize with PAR in use, the
// push's answer through Client::resume, and the callbacks that spend the transactions it
// registers. Input: the scope on the first line, options on the second ("d": DPoP on, the code
// bound to the session's key; "q": an authorization endpoint with a query of its own), then steps
// separated by a line "---". A step is an action on its first line: "authorize" (a new push,
// replacing one that waits), "logout", "callback" or "stored" and a number N on the next line
// (the callback of the N-th newest start, with no stored transaction or with the one the start
// handed out); any other step is the push's answer: the HTTP status on the first line (201 when it
// is not a number), header lines "name: value" up to an empty line, then the body.
#include <algorithm>
#include <string>
#include <vector>

#include "core/error_codes.hpp"
#include "crypto/base64url.hpp"
#include "crypto/sha2.hpp"
#include "fuzz_input.hpp"
#include "protocol/pushed_authorization_request.hpp"
#include "protocol/url.hpp"
#include "session/client.hpp"
#include "session/settings.hpp"

using namespace oauth;

namespace {

constexpr std::int64_t kNow = 1700000000;
constexpr std::size_t kMaxSteps = 40;  // the sweep at the end spends one callback per start

// What the harness knows of one accepted start: what its push sent, and what it handed out.
struct Started {
  std::string state;
  std::string nonce;
  std::string code_challenge;
  std::string dpop_jkt;
  std::string transaction_json;
};

// The pushed request's parameters that the start must match.
struct Pushed {
  std::string state, nonce, code_challenge, dpop_jkt;
};

Client par_client(bool dpop, bool endpoint_query) {
  auto settings = parse_client_settings(
      std::string(R"({"issuer":"https://as.example.test","clientId":"spa","redirectUri":"https://app.example.test/callback",)"
                  R"("apiOrigins":["https://api.example.test"])") +
      (dpop ? R"(,"dpop":true})" : "}"));
  fuzz::require(settings.ok());
  auto client = Client::create(std::move(*settings));
  fuzz::require(client.ok());
  auto metadata = client->accept_metadata(fuzz::json_response(
      200, std::string(R"({"issuer":"https://as.example.test","authorization_endpoint":"https://as.example.test/auth)") +
               (endpoint_query ? "?tenant=t%201" : "") +
               R"(","token_endpoint":"https://as.example.test/token","jwks_uri":"https://as.example.test/jwks",)"
               R"("pushed_authorization_request_endpoint":"https://as.example.test/par",)"
               R"("code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":true})"));
  fuzz::require(metadata.ok());
  return std::move(*client);
}

std::string callback_url(const std::string& state) {
  return "https://app.example.test/callback?code=c0de&state=" + state + "&iss=https%3A%2F%2Fas.example.test";
}

bool mentions(const Error& error, std::string_view text) {
  return !text.empty() &&
         (error.description.find(text) != std::string::npos || error.uri.find(text) != std::string::npos);
}

// An error never repeats a state, nonce, PKCE challenge or verifier the client made.
void require_no_transaction_secrets(const Error& error, const std::vector<Pushed>& pushed,
                                    const std::vector<std::string>& verifiers) {
  for (const Pushed& p : pushed)
    fuzz::require(!mentions(error, p.state) && !mentions(error, p.nonce) && !mentions(error, p.code_challenge));
  for (const std::string& v : verifiers) fuzz::require(!mentions(error, v));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Fields in(data, size);
  AuthorizationOptions options;
  options.scope = std::string(in.line());
  const std::string_view flags = in.line();
  const bool dpop = flags.find('d') != std::string_view::npos;
  const bool endpoint_query = flags.find('q') != std::string_view::npos;
  std::vector<std::string_view> steps = fuzz::split_parts(in.rest());
  if (steps.size() > kMaxSteps) steps.resize(kMaxSteps);

  Client client = par_client(dpop, endpoint_query);
  std::optional<Pushed> waiting;  // the push whose answer resume expects
  std::vector<Started> started;   // every accepted start, oldest first
  std::vector<std::string> live;  // the states of the transactions held in memory, oldest first
  std::vector<Pushed> pushed;     // for the secret checks
  std::vector<std::string> verifiers;
  // A successful callback leaves its token request waiting; one resume serves every exchange
  // (docs/SEAM.md), and the push's answer is taken only when no other exchange waits.
  bool exchange_pending = false;

  for (std::string_view step : steps) {
    fuzz::Fields part(reinterpret_cast<const std::uint8_t*>(step.data()), step.size());
    const std::string_view action = part.line();

    if (action == "authorize") {
      auto start = client.authorize(options, kNow);
      if (!start.ok()) {  // a scope the request builder refuses: whatever waited still waits
        fuzz::require_typed(start.error());
        require_no_transaction_secrets(start.error(), pushed, verifiers);
        continue;
      }
      // A push to perform, and nothing to navigate to yet.
      fuzz::require(start->kind == Step::Kind::perform && start->request.has_value() && !start->navigate);
      fuzz::require(start->request->method == "POST" && start->request->url == "https://as.example.test/par");
      auto form = parse_form_params(start->request->body);
      fuzz::require(form.ok());
      Pushed p;
      for (const auto& [name, value] : *form) {
        fuzz::require(name != "code_verifier" && name != "request_uri");
        if (name == "state") p.state = value;
        if (name == "nonce") p.nonce = value;
        if (name == "code_challenge") p.code_challenge = value;
        if (name == "dpop_jkt") p.dpop_jkt = value;
      }
      fuzz::require(!p.state.empty() && !p.code_challenge.empty());
      // RFC 9449 §10: the code is bound to the session's key when DPoP is in use, else to none.
      if (dpop) fuzz::require(client.dpop_key() != nullptr && p.dpop_jkt == client.dpop_key()->thumbprint());
      else fuzz::require(p.dpop_jkt.empty());
      pushed.push_back(p);
      waiting = std::move(p);
      continue;
    }

    if (action == "logout") {
      client.logout();
      waiting.reset();
      exchange_pending = false;
      live.clear();
      continue;
    }

    if (action == "callback" || action == "stored") {
      if (started.empty()) continue;
      const std::size_t back = static_cast<std::size_t>(part.number(0, 1000, 0)) % started.size();
      const Started& s = started[started.size() - 1 - back];
      const bool stored = action == "stored";
      auto held = std::find(live.begin(), live.end(), s.state);
      const bool in_memory = held != live.end();
      if (in_memory) live.erase(held);  // used once, whatever the outcome
      // The one in memory first; else, for the redirect trip, the copy the start handed out. A code
      // bound to a key the session no longer holds (a logout since) cannot be redeemed.
      const bool key_lost = !s.dpop_jkt.empty() && (!client.dpop_key() || client.dpop_key()->thumbprint() != s.dpop_jkt);
      auto callback = client.callback(callback_url(s.state), stored ? std::string_view(s.transaction_json) : "", kNow);
      exchange_pending = false;  // a callback drops whatever exchange waited, and starts its own on success
      if (!in_memory && !stored) {
        fuzz::require(!callback.ok() && callback.error().code == codes::state_mismatch);
      } else if (key_lost) {
        fuzz::require(!callback.ok() && callback.error().code == codes::dpop_key_lost);
      } else {
        fuzz::require(callback.ok() && callback->request.has_value());
        // The code goes with the verifier of the transaction this state started (RFC 7636 §4.5).
        auto form = parse_form_params(callback->request->body);
        fuzz::require(form.ok());
        std::string verifier;
        for (const auto& [name, value] : *form)
          if (name == "code_verifier") verifier = value;
        fuzz::require(base64url_encode(sha256(verifier)) == s.code_challenge);
        exchange_pending = true;
      }
      if (!callback.ok()) {
        fuzz::require_typed(callback.error());
        require_no_transaction_secrets(callback.error(), pushed, verifiers);
      }
      continue;
    }

    // The push's answer: the whole step, its first line the status.
    fuzz::Fields answer(reinterpret_cast<const std::uint8_t*>(step.data()), step.size());
    const HttpResponse response = fuzz::http_response(answer, 201);
    if (exchange_pending) {  // the callback's exchange takes it; the push waits on
      auto taken = client.resume(response, kNow);
      exchange_pending = taken.ok() && taken->kind != Step::Kind::done;
      if (!taken.ok()) {
        fuzz::require(taken.error().code != codes::out_of_order);
        fuzz::require_typed(taken.error());
        require_no_transaction_secrets(taken.error(), pushed, verifiers);
      }
      continue;
    }
    auto start = client.resume(response, kNow);
    if (!waiting) {  // none waits: refused, and nothing changes
      fuzz::require(!start.ok() && start.error().code == codes::out_of_order && start.error().blame == Blame::local);
      continue;
    }
    const Pushed expected = std::move(*waiting);
    waiting.reset();  // an answer is taken once, whatever it says
    if (!start.ok()) {
      const Error& error = start.error();
      fuzz::require_typed(error);
      fuzz::require(error.blame == Blame::remote && error.http_status == response.status);
      require_no_transaction_secrets(error, pushed, verifiers);
      if (response.status == 200 || response.status == 201) fuzz::require_no_secrets(error, response.body, {"request_uri"});
      continue;
    }
    fuzz::require(response.status == 200 || response.status == 201);
    fuzz::require(start->kind == Step::Kind::navigate && start->navigate->state == expected.state);

    // RFC 9126 §4: the URL holds client_id and the request_uri as the server sent it, nothing of
    // the pushed parameters.
    const std::string request_uri = fuzz::string_member(response.body, "request_uri");
    fuzz::require(!request_uri.empty());
    auto url = parse_url(start->navigate->url);
    fuzz::require(url.ok() && url->origin() == "https://as.example.test" && url->path == "/auth" && !url->fragment);
    fuzz::require(url->query.has_value());
    auto params = parse_form_params(*url->query);
    fuzz::require(params.ok());
    std::vector<std::pair<std::string, std::string>> want;
    if (endpoint_query) want.emplace_back("tenant", "t 1");
    want.emplace_back("client_id", "spa");
    want.emplace_back("request_uri", request_uri);
    fuzz::require(*params == want);

    // The transaction handed out for the redirect trip is the pushed one: its state, nonce,
    // binding, and the verifier whose challenge was pushed.
    auto transaction = transaction_from_json(start->navigate->transaction_json.view());
    fuzz::require(transaction.ok());
    fuzz::require(transaction->state == expected.state && transaction->nonce == expected.nonce &&
                  transaction->dpop_jkt == expected.dpop_jkt);
    fuzz::require(base64url_encode(sha256(transaction->verifier.view())) == expected.code_challenge);
    verifiers.emplace_back(transaction->verifier.view());

    // At most kMaxPendingTransactions wait in memory; the oldest goes.
    if (live.size() >= kMaxPendingTransactions) live.erase(live.begin());
    live.push_back(expected.state);
    started.push_back({expected.state, expected.nonce, expected.code_challenge, expected.dpop_jkt,
                       std::string(start->navigate->transaction_json.view())});
  }

  // Whatever happened: an answer with nothing waiting is refused; then every start's callback
  // (from memory, no stored copy) works exactly when its transaction is still live.
  if (!waiting && !exchange_pending) {
    auto late = client.resume(fuzz::json_response(201, R"({"request_uri":"urn:x","expires_in":60})"), kNow);
    fuzz::require(!late.ok() && late.error().code == codes::out_of_order);
  }
  for (auto s = started.rbegin(); s != started.rend(); ++s) {
    auto held = std::find(live.begin(), live.end(), s->state);
    auto callback = client.callback(callback_url(s->state), "", kNow);
    fuzz::require(callback.ok() == (held != live.end()));
    if (held != live.end()) live.erase(held);
    else fuzz::require(callback.error().code == codes::state_mismatch);
  }
  fuzz::require(live.empty());
  return 0;
}
