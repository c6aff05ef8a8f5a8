// The client a call names by its handle: f(client) answers, or invalid_argument does when the
// handle finds none. Shared by the client and grant bindings.
#pragma once
#include "answer.hpp"
#include "core/error_codes.hpp"
#include "session/client_registry.hpp"

namespace oauth::bindings {

template <typename F>
Answer with_client(int handle, F f) {
  Client* client = client_registry().find(handle);
  if (!client) return answer_error(Error::local(codes::invalid_argument, "no client with that handle"));
  return f(*client);
}

}  // namespace oauth::bindings
