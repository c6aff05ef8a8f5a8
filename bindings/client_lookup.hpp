// The client a call names by its handle: f(client) answers, or invalid_argument does when the
// handle finds none. Shared by the client and grant bindings.
#pragma once
#include "answer.hpp"
#include "session/client_registry.hpp"

namespace oauth::bindings {

// invalid_argument: no client has the handle (out of line: one copy for every with_client).
Answer no_client_answer();

template <typename F>
Answer with_client(int handle, F f) {
  Client* client = client_registry().find(handle);
  if (!client) return no_client_answer();
  return f(*client);
}

}  // namespace oauth::bindings
