// The grants of one client (client handle), as the bindings call them: the options arrive as the
// shim's JSON, the Client is the session's (src/session), and the grant state lives here between
// calls. One device flow at a time per client; an error or the tokens end it, and so does cancel.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/handle_table.hpp"
#include "core/result.hpp"
#include "grants/client_credentials.hpp"
#include "grants/device_grant.hpp"
#include "session/client.hpp"

namespace oauth {

class Grants {
 public:
  // Client credentials: the cached token (Step done) or the token request (Step perform).
  Result<Step> client_credentials(Client& client, std::string_view options_json, std::int64_t now);

  // Device flow: the device authorization request (Step perform); a flow still running is dropped
  // first.
  Result<Step> device_start(const Client& client, std::string_view options_json);
  // Ends a running device flow (the device code is wiped); harmless when none runs.
  void device_cancel() { device_.reset(); }

  // The answer to the last request of a grant's Step (status 0: none came): to the grant whose
  // request waits for it, else to the Client's own exchange (a JWKS fetch for the grant's ID
  // token, Client::resume). The one call a grant's driver makes per answer (docs/SEAM.md).
  Result<Step> resume(Client& client, const HttpResponse& response, std::int64_t now);

 private:
  ClientCredentialsGrant credentials_;
  std::optional<DeviceGrant> device_;
};

// The grants of this module instance's clients, by the client registry's handles.
class GrantRegistry {
 public:
  Grants& of(int client_handle) { return grants_.get_or_add(client_handle); }
  void remove(int client_handle) { grants_.remove(client_handle); }

 private:
  HandleTable<Grants> grants_;
};

// Created on first use, when it also asks the client registry to report removed clients, so a
// client's grant state (cached token, device code) goes with it.
GrantRegistry& grant_registry();

}  // namespace oauth
