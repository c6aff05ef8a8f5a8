// What the shim does next: the one answer of every call that starts an operation or takes a server's
// answer (a login, a refresh, a PAR push, a grant), docs/SEAM.md. A sum type: exactly one kind, and
// only that kind's payload is set (the factories below are the only makers).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "crypto/secret.hpp"
#include "json/json_value.hpp"
#include "protocol/http.hpp"

namespace oauth {

// The end of an operation that obtained or kept tokens.
struct LoginResult {
  JsonValue user;  // claims, or null when there is no ID token
  std::optional<std::int64_t> expires_at;
  std::string scope;
  // Seconds from now until the proactive refresh (Client::refresh_in); nullopt: none is due.
  std::optional<std::int64_t> refresh_in;
};

// A login's authorization URL, with the state and the transaction for the redirect mode's trip.
struct Navigation {
  std::string url;
  std::string state;
  Secret transaction_json;
};

// Something the app is told while the shim waits (the device flow's prompt and polls): an event
// name and its detail.
struct StepEvent {
  std::string type;
  JsonValue detail;
};

struct Step {
  enum class Kind { perform, wait, navigate, done };

  Kind kind = Kind::done;
  std::optional<HttpRequest> request;   // perform, wait: the request, to answer with resume
  std::int64_t wait_seconds = 0;        // wait: before the request is sent
  std::optional<StepEvent> event;       // wait: for the app, before the wait
  std::optional<Navigation> navigate;   // navigate: where the browser goes
  std::optional<LoginResult> done;      // done: the operation's result

  static Step perform(HttpRequest r);
  static Step wait(std::int64_t seconds, HttpRequest r, std::optional<StepEvent> event);
  static Step go(Navigation n);
  static Step finish(LoginResult r);

  // Out of line (step.cpp): one copy of each for every Result<Step> that moves or drops one.
  Step();
  Step(Step&& other) noexcept;
  Step& operator=(Step&& other) noexcept;
  Step(const Step&) = delete;  // the transaction of a navigate step is a Secret
  Step& operator=(const Step&) = delete;
  ~Step();
};

}  // namespace oauth
